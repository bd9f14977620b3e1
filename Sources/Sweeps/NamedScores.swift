import Foundation
import GRDB

/// One score of a task that reports several (GSM8K: strict-match and flexible-extract) at one point of a curve.
public struct NamedScoreAggregate: Equatable, Sendable {
    public var model: String
    public var task: String
    public var samplerConfig: String
    /// The step budget; nil for a budget-free sampler's rows.
    public var stepBudget: Int?
    public var name: String
    public var examples: Int
    public var sum: Double

    public var mean: Double { examples == 0 ? 0 : sum / Double(examples) }
    public var interval: WilsonInterval { WilsonInterval(successes: sum, trials: examples) }
}

extension ResultsDatabase {
    /// Every named score of the rows that store several (the `scores` column), per model, task, sampler
    /// configuration and step budget, in the order the points and the names first appear.
    public func namedScoreAggregates() throws -> [NamedScoreAggregate] {
        try read { db in
            let current = try CurrentTaskVersions(db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT model, task, sampler_config, step_budget, budget_free, scores FROM examples
                WHERE scores IS NOT NULL AND \(current.condition) ORDER BY id
                """, arguments: current.arguments)
            var order: [String] = []
            var points: [String: NamedScoreAggregate] = [:]
            for row in rows {
                // `decode` throws on a NULL or a value of the wrong type (a damaged file), where subscripts trap.
                let (model, task, config, step) = (try row.decode(String.self, forColumn: "model"), try row.decode(String.self, forColumn: "task"),
                                                   try row.decode(String.self, forColumn: "sampler_config"), try row.decode(Int.self, forColumn: "step_budget"))
                let budget = try row.decode(Bool.self, forColumn: "budget_free") ? nil : step
                let text = try row.decode(String.self, forColumn: "scores")
                guard let values = try? JSONDecoder().decode([String: Double].self, from: Data(text.utf8)) else { continue }
                // The names in the order the task defines them (the stored object keeps that order).
                let names = values.keys.sorted { (text.range(of: "\"\($0)\":")?.lowerBound ?? text.endIndex) < (text.range(of: "\"\($1)\":")?.lowerBound ?? text.endIndex) }
                for name in names {
                    let key = [model, task, config, budget.map(String.init) ?? "free", name].joined(separator: "\u{1F}")
                    if points[key] == nil {
                        order.append(key)
                        points[key] = NamedScoreAggregate(model: model, task: task, samplerConfig: config, stepBudget: budget,
                                                          name: name, examples: 0, sum: 0)
                    }
                    points[key]?.examples += 1
                    points[key]?.sum += values[name] ?? 0
                }
            }
            return order.compactMap { points[$0] }
        }
    }
}

/// The named scores as text for the terminal (`dlab report`), one line per point and score.
public func formatNamedScoreTable(_ aggregates: [NamedScoreAggregate]) -> String {
    let header = ["task", "sampler", "steps", "score", "n", "mean", "95% interval"]
    let models = Set(aggregates.map(\.model))
    let rows = aggregates.map { point -> [String] in
        let interval = point.interval
        return [
            models.count > 1 ? "\(point.model)/\(point.task)" : point.task, point.samplerConfig, point.stepBudget.map(String.init) ?? "free",
            point.name, String(point.examples), String(format: "%.1f%%", 100 * point.mean),
            String(format: "[%.1f, %.1f]", 100 * interval.low, 100 * interval.high),
        ]
    }
    return formatTextTable(header: header, rows: rows, leftAligned: [0, 1, 3])
}
