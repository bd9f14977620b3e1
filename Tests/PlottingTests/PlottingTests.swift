import Foundation
import Testing
@testable import Plotting
@testable import Sweeps

@Suite struct PlottingTests {
    static func scratchFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("dlab-plot-\(UUID().uuidString)")
    }

    static let chart = LineChart(
        title: "sudoku4: accuracy vs step budget", xLabel: "step budget", yLabel: "accuracy (%)", logXBase: 2,
        yRange: 0 ... 100,
        series: [
            .init(name: "low-confidence", points: [.init(x: 1, y: 40, low: 30, high: 50), .init(x: 16, y: 95, low: 90, high: 98)]),
            .init(name: "random \"order\"", points: [.init(x: 1, y: 20, low: 12, high: 30), .init(x: 16, y: 80, low: 70, high: 88)]),
        ],
        frontier: [.init(x: 1, y: 40, low: 40, high: 40), .init(x: 16, y: 95, low: 95, high: 95)])

    @Test func lineChartWritesFourFilesAndRegenerates() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try Self.chart.write(to: folder, name: "accuracy")
        let png = try Data(contentsOf: files.png)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try String(contentsOf: files.svg, encoding: .utf8).contains("<svg"))
        #expect(try String(contentsOf: files.data, encoding: .utf8).contains("# Pareto frontier"))
        // Plain gnuplot on the written .gp regenerates the figure from the .dat beside it.
        try FileManager.default.removeItem(at: files.png)
        try Gnuplot().run("load \"accuracy.gp\"", in: folder)
        #expect(FileManager.default.fileExists(atPath: files.png.path))
    }

    @Test func heatmapWrites() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let panel = Heatmap.Panel(title: "low-confidence", values: [[1, 0, 0.5], [0, 1, 0.5]])
        let files = try Heatmap(title: "order", panels: [panel, panel]).write(to: folder, name: "order")
        #expect(try Data(contentsOf: files.png).count > 1000)
    }

    @Test func gnuplotErrorsSurface() throws {
        let folder = Self.scratchFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // gnuplot reading a pipe goes on after an error and gnuplot-iostream drops its status: the bridge must not.
        let error = #expect(throws: GnuplotError.self) {
            try Gnuplot().run("plot sin(x) with nonsense\nprint \"still running\"", in: folder)
        }
        #expect(error?.kind == .script)
        #expect(error?.message.contains("unrecognized plot type") == true)
        let missing = #expect(throws: GnuplotError.self) {
            try Gnuplot(command: "/nonexistent/gnuplot").run("plot sin(x)", in: folder)
        }
        #expect(missing?.kind == .cannotRun)
        #expect(throws: GnuplotError.self) { try Gnuplot().run("print 1", in: folder.appendingPathComponent("absent")) }
    }

    @Test func warningsAreReturnedNotThrown() throws {
        let folder = Self.scratchFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let warnings = try Gnuplot().run("set terminal dumb\nset output '/dev/null'\nplot [0:1] 1", in: folder)
        #expect(warnings.lowercased().contains("warning"))
    }
}

extension PlottingTests {
    /// The sample figures a person looks at: written to `DLAB_PLOT_SAMPLES` when set (kept there), else to a
    /// scratch folder; either way every PNG and SVG must exist and start as its format says.
    @Test func sampleFiguresAreWrittenForLooking() throws {
        let keep = ProcessInfo.processInfo.environment["DLAB_PLOT_SAMPLES"]
        let folder = keep.map { URL(fileURLWithPath: $0) } ?? Self.scratchFolder()
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        try Self.chart.write(to: folder, name: "sample-accuracy")
        let panels = (0 ..< 4).map { index in
            Heatmap.Panel(title: "sampler \(index)", values: (0 ..< 16).map { step in
                (0 ..< 16).map { position in (position + index) % 16 == step ? 1.0 : 0.0 }
            })
        }
        try Heatmap(title: "order", panels: panels).write(to: folder, name: "sample-order")
        for name in ["sample-accuracy", "sample-order"] {
            let png = try Data(contentsOf: folder.appendingPathComponent("\(name).png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name).png is not a PNG")
            let svg = try String(contentsOf: folder.appendingPathComponent("\(name).svg"), encoding: .utf8)
            #expect(svg.contains("<svg"), "\(name).svg is not an SVG")
        }
    }
}

@Suite struct ExperimentFiguresTests {
    @Test func paretoFrontierKeepsUndominatedPoints() {
        let points = [(4.0, 60.0), (1.0, 20.0), (2.0, 10.0), (8.0, 55.0), (16.0, 90.0), (2.0, 30.0)]
            .map { LineChart.Point(x: $0.0, y: $0.1, low: $0.1, high: $0.1) }
        #expect(ExperimentFigures.paretoFrontier(points).map(\.x) == [1, 2, 4, 16])
        // More x is better (tokens per forward): undominated by a point with more x and more accuracy.
        #expect(ExperimentFigures.paretoFrontier(points, lowerXBetter: false).map(\.x) == [16])
        let parallel = [(1.0, 95.0), (2.0, 90.0), (2.0, 80.0), (4.0, 92.0), (8.0, 40.0), (6.0, 30.0)]
            .map { LineChart.Point(x: $0.0, y: $0.1, low: $0.1, high: $0.1) }
        #expect(ExperimentFigures.paretoFrontier(parallel, lowerXBetter: false).map(\.x) == [1, 4, 8])
    }

    /// Rows of a configuration from before budget-free runs existed (one per budget) beside its budget-free run:
    /// over the budget, a curve and a level; never a point at budget 0.
    @Test func oldPerBudgetRowsBesideABudgetFreeRun() {
        func point(_ budget: Int?, _ accuracy: Double) -> Aggregate {
            Aggregate(model: "m", task: "t", samplerConfig: "fast", stepBudget: budget, sampler: "fast", generationLength: 8,
                      examples: 10, correct: 10 * accuracy, meanNFE: 2, tokensPerForward: 4, msPerExample: 1)
        }
        let chart = ExperimentFigures.lineChart([point(2, 0.9), point(8, 0.9), point(nil, 0.9)], axis: .steps, title: "t")
        #expect(chart.series.map(\.name) == ["fast", "fast (budget-free)"])
        #expect(chart.series.map(\.level) == [false, true])
        #expect(chart.series.flatMap(\.points).map(\.x).allSatisfy { $0 >= 2 })
        #expect(chart.frontier.map(\.x) == [2])
    }

    @Test func figuresFromADatabase() throws {
        let folder = PlottingTests.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try ResultsDatabase(folder.appendingPathComponent("results.sqlite"))
        for (config, budget) in [("a", 1), ("a", 4), ("b", 1), ("b", 4)] {
            for index in 0 ..< 10 {
                try database.insert(ExampleResult(
                    runKey: "\(config)\(budget)", experiment: "t", model: "m", task: "sudoku4", taskVersion: 1,
                    split: "eval", taskSeed: 0, exampleIndex: index, sampler: config, samplerParameters: "{}",
                    samplerConfig: config, stepBudget: budget, seed: 0, repeatIndex: 0, generationLength: 4,
                    blockLength: nil, prompt: "p", output: "o", reference: "o", score: index < budget * 2 ? 1 : 0,
                    nfe: budget, stepsRun: budget, tokensPerForward: 4 / Double(budget), wallSeconds: 0.001 * Double(budget),
                    commitSteps: (0 ..< 4).map { min($0, budget - 1) }, gitCommit: "x", dlabVersion: "0"))
            }
        }
        // A budget-free configuration: one run, no budget, 9 of 10 right in 2 passes.
        for index in 0 ..< 10 {
            var row = ExampleResult(
                runKey: "c", experiment: "t", model: "m", task: "sudoku4", taskVersion: 1, split: "eval", taskSeed: 0,
                exampleIndex: index, sampler: "c", samplerParameters: "{}", samplerConfig: "c", stepBudget: 0, seed: 0,
                repeatIndex: 0, generationLength: 4, blockLength: nil, prompt: "p", output: "o", reference: "o",
                score: index < 9 ? 1 : 0, nfe: 2, stepsRun: 2, tokensPerForward: 2, wallSeconds: 0.002,
                commitSteps: [0, 0, 1, 1], gitCommit: "x", dlabVersion: "0")
            row.budgetFree = true
            try database.insert(row)
        }
        let files = try ExperimentFigures.write(from: database, to: folder.appendingPathComponent("plots"))
        #expect(files.map(\.png.lastPathComponent) == [
            "sudoku4-accuracy-vs-steps.png", "sudoku4-accuracy-vs-nfe.png", "sudoku4-accuracy-vs-time.png",
            "sudoku4-accuracy-vs-parallelism.png", "sudoku4-commit-order.png",
        ])
        for file in files {
            #expect(FileManager.default.fileExists(atPath: file.svg.path))
        }
        let data = try String(contentsOf: files[0].data, encoding: .utf8)
        #expect(data.contains("# a\n") && data.contains("# Pareto frontier"))
        // Over the step budget the budget-free point is a level across the budgets (1 to 4), outside the frontier.
        let blocks = data.components(separatedBy: "\n\n\n")
        #expect(blocks.contains { $0.hasPrefix("# c (budget-free)\n# x\ty\tlow\thigh\n1\t90\t") && $0.contains("\n4\t90\t") })
        #expect(blocks.last?.contains("\t90\t") == false)
        let script = try String(contentsOf: files[0].script, encoding: .utf8)
        #expect(script.contains("dt 3") && script.contains("with steps"))
        // Over NFE it is one point, on the frontier (90% at 2 passes beats b's 80% at 4).
        let nfe = try String(contentsOf: files[1].data, encoding: .utf8)
        #expect(nfe.contains("# c\n# x\ty\tlow\thigh\n2\t90\t"))
        #expect(nfe.components(separatedBy: "# Pareto frontier").last?.contains("\n2\t90\t") == true)
        // Over tokens per forward the frontier turns: best accuracy at no less parallelism.
        let parallel = try String(contentsOf: files[3].script, encoding: .utf8)
        #expect(parallel.contains("with fsteps"))
    }

    /// A gnuplot that never exits is stopped after the time limit (its whole process group), with an error.
    @Test func gnuplotThatNeverExitsTimesOut() throws {
        let folder = PlottingTests.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let start = Date()
        let error = #expect(throws: GnuplotError.self) {
            try PlottingTests.chart.write(to: folder, name: "hangs", gnuplot: Gnuplot(command: "sleep 600", timeout: 1))
        }
        #expect(error?.kind == .timeout, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(start) < 30)
    }

    /// A gnuplot that reports an error but exits 0 (and writes no image) is an error naming the figure; an image
    /// left by an earlier run does not count.
    @Test func gnuplotThatWritesNothingIsAnError() throws {
        let folder = PlottingTests.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: folder.appendingPathComponent("silent.png"))
        let liar = Gnuplot(command: "cat >/dev/null; echo 'line 7: undefined variable: x' >&2; exit 0", timeout: 30)
        let error = #expect(throws: GnuplotError.self) {
            try PlottingTests.chart.write(to: folder, name: "silent", gnuplot: liar)
        }
        #expect(error?.kind == .missingOutput, "\(String(describing: error))")
        #expect(error?.description.contains("figure 'silent'") == true && error?.description.contains("undefined variable") == true,
                "\(String(describing: error))")
    }

    /// gnuplots started at the same moment do not hold each other's script pipe open (each would then wait for the
    /// end of its script until the time limit): every one of eight finishes at once.
    @Test func concurrentRunsDoNotShareTheirPipes() throws {
        let folder = PlottingTests.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let start = Date()
        let failures = LockedCount()
        // A script larger than a pipe's buffer, read after a pause: each parent holds its write end open for a while,
        // the window in which another thread's fork could inherit it.
        let script = String(repeating: "# a comment line that fills the pipe's buffer\n", count: 4096)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                try Gnuplot(command: "sleep 0.3; cat >/dev/null", timeout: 20).run(script, in: folder)
            } catch {
                failures.add()
            }
        }
        #expect(failures.value == 0)
        #expect(Date().timeIntervalSince(start) < 15)
    }
}

final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func add() { lock.lock(); count += 1; lock.unlock() }
}
