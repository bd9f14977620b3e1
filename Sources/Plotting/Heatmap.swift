/// Panels of position × step maps, side by side: for each panel, the fraction of examples whose canvas position
/// was committed at each step (the unmasking order of a sampler).
public struct Heatmap: Figure {
    public struct Panel: Sendable, Equatable {
        public var title: String
        /// `values[step][position]`, each in 0...1.
        public var values: [[Double]]

        public init(title: String, values: [[Double]]) {
            self.title = title
            self.values = values
        }
    }

    public var title: String
    public var panels: [Panel]
    public var columns: Int
    public var size: (width: Int, height: Int)

    public init(title: String, panels: [Panel], columns: Int = 3) {
        self.title = title
        self.panels = panels
        self.columns = max(1, min(columns, panels.count))
        let rows = (panels.count + self.columns - 1) / max(self.columns, 1)
        // Wide enough for the figure title too (about 9 px a character at the title's font size).
        let titleWidth = 9 * (title.count + 40)
        size = (max(360 * self.columns + 120, 720, titleWidth), 320 * max(rows, 1) + 60)
    }

    /// One block per panel: `position  step  fraction`, one scan line per step.
    public var data: String {
        panels.map { panel in
            var text = "# \(panel.title)\n# position\tstep\tfraction\n"
            for (step, row) in panel.values.enumerated() {
                for (position, value) in row.enumerated() {
                    text += "\(position)\t\(step)\t\(number(value))\n"
                }
                text += "\n"
            }
            return text
        }.joined(separator: "\n")
    }

    public func plotCommands(dataFile: String) -> String {
        let rows = (panels.count + columns - 1) / columns
        var lines = [
            "set multiplot layout \(max(rows, 1)),\(columns) title \(gnuplotString(title + " (colour: fraction of examples)")) font \",12\"",
            "set palette defined (0 \"white\", 0.25 \"#9ecae1\", 0.6 \"#3182bd\", 1 \"#08306b\")",
            "set cbrange [0:*]",
            "set xlabel \"canvas position\"",
            "set ylabel \"step of commit\"",
            "set tics out",
        ]
        for (index, panel) in panels.enumerated() {
            let steps = panel.values.count
            let positions = panel.values.first?.count ?? 0
            lines += [
                "set title \(gnuplotString(panel.title))",
                "set xrange [-0.5:\(Double(positions) - 0.5)]",
                "set yrange [-0.5:\(Double(steps) - 0.5)]",
                "plot \(gnuplotString(dataFile)) index \(index) using 1:2:3 with image notitle",
            ]
        }
        if panels.isEmpty { lines.append("plot NaN notitle") }
        lines.append("unset multiplot")
        return lines.joined(separator: "\n")
    }
}
