import Foundation

/// Two panels over concurrent users (log₂ x, log y): tokens per second per user on the left, in total on the
/// right, one curve per decoding method; vertical dashed lines mark named user counts (crossovers) and, when given,
/// the last user count that fits the hardware's memory.
public struct ProjectionChart: Figure {
    public struct Series: Sendable, Equatable {
        public var name: String
        /// (users, tokens/s per user, tokens/s total)
        public var points: [(users: Double, perUser: Double, total: Double)]

        public init(name: String, points: [(users: Double, perUser: Double, total: Double)]) {
            self.name = name
            self.points = points
        }

        public static func == (lhs: Series, rhs: Series) -> Bool {
            lhs.name == rhs.name && lhs.points.elementsEqual(rhs.points) { $0 == $1 }
        }
    }

    public struct Marker: Sendable, Equatable {
        public var users: Double
        public var label: String

        public init(users: Double, label: String) {
            self.users = users
            self.label = label
        }
    }

    public var title: String
    public var series: [Series]
    public var markers: [Marker]
    public var size: (width: Int, height: Int) = (1400, 620)

    public init(title: String, series: [Series], markers: [Marker] = []) {
        self.title = title
        self.series = series
        self.markers = markers
    }

    /// One block per series: `users  per_user  total`.
    public var data: String {
        series.map { series in
            "# \(series.name)\n# users\tper_user\ttotal\n"
                + series.points.map { "\(number($0.users))\t\(number($0.perUser))\t\(number($0.total))\n" }.joined()
        }.joined(separator: "\n\n")
    }

    public func plotCommands(dataFile: String) -> String {
        var lines = [
            "set multiplot layout 1,2 title \(gnuplotString(title)) font \",13\"",
            "set logscale x 2", "set format x \"%g\"", "set logscale y 10", "set grid", "set xlabel \"concurrent users\"",
            "set key bottom left box opaque",
        ]
        // Labels of markers in the right part of the (log) x range go on the left of their line, so they stay inside.
        let largest = series.flatMap { $0.points.map(\.users) }.max() ?? 1
        for (index, marker) in markers.enumerated() {
            let right = largest > 1 && log(max(marker.users, 1)) / log(largest) > 0.5
            let placement = right ? "right offset -0.5,0" : "left offset 0.5,0"
            lines.append("set arrow \(index + 1) from \(number(marker.users)), graph 0 to \(number(marker.users)), graph 1 nohead dt 2 lw 1.5 lc rgb \"#555555\"")
            lines.append("set label \(index + 1) \(gnuplotString(marker.label)) at \(number(marker.users)), graph \(number(0.96 - 0.06 * Double(index))) \(placement) font \",10\"")
        }
        for (column, label) in [(2, "tokens/s per user"), (3, "tokens/s in total")] {
            lines.append("set ylabel \(gnuplotString(label))")
            var plots = series.enumerated().map { index, series in
                let colour = LineChart.palette[index % LineChart.palette.count]
                return "\(gnuplotString(dataFile)) index \(index) using 1:\(column) with lines lw 2.5 lc rgb \"\(colour)\" title \(gnuplotString(series.name))"
            }
            if plots.isEmpty { plots = ["NaN notitle"] }
            lines.append("plot " + plots.joined(separator: ", \\\n     "))
        }
        lines.append("unset multiplot")
        return lines.joined(separator: "\n")
    }
}
