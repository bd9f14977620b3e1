import Foundation
import GRDB

/// A 95% Wilson score interval for a proportion (Wilson 1927): sound at 0 and 1 and at small n, unlike the
/// normal approximation. `successes` may be fractional (a sum of scores).
public struct WilsonInterval: Equatable, Sendable {
    public let low: Double
    public let high: Double

    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    public init(successes: Double, trials: Int, z: Double = WilsonInterval.z95) {
        guard trials > 0 else {
            (low, high) = (0, 1)
            return
        }
        let n = Double(trials)
        let p = successes / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * ((p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()) / denominator
        low = max(0, centre - half)
        high = min(1, centre + half)
    }
}

/// One point of a curve: a sampler configuration at one step budget on one task of one model, over every
/// example, seed and repeat of it in the database.
public struct Aggregate: Equatable, Sendable {
    public var model: String
    public var task: String
    public var samplerConfig: String
    /// The step budget; nil for a budget-free sampler (run once per seed, see `StepBudgetUse`).
    public var stepBudget: Int?
    /// The sampler's registry name (one name can have several configurations).
    public var sampler: String = ""
    /// The longest canvas of the point's rows (the generation length): the most tokens one forward pass can make.
    public var generationLength: Int = 0
    public var examples: Int
    public var correct: Double
    public var meanNFE: Double
    /// Generated tokens over forward passes, over all examples of the point (each row's tokens per forward times
    /// its passes, so canvas after canvas and early stops count the tokens actually generated).
    public var tokensPerForward: Double
    public var msPerExample: Double

    public var accuracy: Double { examples == 0 ? 0 : correct / Double(examples) }
    public var interval: WilsonInterval { WilsonInterval(successes: correct, trials: examples) }
}

extension ResultsDatabase {
    /// The aggregate table: per model, task, sampler configuration and step budget, in the order the configurations
    /// first appear in the database, then by step budget; of each task, only the rows of its current version
    /// (`CurrentTaskVersions`).
    public func aggregates() throws -> [Aggregate] {
        try read { db in
            let current = try CurrentTaskVersions(db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT model, task, sampler_config, step_budget, budget_free, MIN(sampler) AS sampler,
                       MAX(generation_length) AS length, COUNT(*) AS n, SUM(score) AS correct,
                       AVG(nfe) AS mean_nfe, SUM(tokens_per_forward * nfe) / MAX(SUM(nfe), 1) AS tpf,
                       AVG(wall_seconds) * 1000.0 AS ms, MIN(id) AS first
                FROM examples WHERE \(current.condition) GROUP BY model, task, sampler_config, step_budget, budget_free
                """, arguments: current.arguments)
            // `decode` throws on a NULL or a value of the wrong type (a damaged or foreign file), where subscripts trap.
            var firstOfConfig: [String: Int64] = [:]
            for row in rows {
                let config = try row.decode(String.self, forColumn: "sampler_config")
                let first = try row.decode(Int64.self, forColumn: "first")
                firstOfConfig[config] = min(firstOfConfig[config] ?? first, first)
            }
            return try rows.map { row in
                let budgetFree = try row.decode(Bool.self, forColumn: "budget_free")
                return Aggregate(
                    model: try row.decode(forColumn: "model"), task: try row.decode(forColumn: "task"),
                    samplerConfig: try row.decode(forColumn: "sampler_config"),
                    stepBudget: budgetFree ? nil : try row.decode(Int.self, forColumn: "step_budget"),
                    sampler: try row.decode(forColumn: "sampler"), generationLength: try row.decode(forColumn: "length"),
                    examples: try row.decode(forColumn: "n"), correct: try row.decode(forColumn: "correct"),
                    meanNFE: try row.decode(forColumn: "mean_nfe"), tokensPerForward: try row.decode(forColumn: "tpf"),
                    msPerExample: try row.decode(forColumn: "ms"))
            }.sorted {
                ($0.model, $0.task, firstOfConfig[$0.samplerConfig] ?? 0, $0.stepBudget ?? 0)
                    < ($1.model, $1.task, firstOfConfig[$1.samplerConfig] ?? 0, $1.stepBudget ?? 0)
            }
        }
    }
}

/// The aggregate table as text for the terminal (`dlab report`); a budget-free point's steps read "free".
public func formatAggregateTable(_ aggregates: [Aggregate]) -> String {
    let header = ["task", "sampler", "steps", "n", "accuracy", "95% interval", "mean NFE", "tok/fwd", "ms/example"]
    var rows: [[String]] = []
    let models = Set(aggregates.map(\.model))
    for aggregate in aggregates {
        let interval = aggregate.interval
        rows.append([
            models.count > 1 ? "\(aggregate.model)/\(aggregate.task)" : aggregate.task,
            aggregate.samplerConfig,
            aggregate.stepBudget.map(String.init) ?? "free",
            String(aggregate.examples),
            String(format: "%.1f%%", 100 * aggregate.accuracy),
            String(format: "[%.1f, %.1f]", 100 * interval.low, 100 * interval.high),
            String(format: "%.2f", aggregate.meanNFE),
            String(format: "%.2f", aggregate.tokensPerForward),
            String(format: "%.2f", aggregate.msPerExample),
        ])
    }
    return formatTextTable(header: header, rows: rows)
}
