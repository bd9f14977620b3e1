import GRDB

/// Which rows a report, a figure or a notebook reads: per model and task, those of the task version last written.
/// A file-backed task's version hashes its definition and data files, so after either changes the database holds
/// rows of two versions under one task name; their run keys never mix, and neither must their averages.
struct CurrentTaskVersions {
    /// A condition on `examples` (the rows of current versions), with its arguments.
    let condition: String
    let arguments: StatementArguments
    /// Rows of older versions, left out, per "model/task".
    let staleRows: [String: Int]

    init(_ db: Database) throws {
        struct ModelTask: Hashable { let model: String, task: String }
        let rows = try Row.fetchAll(db, sql: """
            SELECT model, task, task_version, COUNT(*) AS n, MAX(id) AS newest FROM examples
            GROUP BY model, task, task_version
            """)
        var current: [ModelTask: (version: DatabaseValue, newest: Int64)] = [:]
        var counts: [ModelTask: [DatabaseValue: Int]] = [:]
        for row in rows {
            // `decode` throws on a NULL or a value of the wrong type (a damaged file), where subscripts trap.
            let key = ModelTask(model: try row.decode(String.self, forColumn: "model"), task: try row.decode(String.self, forColumn: "task"))
            let version = row["task_version"] as DatabaseValue  // as stored (an integer today); compared, never converted
            let newest = try row.decode(Int64.self, forColumn: "newest")
            counts[key, default: [:]][version] = try row.decode(Int.self, forColumn: "n")
            if newest > current[key]?.newest ?? .min { current[key] = (version, newest) }
        }
        var stale: [String: Int] = [:]
        for (key, versions) in counts {
            let old = versions.filter { $0.key != current[key]?.version }.values.reduce(0, +)
            if old > 0 { stale["\(key.model)/\(key.task)"] = old }
        }
        staleRows = stale
        guard !stale.isEmpty else {
            (condition, arguments) = ("1", [])
            return
        }
        // Only where some task has several versions: name the current ones (model, task and version together).
        var values: [any DatabaseValueConvertible] = []
        for (key, entry) in current { values += [key.model, key.task, entry.version] }
        let tuples = Array(repeating: "(?, ?, ?)", count: current.count).joined(separator: ", ")
        condition = "(model, task, task_version) IN (VALUES \(tuples))"
        arguments = StatementArguments(values)
    }
}

extension ResultsDatabase {
    /// Rows left out of reports and figures because a newer version of their task was run since, per "model/task".
    public func staleTaskVersionRows() throws -> [String: Int] {
        try read { db in try CurrentTaskVersions(db).staleRows }
    }
}
