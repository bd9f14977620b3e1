import Foundation
import Sweeps

/// The figures of an experiment, drawn from its results database (`dlab plot`): for each task, accuracy against
/// the step budget (log2 x), the measured mean NFE, the wall time per example and the tokens per forward pass
/// (parallelism), one series per sampler configuration with 95% Wilson intervals and the Pareto frontier marked;
/// and a commit-order heatmap per task. A budget-free configuration (run once, its sampler does not read the
/// budget) is one point on the NFE, time and parallelism axes, and a dotted level marked "(budget-free)" across the
/// budgets of the step-budget figure, outside its frontier (the budget costs it nothing).
public enum ExperimentFigures {
    /// Writes every figure into `folder` (`plots/<experiment>/`).
    /// - Returns: the files written, in order.
    public static func write(from database: ResultsDatabase, to folder: URL, gnuplot: Gnuplot = Gnuplot()) throws
        -> [FigureFiles]
    {
        let aggregates = try database.aggregates()
        var files: [FigureFiles] = []
        let models = unique(aggregates.map(\.model))
        // Curves: one figure per task with every model in it (series "model · sampler" when there are several),
        // so that models, e.g. masked and uniform-state diffusion, are compared in the same axes.
        for task in unique(aggregates.map(\.task)) {
            let points = aggregates.filter { $0.task == task }
            for axis in Axis.allCases {
                let chart = lineChart(points, axis: axis, title: "\(task): accuracy vs \(axis.title)", labelModels: models.count > 1)
                files.append(try chart.write(to: folder, name: "\(task)-accuracy-vs-\(axis.rawValue)", gnuplot: gnuplot))
            }
        }
        // Commit orders: one figure per model and task (a panel per sampler).
        for model in models {
            for task in unique(aggregates.filter { $0.model == model }.map(\.task)) {
                let points = aggregates.filter { $0.model == model && $0.task == task }
                let prefix = models.count > 1 ? "\(model)-" : ""
                let name = models.count > 1 ? "\(model) · \(task)" : task
                if let heatmap = try orderHeatmap(database, points, title: "\(name): commit order at the largest step budget") {
                    files.append(try heatmap.write(to: folder, name: "\(prefix)\(task)-commit-order", gnuplot: gnuplot))
                }
            }
        }
        return files
    }

    enum Axis: String, CaseIterable {
        case steps
        case nfe
        case time
        case parallelism

        var title: String {
            switch self {
            case .steps: return "step budget"
            case .nfe: return "mean NFE"
            case .time: return "wall time"
            case .parallelism: return "tokens per forward"
            }
        }

        var label: String {
            switch self {
            case .steps: return "step budget (nominal, log2)"
            case .nfe: return "mean forward passes per example (measured NFE, log2)"
            case .time: return "wall time per example (ms, log10)"
            case .parallelism: return "tokens per forward pass (generated / NFE, log2)"
            }
        }

        func x(_ aggregate: Aggregate) -> Double {
            switch self {
            case .steps: return Double(aggregate.stepBudget ?? 0)
            case .nfe: return aggregate.meanNFE
            case .time: return aggregate.msPerExample
            case .parallelism: return aggregate.tokensPerForward
            }
        }
    }

    static func lineChart(_ points: [Aggregate], axis: Axis, title: String, labelModels: Bool = false) -> LineChart {
        func point(_ aggregate: Aggregate) -> LineChart.Point {
            let interval = aggregate.interval
            return LineChart.Point(x: axis.x(aggregate), y: 100 * aggregate.accuracy, low: 100 * interval.low,
                                   high: 100 * interval.high)
        }
        func key(_ aggregate: Aggregate) -> String { labelModels ? "\(aggregate.model) · \(aggregate.samplerConfig)" : aggregate.samplerConfig }
        // Over the step budget, a budget-free point is a level across the budgets the other samplers ran.
        let budgets = points.compactMap(\.stepBudget)
        let span = (Double(budgets.min() ?? 1), Double(budgets.max() ?? max(points.map(\.generationLength).max() ?? 1, 1)))
        // A database written before budget-free runs existed may also hold per-budget rows of the same
        // configuration: over the budget they stay a curve of their own beside the level.
        let series = unique(points.map(key)).flatMap { name -> [LineChart.Series] in
            let members = points.filter { key($0) == name }
            guard axis == .steps, let level = members.first(where: { $0.stepBudget == nil }).map(point) else {
                return [LineChart.Series(name: name, points: members.map(point))]
            }
            let budgeted = members.filter { $0.stepBudget != nil }
            return (budgeted.isEmpty ? [] : [LineChart.Series(name: name, points: budgeted.map(point))]) + [
                LineChart.Series(name: "\(name) (budget-free)", points: [span.0, span.1].map { x in
                    LineChart.Point(x: x, y: level.y, low: level.low, high: level.high)
                }, level: true),
            ]
        }
        let ranked = (axis == .steps ? points.filter { $0.stepBudget != nil } : points).map(point)
        var chart = LineChart(title: title, xLabel: axis.label, yLabel: "accuracy (%), 95% Wilson interval",
                              logXBase: axis == .time ? 10 : 2, yRange: -2 ... 102, series: series,
                              frontier: paretoFrontier(ranked, lowerXBetter: axis != .parallelism))
        chart.frontierLowerXBetter = axis != .parallelism
        // Room for the legend: one line per series.
        chart.size.height = max(chart.size.height, 120 + 18 * series.count)
        return chart
    }

    /// Points no other point beats on both counts (cheaper x — less, or more with `lowerXBetter` false — and more
    /// accuracy), by increasing x.
    public static func paretoFrontier(_ points: [LineChart.Point], lowerXBetter: Bool = true) -> [LineChart.Point] {
        guard lowerXBetter else {
            let mirrored = points.map { LineChart.Point(x: -$0.x, y: $0.y, low: $0.low, high: $0.high) }
            return paretoFrontier(mirrored).reversed().map { LineChart.Point(x: -$0.x, y: $0.y, low: $0.low, high: $0.high) }
        }
        var frontier: [LineChart.Point] = []
        for point in points.sorted(by: { $0.x != $1.x ? $0.x < $1.x : $0.y > $1.y }) where point.y > (frontier.last?.y ?? -.infinity) {
            frontier.append(point)
        }
        return frontier
    }

    /// For each sampler configuration at its largest step budget: the fraction of examples that committed each
    /// canvas position at each step.
    static func orderHeatmap(_ database: ResultsDatabase, _ points: [Aggregate], title: String) throws -> Heatmap? {
        guard let task = points.first?.task else { return nil }
        var panels: [Heatmap.Panel] = []
        for config in unique(points.map(\.samplerConfig)) {
            let budgets = points.filter { $0.samplerConfig == config }.map(\.stepBudget)
            guard !budgets.isEmpty else { continue }
            // The largest budget; a budget-free configuration has its one point (nil).
            let budget = budgets.contains(nil) ? nil : budgets.compactMap { $0 }.max()
            let rows = try database.results(task: task, samplerConfig: config, stepBudget: budget)
                .filter { $0.model == points[0].model }
            let positions = rows.map(\.commitSteps.count).max() ?? 0
            let latest = rows.flatMap(\.commitSteps).max() ?? -1
            // The grid is steps × positions cells: bounded, so a damaged or foreign row cannot ask for terabytes.
            guard latest < maxHeatmapSide, positions <= maxHeatmapSide else {
                throw HeatmapSizeError(file: database.url.path, task: task, samplerConfig: config, positions: positions, steps: latest + 1)
            }
            let steps = latest + 1
            guard positions > 0, steps > 0 else { continue }
            var counts = [[Double]](repeating: [Double](repeating: 0, count: positions), count: steps)
            for row in rows {
                for (position, step) in row.commitSteps.enumerated() where step >= 0 {
                    counts[step][position] += 1
                }
            }
            let total = Double(rows.count)
            panels.append(Heatmap.Panel(title: "\(config) (\(budget.map { "\($0) steps" } ?? "budget-free"))",
                                        values: counts.map { $0.map { $0 / total } }))
        }
        // Many samplers (a whole catalogue): six panels a row, so the figure stays wider than tall.
        return panels.isEmpty ? nil : Heatmap(title: title, panels: panels, columns: panels.count > 12 ? 6 : 3)
    }

    /// The most steps or positions a commit-order heatmap draws: 2048 × 2048 cells (32 MB) at most, far above the
    /// canvases of the models here.
    static let maxHeatmapSide = 1 << 11

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

/// Commit steps in a database too large to draw: a damaged or foreign row.
public struct HeatmapSizeError: Error, CustomStringConvertible {
    public let file: String, task: String, samplerConfig: String
    public let positions: Int, steps: Int

    public var description: String {
        "\(file): rows of task \(task), sampler \(samplerConfig) hold \(positions) canvas positions and commit steps up to \(steps); "
            + "a commit-order heatmap draws at most \(ExperimentFigures.maxHeatmapSide) of each (is the database damaged?)"
    }
}
