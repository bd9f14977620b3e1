import Foundation
import GRDB

/// A results database that cannot be used: missing, damaged, foreign, of another schema, or failing later.
/// Always names the file; the file itself is never changed by a failed check.
public struct ResultsDatabaseError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }

    /// `error` with the file named (SQLite's and GRDB's errors do not name it).
    static func wrapping(_ error: any Error, file: URL) -> any Error {
        switch error {
        case is ResultsDatabaseError, is MergeConflict: return error
        case let error as DatabaseError:
            let hint = [ResultCode.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode.primaryResultCode)
                ? " (the file is damaged or is not a SQLite database; move it aside to start a new one)" : ""
            return ResultsDatabaseError(file: file.path, "\(error)\(hint)")
        case let error as RowDecodingError:
            return ResultsDatabaseError(file: file.path, "a row cannot be read: \(error)")
        default:
            return ResultsDatabaseError(file: file.path, "\(error)")
        }
    }
}

/// The checks a results database passes on open, kept apart from the schema and the queries.
extension ResultsDatabase {
    /// The file is a file (or absent with `create`), and its folder exists: nothing but the file is ever created,
    /// so a mistyped path never makes folders anywhere on the file system.
    static func checkLocation(_ url: URL, create: Bool) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw ResultsDatabaseError(file: url.path, "is a folder, not a results database") }
            return
        }
        guard create else {
            throw ResultsDatabaseError(file: url.path, "no results database here (run `dlab sweep` first, or give --database)")
        }
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ResultsDatabaseError(file: url.path, "its folder \(folder.path) does not exist; create it first (dlab creates no folders)")
        }
    }

    /// SQLite's `quick_check` (every page and index well formed, NOT NULL constraints held) must say "ok".
    /// O(size of the file), read only.
    static func checkIntegrity(_ queue: DatabaseQueue, file: URL) throws {
        let report = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        guard report == ["ok"] else {
            throw ResultsDatabaseError(file: file.path, "failed SQLite's integrity check (the file is damaged; move it aside to start a new one): "
                + report.prefix(3).joined(separator: "; "))
        }
    }

    /// An empty file or one that this code wrote (it has GRDB's migration table); anything else is some other
    /// program's database and is left alone.
    static func checkOwnership(_ queue: DatabaseQueue, file: URL) throws {
        let tables = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        guard tables.isEmpty || tables.contains("grdb_migrations") else {
            throw ResultsDatabaseError(file: file.path, "is not a DiffusionLab results database (its tables: \(tables.joined(separator: ", ")))")
        }
    }

    /// A column as `PRAGMA table_info` describes it.
    struct ColumnShape: Equatable {
        var name: String
        var notNull: Bool
    }

    static func columns(of table: String, in db: Database) throws -> [ColumnShape] {
        try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { row in
            ColumnShape(name: try row.decode(String.self, forColumn: "name"), notNull: try row.decode(Int.self, forColumn: "notnull") != 0)
        }
    }

    /// The schema this code creates, read back from a fresh in-memory database: the one definition is the migrator.
    static let expectedColumns: [ColumnShape] = {
        guard let memory = try? DatabaseQueue(), (try? migrator.migrate(memory)) != nil else { return [] }
        return (try? memory.read { db in try columns(of: ExampleResult.databaseTableName, in: db) }) ?? []
    }()

    /// After migration: every column of this code's schema present with its NOT NULL constraint (extra columns are
    /// allowed), and the unique key that keeps a resumed sweep from duplicating rows.
    static func checkSchema(_ queue: DatabaseQueue, file: URL) throws {
        let (present, uniqueKeys) = try queue.read { db -> ([ColumnShape], [[String]]) in
            let indexes = try Row.fetchAll(db, sql: "PRAGMA index_list(\(ExampleResult.databaseTableName))")
            var unique: [[String]] = []
            for index in indexes where try index.decode(Int.self, forColumn: "unique") != 0 {
                let name = try index.decode(String.self, forColumn: "name")
                unique.append(try Row.fetchAll(db, sql: "PRAGMA index_info(\(name.quotedDatabaseIdentifier))")
                    .map { try $0.decode(String.self, forColumn: "name") })
            }
            return (try columns(of: ExampleResult.databaseTableName, in: db), unique)
        }
        let names = Set(present.map(\.name))
        let missing = expectedColumns.filter { !names.contains($0.name) }.map(\.name)
        guard missing.isEmpty else {
            throw ResultsDatabaseError(file: file.path, "is not a results database of this version: table 'examples' lacks the columns \(missing.joined(separator: ", "))")
        }
        let loose = expectedColumns.filter { column in column.notNull && present.first { $0.name == column.name }?.notNull == false }
            .map(\.name)
        guard loose.isEmpty else {
            throw ResultsDatabaseError(file: file.path, "is not a results database of this version: the columns \(loose.joined(separator: ", ")) of 'examples' accept NULL")
        }
        guard uniqueKeys.contains(["run_key", "example_index", "repeat_index"]) else {
            throw ResultsDatabaseError(file: file.path, "is not a results database of this version: 'examples' has no unique key (run_key, example_index, repeat_index), so rows could be duplicated")
        }
    }

    /// Runs a query or a write, naming the file in any database error.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ResultsDatabaseError.wrapping(error, file: url)
        }
    }
}
