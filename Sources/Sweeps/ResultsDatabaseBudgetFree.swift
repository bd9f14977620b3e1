import GRDB

/// Budget-free runs: a sampler that does not read the step budget (`StepBudgetUse.unused`) is run once per seed, and
/// its rows say so in their own column, `budget_free` (1), with `step_budget` 0 (no budget; a real one is ≥ 1). Rows
/// written before this migration get 0: then every sampler was run once per budget, and those rows keep their
/// budgets. Readers group by both columns (`Aggregate.stepBudget` is nil for budget-free points).
extension ResultsDatabase {
    static func registerBudgetFreeMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("examples: budget-free runs") { db in
            try db.alter(table: ExampleResult.databaseTableName) { table in
                table.add(column: "budget_free", .boolean).notNull().defaults(to: false)
            }
        }
    }
}
