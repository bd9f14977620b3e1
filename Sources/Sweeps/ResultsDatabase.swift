import Foundation
import GRDB

/// The SQLite results database of one experiment (GRDB): one `examples` row per generated example.
///
/// Each row is written in its own transaction, in WAL mode, so a process killed at any moment (even `kill -9`)
/// leaves every finished example in the file and no partial one; the unique key (run, example, repeat) makes a
/// second write of the same example impossible, so a resumed sweep cannot duplicate rows.
///
/// A database defends itself on open (see `ResultsDatabaseChecks.swift`): its folder must exist (nothing is created
/// but the file), its pages must pass SQLite's `quick_check`, and its schema must be this one; every failure, then and
/// later, is a `ResultsDatabaseError` naming the file.
public final class ResultsDatabase {
    public let url: URL
    let queue: DatabaseQueue

    /// Opens the database at `url`; `create` makes a new one when no file is there (its folder must exist).
    public init(_ url: URL, create: Bool = true) throws {
        self.url = url
        try Self.checkLocation(url, create: create)
        do {
            queue = try Self.open(url)
        } catch {
            throw ResultsDatabaseError.wrapping(error, file: url)
        }
    }

    private static func open(_ url: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // A crash of the process (not of the machine) loses nothing committed with synchronous=NORMAL in WAL mode.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: url.path, configuration: configuration)
        try checkIntegrity(queue, file: url)
        try checkOwnership(queue, file: url)
        try migrator.migrate(queue)
        try checkSchema(queue, file: url)
        // Only a database that passed every check is written to (WAL mode is recorded in the file's header).
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        return queue
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("examples v1") { db in
            try db.create(table: ExampleResult.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("run_key", .text).notNull()
                table.column("experiment", .text).notNull()
                table.column("model", .text).notNull()
                table.column("task", .text).notNull()
                table.column("task_version", .integer).notNull()
                table.column("split", .text).notNull()
                table.column("task_seed", .integer).notNull()
                table.column("example_index", .integer).notNull()
                table.column("sampler", .text).notNull()
                table.column("sampler_parameters", .text).notNull()
                table.column("sampler_config", .text).notNull()
                table.column("step_budget", .integer).notNull()
                table.column("seed", .integer).notNull()
                table.column("repeat_index", .integer).notNull()
                table.column("generation_length", .integer).notNull()
                table.column("block_length", .integer)
                table.column("prompt", .text).notNull()
                table.column("output", .text).notNull()
                table.column("reference", .text).notNull()
                table.column("score", .double).notNull()
                table.column("nfe", .integer).notNull()
                table.column("steps_run", .integer).notNull()
                table.column("tokens_per_forward", .double).notNull()
                table.column("wall_seconds", .double).notNull()
                table.column("commit_steps", .text).notNull()  // JSON array, one entry per canvas position
                table.column("git_commit", .text).notNull()
                table.column("dlab_version", .text).notNull()
                table.column("created_at", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
                table.uniqueKey(["run_key", "example_index", "repeat_index"])
            }
            try db.create(index: "examples_by_series", on: "examples", columns: ["task", "sampler_config", "step_budget"])
        }
        // Tasks with several scores per example (file-backed GSM8K: strict and flexible) store them all here.
        migrator.registerMigration("examples v2: named scores") { db in
            try db.alter(table: ExampleResult.databaseTableName) { table in table.add(column: "scores", .text) }
        }
        registerRunEnvironmentMigration(&migrator)
        registerDraftingMigration(&migrator)
        registerCacheMigration(&migrator)
        registerBudgetFreeMigration(&migrator)
        registerTracesMigration(&migrator)
        registerLanesMigration(&migrator)
        return migrator
    }

    /// Columns a reader compares between two databases of the same sweep (everything but timing and bookkeeping).
    public static let deterministicColumns = [
        "run_key", "experiment", "model", "task", "task_version", "split", "task_seed", "example_index", "sampler",
        "sampler_parameters", "sampler_config", "step_budget", "seed", "repeat_index", "generation_length",
        "block_length", "prompt", "output", "reference", "score", "scores", "nfe", "steps_run", "tokens_per_forward",
        "commit_steps", "git_commit", "dlab_version", "drafts_proposed", "drafts_accepted", "cache_mode", "positions_computed",
        "budget_free",
    ]

    /// Writes one example (and its full trace, if it has one) in its own transaction.
    /// - Returns: false when a row with the same key is already there (it is left as it is).
    @discardableResult
    public func insert(_ result: ExampleResult) throws -> Bool {
        try guarded { try queue.write { db in
            try result.insert(db, onConflict: .ignore)
            guard db.changesCount > 0 else { return false }
            try Self.insertTrace(of: result, in: db)
            return true
        } }
    }

    /// Keys of every row, so a sweep skips what it has already done.
    public func existingKeys() throws -> Set<ExampleKey> {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT run_key, example_index, repeat_index FROM examples")
            var keys = Set<ExampleKey>()
            while let row = try rows.next() {
                keys.insert(ExampleKey(runKey: try row.decode(atIndex: 0), exampleIndex: try row.decode(atIndex: 1),
                                       repeatIndex: try row.decode(atIndex: 2)))
            }
            return keys
        }
    }

    public func count() throws -> Int {
        try read { db in try ExampleResult.fetchCount(db) }
    }

    /// Every row, in a stable order (run key, example, repeat).
    public func allResults() throws -> [ExampleResult] {
        try read { db in
            try ExampleResult.fetchAll(db, sql: "SELECT * FROM examples ORDER BY run_key, example_index, repeat_index")
        }
    }

    /// Rows of one series point (for order heatmaps and failure listings); a nil budget: the budget-free rows.
    public func results(task: String, samplerConfig: String, stepBudget: Int?) throws -> [ExampleResult] {
        try read { db in
            let current = try CurrentTaskVersions(db)
            var arguments: StatementArguments = [task, samplerConfig, stepBudget ?? 0, stepBudget == nil]
            arguments += current.arguments
            return try ExampleResult.fetchAll(
                db,
                sql: "SELECT * FROM examples WHERE task = ? AND sampler_config = ? AND step_budget = ? AND budget_free = ? AND \(current.condition) ORDER BY run_key, example_index, repeat_index",
                arguments: arguments)
        }
    }

    /// Copies the rows of other databases (e.g. the shards of a sweep) into this one.
    /// A row whose key is already here is skipped; if its deterministic fields differ, that is a conflict.
    /// - Returns: rows added and rows skipped as already present.
    public func merge(from others: [URL]) throws -> (added: Int, skipped: Int) {
        var (added, skipped) = (0, 0)
        for other in others {
            let source = try ResultsDatabase(other, create: false)
            let rows = try source.allResults()
            try guarded { try queue.write { db in
                for var row in rows {
                    try row.insert(db, onConflict: .ignore)
                    if db.changesCount > 0 {
                        row.trace = try source.trace(of: row.key)
                        try Self.insertTrace(of: row, in: db)
                        added += 1
                        continue
                    }
                    skipped += 1
                    let present = try ExampleResult.fetchOne(
                        db, sql: "SELECT * FROM examples WHERE run_key = ? AND example_index = ? AND repeat_index = ?",
                        arguments: [row.runKey, row.exampleIndex, row.repeatIndex])
                    if var present {
                        present.copyTiming(from: row)
                        if present != row { throw MergeConflict(file: other.path, key: row.key) }
                    }
                }
            } }
        }
        return (added, skipped)
    }

    /// Reads a database through a closure (for aggregates and exports).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try guarded { try queue.read(body) }
    }
}

/// Two databases hold different results for the same example: they do not come from the same sweep and code.
public struct MergeConflict: Error, CustomStringConvertible {
    public let file: String
    public let key: ExampleKey

    public var description: String {
        "\(file): example \(key.exampleIndex) (repeat \(key.repeatIndex)) of run \(key.runKey) differs from the row already merged; "
            + "the databases come from different code or specs"
    }
}
