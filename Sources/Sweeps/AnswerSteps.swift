import GRDB

/// When the final answer first appears, from full traces: the medians `dlab report` prints.
extension ResultsDatabase {
    /// Per model, task, sampler configuration and step budget (in order of first row), over the traced examples of
    /// the current task versions: the median step (1-based) at which the final answer first appeared, and the median
    /// of that step over the steps the example ran.
    public func answerStepMedians() throws -> [AnswerStepMedian] {
        try read { db in
            let current = try CurrentTaskVersions(db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT model, task, sampler_config, step_budget, answer_step, answer_fraction FROM trace_answer_steps
                WHERE answer_step IS NOT NULL AND \(current.condition) ORDER BY id
                """, arguments: current.arguments)
            var order: [AnswerStepMedian.Series] = []
            var values: [AnswerStepMedian.Series: (steps: [Double], fractions: [Double])] = [:]
            for row in rows {
                let series = AnswerStepMedian.Series(
                    model: try row.decode(String.self, forColumn: "model"), task: try row.decode(String.self, forColumn: "task"),
                    samplerConfig: try row.decode(String.self, forColumn: "sampler_config"),
                    stepBudget: try row.decode(Int.self, forColumn: "step_budget"))
                if values[series] == nil { order.append(series) }
                values[series, default: ([], [])].steps.append(Double(try row.decode(Int.self, forColumn: "answer_step") + 1))
                values[series, default: ([], [])].fractions.append(try row.decode(Double.self, forColumn: "answer_fraction"))
            }
            return order.map { series in
                let (steps, fractions) = values[series] ?? ([], [])
                return AnswerStepMedian(series: series, examples: steps.count, medianStep: median(steps), medianFraction: median(fractions))
            }
        }
    }
}

/// When the final answer first appeared, for one series of a sweep with full traces (`dlab report`).
public struct AnswerStepMedian: Equatable, Sendable {
    public struct Series: Hashable, Sendable {
        public var model: String
        public var task: String
        public var samplerConfig: String
        public var stepBudget: Int
    }

    public var series: Series
    /// Traced examples with a non-empty answer.
    public var examples: Int
    /// Median of the 1-based step at which the answer first appeared, and of that step over the steps run.
    public var medianStep: Double
    public var medianFraction: Double
}

/// The median of a non-empty list (the mean of the middle two for an even count).
private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// The table `dlab report` prints for sweeps with full traces.
public func formatAnswerStepTable(_ medians: [AnswerStepMedian]) -> String {
    let header = ["task", "sampler", "steps", "n", "median answer step", "of steps run"]
    let models = Set(medians.map(\.series.model))
    let rows = medians.map { point -> [String] in
        let s = point.series
        return [models.count > 1 ? "\(s.model)/\(s.task)" : s.task, s.samplerConfig, s.stepBudget > 0 ? String(s.stepBudget) : "free", String(point.examples),
                String(format: "%.1f", point.medianStep), String(format: "%.0f%%", 100 * point.medianFraction)]
    }
    return formatTextTable(header: header, rows: rows)
}
