import Foundation
import GRDB

/// The SQLite results database of one experiment (GRDB): one `examples` row per generated example.
///
/// Each row is written in its own transaction, in WAL mode, so a process killed at any moment (even `kill -9`)
/// leaves every finished example in the file and no partial one; the unique key (run, example, repeat) makes a
/// second write of the same example impossible, so a resumed sweep cannot duplicate rows.
public final class ResultsDatabase {
    public let url: URL
    let queue: DatabaseQueue

    /// Opens (and creates, with its folder, when missing) the database at `url`.
    public init(_ url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // A crash of the process (not of the machine) loses nothing committed with synchronous=NORMAL in WAL mode.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: url.path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        try Self.migrator.migrate(queue)
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
        registerRunEnvironmentMigration(&migrator)
        return migrator
    }

    /// Columns a reader compares between two databases of the same sweep (everything but timing and bookkeeping).
    public static let deterministicColumns = [
        "run_key", "experiment", "model", "task", "task_version", "split", "task_seed", "example_index", "sampler",
        "sampler_parameters", "sampler_config", "step_budget", "seed", "repeat_index", "generation_length",
        "block_length", "prompt", "output", "reference", "score", "nfe", "steps_run", "tokens_per_forward",
        "commit_steps", "git_commit", "dlab_version",
    ]

    /// Writes one example in its own transaction.
    /// - Returns: false when a row with the same key is already there (it is left as it is).
    @discardableResult
    public func insert(_ result: ExampleResult) throws -> Bool {
        try queue.write { db in
            try result.insert(db, onConflict: .ignore)
            return db.changesCount > 0
        }
    }

    /// Keys of every row, so a sweep skips what it has already done.
    public func existingKeys() throws -> Set<ExampleKey> {
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT run_key, example_index, repeat_index FROM examples")
            var keys = Set<ExampleKey>()
            while let row = try rows.next() {
                keys.insert(ExampleKey(runKey: row[0], exampleIndex: row[1], repeatIndex: row[2]))
            }
            return keys
        }
    }

    public func count() throws -> Int {
        try queue.read { db in try ExampleResult.fetchCount(db) }
    }

    /// Every row, in a stable order (run key, example, repeat).
    public func allResults() throws -> [ExampleResult] {
        try queue.read { db in
            try ExampleResult.fetchAll(db, sql: "SELECT * FROM examples ORDER BY run_key, example_index, repeat_index")
        }
    }

    /// Rows of one series point (for order heatmaps and failure listings).
    public func results(task: String, samplerConfig: String, stepBudget: Int) throws -> [ExampleResult] {
        try queue.read { db in
            try ExampleResult.fetchAll(
                db,
                sql: "SELECT * FROM examples WHERE task = ? AND sampler_config = ? AND step_budget = ? ORDER BY run_key, example_index, repeat_index",
                arguments: [task, samplerConfig, stepBudget])
        }
    }

    /// Copies the rows of other databases (e.g. the shards of a sweep) into this one.
    /// A row whose key is already here is skipped; if its deterministic fields differ, that is a conflict.
    /// - Returns: rows added and rows skipped as already present.
    public func merge(from others: [URL]) throws -> (added: Int, skipped: Int) {
        var (added, skipped) = (0, 0)
        for other in others {
            let source = try ResultsDatabase(other)
            let rows = try source.allResults()
            try queue.write { db in
                for row in rows {
                    try row.insert(db, onConflict: .ignore)
                    if db.changesCount > 0 {
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
            }
        }
        return (added, skipped)
    }

    /// Reads a database through a closure (for aggregates and exports).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
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
