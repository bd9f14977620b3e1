import Foundation
import GRDB

/// Full traces (`trace: full`): one `traces` row per example, keyed by its `examples` row's id and written in the
/// same transaction, so a sweep killed at any moment leaves no example without its trace and no trace without its row.
///
/// ```sql
/// traces(example_id,    -- examples.id of the example (the primary key: no second copy of the run key)
///        steps, width,  -- the blobs' shape [steps, width]
///        canvases,     -- BLOB: the canvas after each step, little-endian Int32 token ids, -1 past the canvas
///        predictions,  -- BLOB: the model's top token per position in the pass the step acted on, Int32, -1 unknown
///        confidences,  -- BLOB: UInt8 per position and step, that token's probability q/254 (255 = unknown)
///        answer_step,         -- first step (0-based) at which the final answer is on the canvas; NULL if empty
///        answer_stable_step)  -- first step from which it stays there to the end
/// ```
/// "On the canvas" (`FullTrace.holdsAnswer`): each position of the final answer holds its final token, or is still
/// masked and the model's top token there is that token (Prophet's early-commit question). The answer is the final
/// canvas less mask, padding and end-of-sequence tokens.
/// The view `trace_answer_steps` joins them to their examples ("at which step does the final answer first
/// appear?", per sampler and budget, as a fraction of the steps run):
/// ```sql
/// SELECT sampler_config, step_budget, AVG(answer_fraction) FROM trace_answer_steps GROUP BY 1, 2
/// ```
/// Decoding the blobs in Python: `numpy.frombuffer(canvases, "<i4").reshape(steps, width)` (the same for
/// predictions) and `numpy.frombuffer(confidences, "u1").reshape(steps, width) / 254` (mask 255 first).
extension ResultsDatabase {
    static func registerTracesMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("traces v1: full traces per example") { db in
            try db.create(table: "traces") { table in
                table.column("example_id", .integer).primaryKey()
                table.column("steps", .integer).notNull()
                table.column("width", .integer).notNull()
                table.column("canvases", .blob).notNull()
                table.column("predictions", .blob).notNull()
                table.column("confidences", .blob).notNull()
                table.column("answer_step", .integer)
                table.column("answer_stable_step", .integer)
            }
            try db.execute(sql: """
                CREATE VIEW trace_answer_steps AS
                SELECT e.id, e.model, e.task, e.task_version, e.sampler, e.sampler_config, e.step_budget, e.seed,
                       e.example_index, e.repeat_index, e.score, e.nfe, t.steps, t.answer_step, t.answer_stable_step,
                       (t.answer_step + 1.0) / t.steps AS answer_fraction,
                       (t.answer_stable_step + 1.0) / t.steps AS answer_stable_fraction
                FROM examples AS e JOIN traces AS t ON t.example_id = e.id
                """)
        }
    }

    /// Writes an example's trace in the transaction of its row, right after the row (whose id it takes).
    static func insertTrace(of result: ExampleResult, in db: Database) throws {
        guard let stored = result.trace else { return }
        try db.execute(sql: """
            INSERT INTO traces (example_id, steps, width, canvases, predictions, confidences, answer_step, answer_stable_step)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [db.lastInsertedRowID, stored.trace.steps, stored.trace.width,
                             stored.trace.canvasBlob, stored.trace.predictionBlob, stored.trace.confidenceBlob, stored.answerStep,
                             stored.answerStableStep])
    }

    /// The trace of one example, nil when it has none; a damaged row is a `ResultsDatabaseError`, never a trap.
    public func trace(of key: ExampleKey) throws -> ExampleTrace? {
        try read { db in try Self.trace(of: key, in: db) }
    }

    static func trace(of key: ExampleKey, in db: Database) throws -> ExampleTrace? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT t.steps, t.width, t.canvases, t.predictions, t.confidences, t.answer_step, t.answer_stable_step
            FROM traces AS t JOIN examples AS e ON t.example_id = e.id
            WHERE e.run_key = ? AND e.example_index = ? AND e.repeat_index = ?
            """, arguments: [key.runKey, key.exampleIndex, key.repeatIndex]) else { return nil }
        let trace = try FullTrace(steps: try row.decode(Int.self, forColumn: "steps"), width: try row.decode(Int.self, forColumn: "width"),
                                  canvasBlob: try row.decode(Data.self, forColumn: "canvases"),
                                  predictionBlob: try row.decode(Data.self, forColumn: "predictions"),
                                  confidenceBlob: try row.decode(Data.self, forColumn: "confidences"))
        return ExampleTrace(trace, answerStep: try row.decode(Int?.self, forColumn: "answer_step"),
                            answerStableStep: try row.decode(Int?.self, forColumn: "answer_stable_step"))
    }

    /// Examples that have a trace.
    public func traceCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM traces") ?? 0 }
    }
}
