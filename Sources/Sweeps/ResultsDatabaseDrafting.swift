import GRDB

/// Self-speculative drafting (AR + MTP): per draft position, the drafts proposed and accepted, in their own columns
/// (JSON arrays, NULL for samplers that do not draft), added by their own migration so older databases keep their
/// rows. Acceptance at position j is accepted[j] / proposed[j]; tokens per forward is in its usual column.
extension ResultsDatabase {
    static func registerDraftingMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("examples v4: drafts per position") { db in
            try db.alter(table: ExampleResult.databaseTableName) { table in
                table.add(column: "drafts_proposed", .text)
                table.add(column: "drafts_accepted", .text)
            }
        }
    }
}
