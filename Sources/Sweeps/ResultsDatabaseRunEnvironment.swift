import GRDB

/// The machine a row was timed on (OpenBLAS kernels and threads): columns added by their own migration, so that
/// databases written before them open and keep their rows (with NULL there).
extension ResultsDatabase {
    static func registerRunEnvironmentMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("examples v2: BLAS core and threads") { db in
            try db.alter(table: ExampleResult.databaseTableName) { table in
                table.add(column: "blas_core", .text)
                table.add(column: "blas_threads", .integer)
            }
        }
        migrator.registerMigration("examples v3: batch size") { db in
            try db.alter(table: ExampleResult.databaseTableName) { table in
                table.add(column: "batch_size", .integer)
            }
        }
    }

    /// Registered after every other migration of `examples`, so existing databases gain it last.
    static func registerLanesMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("examples: concurrent lanes") { db in
            try db.alter(table: ExampleResult.databaseTableName) { table in
                table.add(column: "lanes", .integer)
            }
        }
    }

    /// How the rows were timed: one entry per distinct (BLAS core, threads, batch size, lanes), with its row count
    /// ("?" and nil for rows written before these were recorded).
    public func runEnvironments() throws -> [(blasCore: String, blasThreads: Int?, batchSize: Int?, lanes: Int?, rows: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT COALESCE(blas_core, '?') AS core, blas_threads AS threads, batch_size AS batch, lanes, COUNT(*) AS n
                FROM examples GROUP BY blas_core, blas_threads, batch_size, lanes ORDER BY n DESC, batch
                """).map { row in
                    // `decode` throws on a value of the wrong type (a damaged file), where subscripts trap.
                    (try row.decode(String.self, forColumn: "core"), try row.decode(Int?.self, forColumn: "threads"),
                     try row.decode(Int?.self, forColumn: "batch"), try row.decode(Int?.self, forColumn: "lanes"),
                     try row.decode(Int.self, forColumn: "n"))
                }
        }
    }
}

extension ExampleResult {
    /// Takes the other row's timing and machine fields, so that two rows compare on their results alone.
    mutating func copyTiming(from other: ExampleResult) {
        wallSeconds = other.wallSeconds
        blasCore = other.blasCore
        blasThreads = other.blasThreads
        batchSize = other.batchSize
        lanes = other.lanes
    }
}
