import Foundation
import Projection
import Sweeps

/// Fills a projection method's statistics from a results database: the tokens per forward pass that a sampler
/// configuration measured (generated tokens over NFE, across every example of the chosen point), and for
/// self-speculative decoding (`ar_mtp`) its acceptance per draft position.
enum MeasuredStatistics {
    static func read(_ source: MeasuredSource) throws -> MethodStatistics {
        guard FileManager.default.fileExists(atPath: source.database) else {
            throw ProjectionError("no results database at \(source.database)")
        }
        let all = try ResultsDatabase(URL(fileURLWithPath: source.database)).aggregates()
        let matches = all.filter { point in
            point.samplerConfig == source.samplerConfig && (source.model == nil || point.model == source.model)
                && (source.task == nil || point.task == source.task)
                && (source.stepBudget == nil || point.stepBudget == source.stepBudget)
        }
        guard let point = matches.first, matches.count == 1 else {
            let shown = (matches.isEmpty ? all : matches).prefix(6)
                .map { "\($0.model)/\($0.task) '\($0.samplerConfig)' steps \($0.stepBudget.map(String.init) ?? "free (budget-free)")" }.joined(separator: "; ")
            throw ProjectionError("\(matches.isEmpty ? "no" : "\(matches.count)") points of \(source.database) match "
                + "sampler '\(source.samplerConfig)'\(matches.isEmpty ? "" : "; name model, task and steps to pick one")"
                + (shown.isEmpty ? "" : " (e.g. \(shown))"))
        }
        guard point.tokensPerForward > 0 else { throw ProjectionError("the matching point has no forward passes recorded") }
        let rows = try ResultsDatabase(URL(fileURLWithPath: source.database))
            .results(task: point.task, samplerConfig: point.samplerConfig, stepBudget: point.stepBudget)
            .filter { $0.model == point.model }
        return MethodStatistics(nfePerToken: 1 / point.tokensPerForward, tokensPerForward: point.tokensPerForward,
                                acceptancePerPosition: DraftAcceptance.reach(rows))
    }
}
