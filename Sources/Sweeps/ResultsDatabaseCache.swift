import GRDB

/// Fast-dLLM's block caches (the sampler option `cache`): per row, the cache mode its forward passes used and the
/// positions they ran through the model, in their own columns added by their own migration, so that older databases
/// open and keep their rows (NULL there). A cached pass counts as one forward pass in `nfe`; `positions_computed`
/// is its cost beside it (a full pass runs prompt + canvas, a cached one only the block, or the block and the suffix).
extension ResultsDatabase {
    static func registerCacheMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("examples: block cache mode and positions computed") { db in
            try db.alter(table: ExampleResult.databaseTableName) { table in
                table.add(column: "cache_mode", .text)
                table.add(column: "positions_computed", .integer)
            }
        }
    }
}

extension ExperimentSpec.SamplerConfiguration {
    /// True when the configuration asks for a block cache (`cache: prefix` or `dual`).
    public var usesBlockCache: Bool {
        if case .string(let mode)? = parameters["cache"] { return mode != "none" }
        return false
    }
}
