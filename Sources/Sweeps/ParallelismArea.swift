import Foundation

/// The area under a sampler's accuracy–parallelism curve on one model and task (`dlab report`): how much accuracy it
/// keeps as it makes more tokens per forward pass, in one number.
///
/// Definition. Take every point of the sampler (all its configurations and step budgets, pooled): parallelism
/// ρᵢ = tokens per forward (generated tokens / NFE) and accuracy aᵢ ∈ [0, 1]. The curve is the best accuracy the
/// sampler reaches at a parallelism of at least ρ, A(ρ) = max{aᵢ : ρᵢ ≥ ρ} (0 past its largest ρᵢ): a staircase, the
/// sampler's own Pareto frontier in (more ρ, more accuracy), so a non-monotone set of configurations has one
/// well-defined area. The area is taken on a log scale of ρ from 1 (one token per pass) to the canvas length L (the
/// whole canvas in one pass), and normalised by that width:
///
///     area = (1 / ln L) ∫₁ᴸ A(ρ) d ln ρ   ∈ [0, 1]
///
/// 1 means full accuracy at every parallelism up to the whole canvas in one pass; a sampler that never makes more
/// than one token per pass (autoregressive decoding) scores 0 whatever its accuracy (it has no parallelism to
/// trade); ρ above L is counted as L. The log scale weighs each doubling of parallelism alike. This is not
/// d3LLM's AUP (Qian et al. 2026, hao-ai-lab/d3LLM `aup_utils.py`), which weights a linear-ρ trapezoid by an
/// exponential penalty on accuracy below the best method's and drops points more than 5 points below a method's
/// first: that needs a cross-method maximum and a chosen penalty, this needs neither.
public struct ParallelismArea: Equatable, Sendable {
    public var model: String
    public var task: String
    /// The sampler's registry name.
    public var sampler: String
    /// Configurations × budgets pooled into the curve.
    public var points: Int
    /// The canvas length L, the right end of the integral.
    public var canvasLength: Int
    /// The normalised area, in [0, 1].
    public var area: Double
    /// The largest tokens per forward among the points, and the best accuracy among them.
    public var maxTokensPerForward: Double
    public var bestAccuracy: Double

    /// The area of the staircase over `(tokensPerForward, accuracy)` points, on log ρ from 1 to `canvasLength`,
    /// normalised to [0, 1] (0 when the canvas is one token: there is no parallelism to measure).
    public static func area(_ points: [(tokensPerForward: Double, accuracy: Double)], canvasLength: Int) -> Double {
        let top = Double(canvasLength)
        guard top > 1 else { return 0 }
        // Descending ρ: the staircase's value on [ρ_next, ρ] is the best accuracy of the points at ≥ ρ.
        let sorted = points.filter { $0.tokensPerForward.isFinite && $0.accuracy.isFinite }
            .map { (rho: min($0.tokensPerForward, top), accuracy: $0.accuracy) }.sorted { $0.rho > $1.rho }
        var (total, best) = (0.0, 0.0)
        for (index, point) in sorted.enumerated() {
            best = max(best, point.accuracy)
            let next = index + 1 < sorted.count ? max(sorted[index + 1].rho, 1) : 1
            guard point.rho > next else { continue }
            total += best * (log(point.rho) - log(next))
        }
        return total / log(top)
    }

    /// One area per model, task and sampler (registry name), in the order of `aggregates`.
    public static func of(_ aggregates: [Aggregate]) -> [ParallelismArea] {
        var order: [String] = []
        var groups: [String: [Aggregate]] = [:]
        for point in aggregates {
            let key = [point.model, point.task, point.sampler].joined(separator: "\u{1F}")
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(point)
        }
        return order.compactMap { key in
            guard let members = groups[key], let first = members.first else { return nil }
            let length = members.map(\.generationLength).max() ?? 0
            return ParallelismArea(
                model: first.model, task: first.task, sampler: first.sampler, points: members.count, canvasLength: length,
                area: area(members.map { ($0.tokensPerForward, $0.accuracy) }, canvasLength: length),
                maxTokensPerForward: members.map(\.tokensPerForward).max() ?? 0,
                bestAccuracy: members.map(\.accuracy).max() ?? 0)
        }
    }
}

/// The areas as text for the terminal (`dlab report`).
public func formatParallelismAreaTable(_ areas: [ParallelismArea]) -> String {
    let header = ["task", "sampler", "points", "canvas", "max tok/fwd", "best accuracy", "area"]
    let models = Set(areas.map(\.model))
    let rows = areas.map { area -> [String] in
        [models.count > 1 ? "\(area.model)/\(area.task)" : area.task, area.sampler, String(area.points),
         String(area.canvasLength), String(format: "%.2f", area.maxTokensPerForward),
         String(format: "%.1f%%", 100 * area.bestAccuracy), String(format: "%.3f", area.area)]
    }
    return formatTextTable(header: header, rows: rows)
}
