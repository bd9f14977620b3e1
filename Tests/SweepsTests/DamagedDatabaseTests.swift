import DiffusionCore
import Foundation
import GRDB
import Testing
@testable import Sweeps

/// Damaged, foreign and mismatched results databases: every command that opens one (sweep, report, plot, export,
/// merge from it, merge into it) fails with an error naming the file, exits non-zero without a trap, and leaves the
/// file's bytes as they were.
@Suite(.serialized) struct DamagedDatabaseTests {
    /// A real database from a small sweep, and the spec that made it.
    static func sweptDatabase() throws -> (spec: URL, database: URL) {
        let spec = try writeSweepSpec(examples: 2)
        let outcome = try runDLab(["sweep", spec.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        let database = spec.deletingLastPathComponent().appendingPathComponent("results/sweep.sqlite")
        // Everything into the main file, so that a copy of it alone is the whole database.
        try DatabaseQueue(path: database.path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        return (spec, database)
    }

    /// The ways a database goes wrong, each made from a copy of a good one.
    static let damages: [(name: String, damage: (URL) throws -> Void)] = [
        ("truncated", { url in
            let data = try Data(contentsOf: url)
            try data.prefix(data.count * 3 / 5).write(to: url)
        }),
        ("garbage pages", { url in
            var data = try Data(contentsOf: url)
            var generator = SeededGenerator(seed: 4)
            for i in 4096 ..< min(data.count, 4096 * 3) { data[i] = UInt8(truncatingIfNeeded: generator.next()) }
            try data.write(to: url)
        }),
        ("all garbage", { url in
            let size = try Data(contentsOf: url).count
            try Data((0 ..< size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: url)
        }),
        ("foreign schema", { url in
            try FileManager.default.removeItem(at: url)
            let queue = try DatabaseQueue(path: url.path)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE people (name TEXT NOT NULL, age INTEGER)")
                try db.execute(sql: "INSERT INTO people VALUES ('Ada', 36)")
            }
        }),
        ("missing columns", { url in
            let queue = try DatabaseQueue(path: url.path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "DROP VIEW trace_answer_steps")  // SQLite refuses to alter a table a view reads
                try db.execute(sql: "ALTER TABLE examples DROP COLUMN nfe")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
        }),
        ("NULLs in required columns", { url in
            // CREATE TABLE … AS SELECT keeps the columns but not their NOT NULL constraints.
            let queue = try DatabaseQueue(path: url.path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "DROP VIEW trace_answer_steps")
                try db.execute(sql: "CREATE TABLE loose AS SELECT * FROM examples")
                try db.execute(sql: "DROP TABLE examples")
                try db.execute(sql: "ALTER TABLE loose RENAME TO examples")
                try db.execute(sql: "UPDATE examples SET score = NULL, sampler_config = NULL")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
        }),
    ]

    @Test(arguments: damages.indices) func everyCommandRefusesADamagedDatabase(_ index: Int) throws {
        let (name, damage) = Self.damages[index]
        let (spec, good) = try Self.sweptDatabase()
        let bad = good.deletingLastPathComponent().appendingPathComponent("damaged.sqlite")
        try FileManager.default.copyItem(at: good, to: bad)
        try damage(bad)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: bad.path + suffix) }
        let before = try Data(contentsOf: bad)
        let fresh = good.deletingLastPathComponent().appendingPathComponent("fresh.sqlite").path
        let commands: [[String]] = [
            ["sweep", spec.path, "--quiet", "--database", bad.path],
            ["report", spec.path, "--database", bad.path],
            ["plot", spec.path, "--database", bad.path, "--output", spec.deletingLastPathComponent().appendingPathComponent("plots").path],
            ["export", spec.path, "--database", bad.path],
            ["merge", spec.path, "--database", fresh, "--shards", bad.path],
            ["merge", spec.path, "--database", bad.path, "--shards", good.path],
        ]
        for arguments in commands {
            let outcome = try runDLab(arguments)
            let command = "\(name): dlab \(arguments.prefix(1).joined())"
            #expect(outcome.exited, "\(command) ended by a signal: \(outcome.errors)")
            #expect(outcome.status != 0, "\(command) exited 0: \(outcome.output)")
            #expect(outcome.errors.contains(bad.path), "\(command): the error does not name the file: \(outcome.errors)")
            #expect(!outcome.output.contains("already there"), "\(command): \(outcome.output)")
            #expect(try Data(contentsOf: bad) == before, "\(command) changed the damaged file")
        }
    }

    @Test func resultsFolderMustExist() throws {
        let (spec, _) = try Self.sweptDatabase()
        let missing = spec.deletingLastPathComponent().appendingPathComponent("no/such/folder/r.sqlite")
        let outcome = try runDLab(["sweep", spec.path, "--quiet", "--database", missing.path])
        #expect(outcome.status != 0 && outcome.errors.contains("does not exist"), "\(outcome.errors)")
        #expect(!FileManager.default.fileExists(atPath: missing.deletingLastPathComponent().path))
        let report = try runDLab(["report", spec.path, "--database", missing.path])
        #expect(report.status != 0 && report.errors.contains(missing.path), "\(report.errors)")
    }

    @Test func aFolderIsNotADatabase() throws {
        let folder = scratchURL("folder.sqlite")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(throws: ResultsDatabaseError(file: folder.path, "is a folder, not a results database")) {
            try ResultsDatabase(folder)
        }
    }
}
