/// Curves with vertical error bars, one series per sampler configuration, and optionally a marked Pareto frontier.
public struct LineChart: Figure {
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        /// Bounds of the error bar on y (e.g. a 95% Wilson interval).
        public var low: Double
        public var high: Double

        public init(x: Double, y: Double, low: Double, high: Double) {
            (self.x, self.y, self.low, self.high) = (x, y, low, high)
        }
    }

    public struct Series: Sendable, Equatable {
        public var name: String
        public var points: [Point]
        /// A level rather than a curve: one measured value drawn across the x range as a dotted line (a budget-free
        /// sampler in a figure over the step budget it does not use).
        public var level: Bool

        public init(name: String, points: [Point], level: Bool = false) {
            self.name = name
            self.points = points
            self.level = level
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Logarithmic x axis with this base (2 for step budgets); nil for a linear axis.
    public var logXBase: Int?
    public var yRange: ClosedRange<Double>?
    public var series: [Series]
    /// Points of the frontier, drawn as a dashed staircase with open circles; empty for none.
    public var frontier: [Point]
    /// True when less x is better (cost axes: NFE, time); false when more x is better (tokens per forward), which
    /// turns the staircase: the best accuracy reachable at no less than x.
    public var frontierLowerXBetter = true
    public var size: (width: Int, height: Int) = (1120, 640)

    /// Twelve distinguishable colours (Okabe–Ito, then Paul Tol's), with point shapes cycling on a different
    /// period, so a series keeps a unique colour-and-shape pair well past gnuplot's eight default colours.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
                          "#882255", "#44AA99", "#999933", "#AA4499"]
    static let pointTypes = [7, 5, 9, 11, 13]

    public init(title: String, xLabel: String, yLabel: String, logXBase: Int? = nil, yRange: ClosedRange<Double>? = nil,
                series: [Series], frontier: [Point] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logXBase = logXBase
        self.yRange = yRange
        self.series = series
        self.frontier = frontier
    }

    /// One block per series, then the frontier: `x  y  low  high`, blocks separated by two blank lines.
    public var data: String {
        var blocks = series.map { series in
            "# \(series.name)\n# x\ty\tlow\thigh\n"
                + series.points.sorted { $0.x < $1.x }.map(Self.row).joined()
        }
        if !frontier.isEmpty {
            blocks.append("# Pareto frontier\n# x\ty\tlow\thigh\n" + frontier.sorted { $0.x < $1.x }.map(Self.row).joined())
        }
        return blocks.joined(separator: "\n\n")
    }

    private static func row(_ point: Point) -> String {
        "\(number(point.x))\t\(number(point.y))\t\(number(point.low))\t\(number(point.high))\n"
    }

    public func plotCommands(dataFile: String) -> String {
        var lines = [
            "set title \(gnuplotString(title))",
            "set xlabel \(gnuplotString(xLabel))",
            "set ylabel \(gnuplotString(yLabel))",
            "set grid",
            "set key outside right top vertical Left reverse",
            "set offsets graph 0.03, graph 0.03, 0, 0",
        ]
        if let logXBase { lines.append("set logscale x \(logXBase)") }
        if logXBase == 2 { lines.append("set format x \"%g\"") }
        if let yRange { lines.append("set yrange [\(number(yRange.lowerBound)):\(number(yRange.upperBound))]") }
        var plots = series.enumerated().map { index, series in
            let colour = Self.palette[index % Self.palette.count]
            let point = Self.pointTypes[index % Self.pointTypes.count]
            let dash = series.level ? 3 : index < Self.palette.count ? 1 : 2
            return "\(gnuplotString(dataFile)) index \(index) using 1:2:3:4 with yerrorlines lc rgb \"\(colour)\" dt \(dash) lw 1.5 pt \(point) ps 0.9 title \(gnuplotString(series.name))"
        }
        if !frontier.isEmpty {
            // A staircase: what is reachable at a cost is the best accuracy of any point that costs no more.
            let staircase = frontierLowerXBetter ? "steps" : "fsteps"
            plots.append("\(gnuplotString(dataFile)) index \(series.count) using 1:2 with \(staircase) dt 2 lw 2 lc rgb \"black\" title \"Pareto frontier\"")
            plots.append("\(gnuplotString(dataFile)) index \(series.count) using 1:2 with points pt 6 ps 2 lc rgb \"black\" notitle")
        }
        if plots.isEmpty { plots = ["NaN notitle"] }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
        return lines.joined(separator: "\n")
    }
}
