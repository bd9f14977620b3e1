import Sweeps

extension ExperimentFigures {
    /// Accuracy against tokens per forward pass (generated tokens over measured passes, log2 x): where diffusion's
    /// parallel commits, AR's one token per pass and AR+MTP's accepted drafts land against what they cost in quality.
    /// One series per configuration ("model · sampler" when there are several models), 95% Wilson intervals. No
    /// frontier: more is better on this x axis, and the frontier's staircase is drawn for costs.
    static func tokensPerForwardChart(_ points: [Aggregate], title: String, labelModels: Bool) -> LineChart {
        func point(_ aggregate: Aggregate) -> LineChart.Point {
            let interval = aggregate.interval
            return LineChart.Point(x: aggregate.tokensPerForward, y: 100 * aggregate.accuracy, low: 100 * interval.low,
                                   high: 100 * interval.high)
        }
        func key(_ aggregate: Aggregate) -> String { labelModels ? "\(aggregate.model) · \(aggregate.samplerConfig)" : aggregate.samplerConfig }
        let series = unique(points.map(key)).map { name in
            LineChart.Series(name: name, points: points.filter { key($0) == name }.map(point))
        }
        return LineChart(title: title, xLabel: "tokens per forward pass (generated tokens / measured NFE, log2)",
                         yLabel: "accuracy (%), 95% Wilson interval", logXBase: 2, yRange: -2 ... 102, series: series)
    }
}
