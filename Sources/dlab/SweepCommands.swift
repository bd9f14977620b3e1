import ArgumentParser
import DiffusionEngine
import Foundation
import Plotting
import Sweeps

/// The experiment file argument and the database option shared by the sweep commands.
struct SpecOptions: ParsableArguments {
    @Argument(help: "An experiment file (YAML), e.g. Experiments/quickstart.yaml.")
    var spec: String

    @Option(help: "The results database (default: results/<name>.sqlite beside the experiment file).")
    var database: String?

    func load() throws -> ExperimentSpec {
        try ExperimentSpec(contentsOf: URL(fileURLWithPath: spec), catalog: SamplerCatalog(registry: DLabSamplers.registry()))
    }

    func databaseURL(_ spec: ExperimentSpec, shard: Shard? = nil) -> URL {
        database.map { URL(fileURLWithPath: $0) } ?? spec.database(for: shard)
    }

    /// The database to write into: the default `results/` folder beside the spec is created when missing (and only
    /// that one; a --database or `results:` path must have its folder).
    func openForWriting(_ spec: ExperimentSpec, shard: Shard? = nil) throws -> ResultsDatabase {
        if database == nil { try spec.createResultsFolder() }
        return try ResultsDatabase(databaseURL(spec, shard: shard))
    }

    /// The database to read: it must exist.
    func openForReading(_ spec: ExperimentSpec) throws -> ResultsDatabase {
        try ResultsDatabase(databaseURL(spec), create: false)
    }
}

/// `dlab sweep`: runs the grid of an experiment into its database, skipping what is already there.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run an experiment's grid (model × task × sampler config × step budget × seed); resumable.",
        discussion: """
            Every example is written to the database in its own transaction; examples already there are skipped, so \
            a sweep killed at any moment resumes where it stopped. With --shard i/n (0 ≤ i < n) only runs i, i+n, … \
            are done, into results/<name>.shard-i-of-n.sqlite; `dlab merge` joins the shards.
            """)

    @OptionGroup var options: SpecOptions

    @Option(parsing: .unconditional, help: "Run only shard i of n (0-based, e.g. 0/4), for a job array.")
    var shard: String?

    @Option(parsing: .unconditional, help: "OpenBLAS threads, 1...256.")
    var threads: Int = 1

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Time limit of one example in seconds (checked before each forward pass). An example past it stops the sweep with an error; the rows already written stay, and a rerun with a larger limit goes on from there.",
        valueName: "seconds"))
    var timeout: Double?

    @Option(parsing: .unconditional, help: "Examples run together, their forward calls served by one batched pass (default: from the canvas length, up to 32; 1: one at a time).")
    var batch: Int?

    @Option(parsing: .unconditional, help: "Lanes run at once, each a copy of the model on its own core with its own batched passes (default: the cores available over --threads; 1: one pass at a time). Results do not change.")
    var lanes: Int?

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        try NumberBounds.check(threads, "--threads", NumberBounds.threads)
        if let lanes { try NumberBounds.check(lanes, "--lanes", NumberBounds.lanes) }
        if let timeout, !(timeout > 0 && timeout <= 1e6) {
            throw ValidationError("--timeout must be > 0 and ≤ 1000000 seconds, got \(timeout)")
        }
        if let batch { try NumberBounds.check(batch, "--batch", NumberBounds.batch) }
    }

    func run() throws {
        let spec = try options.load()
        let shard = try shard.map(Shard.init)
        MatMul.setThreads(threads)
        let database = try options.openForWriting(spec, shard: shard)
        let url = database.url
        let bar = ProgressBar(enabled: !quiet)
        var runner = SweepRunner(spec: spec, database: database)
        runner.exampleTimeout = timeout
        runner.batchSize = batch
        runner.lanes = lanes ?? ModelLanes.default(threads: threads)
        let summary = try runner.run(shard: shard) { bar.show($0) }
        bar.finish()
        print(String(format: "%@: %ld runs%@, %ld examples written, %ld already there, %.1f s",
                     spec.name, summary.runs, shard.map { " (shard \($0))" } ?? "", summary.examplesWritten,
                     summary.examplesSkipped, summary.seconds))
        for pair in summary.notApplicable { print("not run: \(pair)") }
        print("results: \(url.path)")
    }
}

/// `dlab report`: the aggregate table of an experiment.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print accuracy (95% Wilson interval), mean NFE, tokens per forward and ms per example per sampler and step budget, and each sampler's area under its accuracy-parallelism curve.")

    @OptionGroup var options: SpecOptions

    func run() throws {
        let spec = try options.load()
        let database = try options.openForReading(spec)
        let aggregates = try database.aggregates()
        guard !aggregates.isEmpty else { throw SweepCommandError("no results yet in \(database.url.path); run `dlab sweep \(options.spec)`") }
        print(formatAggregateTable(aggregates))
        if aggregates.contains(where: { $0.stepBudget == nil }) {
            print("(steps 'free': a budget-free sampler, which does not read the step budget, run once per seed; `dlab samplers show NAME` says which)")
        }
        print("\nArea under the accuracy-parallelism curve per sampler (its configurations and budgets pooled; the best accuracy at ≥ ρ tokens per forward, "
            + "integrated over ln ρ from 1 to the canvas length, divided by ln(canvas): 1 = full accuracy with the whole canvas in one pass):\n"
            + formatParallelismAreaTable(ParallelismArea.of(aggregates)))
        for (task, rows) in try database.staleTaskVersionRows().sorted(by: { $0.key < $1.key }) {
            print("(\(task): \(rows) rows of an older version of the task, before its definition or data changed, are left out)")
        }
        // Tasks with several scores (GSM8K strict and flexible): each one, the first being the accuracy above.
        let named = try database.namedScoreAggregates()
        if !named.isEmpty { print("\nEvery score of tasks that report several:\n" + formatNamedScoreTable(named)) }
        // Sweeps with `trace: full`: when the final answer first appeared on the canvas (see FullTrace).
        let answers = try database.answerStepMedians()
        if !answers.isEmpty { print("\nWhen the final answer first appears on the canvas (full traces, median over examples):\n" + formatAnswerStepTable(answers)) }
        let timedOn = try database.runEnvironments().map { entry in
            "\(entry.blasCore) × \(entry.blasThreads.map(String.init) ?? "?") thread(s), batch \(entry.batchSize.map(String.init) ?? "?"), \(entry.lanes ?? 1) lane(s) (\(entry.rows) rows)"
        }
        print("timed with OpenBLAS kernels, threads, examples per batched pass and lanes at once: " + timedOn.joined(separator: "; "))
    }
}

/// `dlab plot`: the figures of an experiment, drawn by gnuplot.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw accuracy vs step budget, NFE and wall time, and commit-order heatmaps into plots/<name>/ (PNG, SVG, .gp, .dat).")

    @OptionGroup var options: SpecOptions

    @Option(help: "Folder that receives <name>/ with the figures.")
    var output: String = "plots"

    @Option(name: .customLong("gnuplot-timeout"), parsing: .unconditional,
            help: ArgumentHelp("Seconds gnuplot may take per figure before it is stopped and the plot fails.", valueName: "seconds"))
    var gnuplotTimeout: Double = 60

    func validate() throws {
        guard gnuplotTimeout > 0, gnuplotTimeout <= 86_400 else {
            throw ValidationError("--gnuplot-timeout must be > 0 and ≤ 86400 seconds, got \(gnuplotTimeout)")
        }
    }

    func run() throws {
        let spec = try options.load()
        let database = try options.openForReading(spec)
        guard try database.count() > 0 else { throw SweepCommandError("no results yet in \(database.url.path); run `dlab sweep \(options.spec)`") }
        let folder = URL(fileURLWithPath: output).appendingPathComponent(spec.name)
        let files = try ExperimentFigures.write(from: database, to: folder, gnuplot: Gnuplot(timeout: gnuplotTimeout))
        for file in files { print(file.png.path) }
        print("figures: \(folder.path) (\(files.count) figures, each .png .svg .gp .dat)")
    }
}

/// `dlab merge`: joins shard databases into the experiment's database.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join shard databases (default: every results/<name>.shard-*.sqlite) into the experiment's database.")

    @OptionGroup var options: SpecOptions

    @Option(parsing: .upToNextOption, help: "Shard databases to merge (default: those beside the experiment's database).")
    var shards: [String] = []

    func run() throws {
        let spec = try options.load()
        let sources = shards.isEmpty ? spec.shardDatabases() : shards.map { URL(fileURLWithPath: $0) }
        guard !sources.isEmpty else { throw SweepCommandError("no shard databases found beside \(spec.database.path)") }
        let database = try options.openForWriting(spec)
        let counts = try database.merge(from: sources)
        print("merged \(sources.count) databases into \(database.url.path): \(counts.added) rows added, \(counts.skipped) already there")
    }
}

/// `dlab export`: every row as CSV or JSON lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every result row as CSV or JSON lines (stdout, or --output FILE).")

    @OptionGroup var options: SpecOptions

    @Option(help: "csv or jsonl.")
    var format: String = "csv"

    @Option(help: "Output file (default: standard output).")
    var output: String?

    func run() throws {
        guard let format = ExportFormat(rawValue: format) else { throw ValidationError("--format must be csv or jsonl, got '\(format)'") }
        let spec = try options.load()
        let database = try options.openForReading(spec)
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw SweepCommandError("cannot create \(output)")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            handle = FileHandle.standardOutput
        }
        var stream = BufferedOutput(handle: handle)
        try database.export(format, to: &stream)
        stream.flush()
    }
}

/// The sweep's progress on standard error: redrawn in place on a terminal, a line every few seconds otherwise.
final class ProgressBar {
    let enabled: Bool
    let isTerminal = isatty(STDERR_FILENO) != 0
    var lastDraw = -Double.infinity
    var drewFinal = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ progress: SweepProgress) {
        guard enabled else { return }
        let interval = isTerminal ? 0.1 : 5
        let finished = progress.runsDone == progress.runsTotal
        guard !drewFinal, progress.secondsElapsed - lastDraw >= interval || finished else { return }
        drewFinal = finished
        lastDraw = progress.secondsElapsed
        let fraction = progress.examplesToDo == 0 ? 1 : min(1, Double(progress.examplesDone) / Double(progress.examplesToDo))
        let width = 24
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let eta = progress.secondsLeft.map(Self.clock) ?? "--:--"
        let line = String(format: "[%@] %ld/%ld runs  %ld/%ld examples  %.1f ex/s  ETA %@  acc %.1f%%  %@",
                          bar, progress.runsDone, progress.runsTotal, progress.examplesDone, progress.examplesToDo,
                          progress.examplesPerSecond, eta, 100 * progress.runningAccuracy, progress.currentRun)
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    func finish() {
        if enabled && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        // Beyond a thousand years (a grid of 2⁴⁰ examples) there is no clock to show, and Int() of it could trap.
        guard seconds.isFinite, seconds >= 0, seconds < 3.2e10 else { return "> 1000 years" }
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%ld:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%ld:%02d", total / 60, total % 60)
    }
}

/// A failure of a sweep command that is not a usage mistake (so no usage text follows it).
struct SweepCommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Rows go out in chunks as they are read, so an export never holds the whole database in memory.
struct BufferedOutput: TextOutputStream {
    let handle: FileHandle
    var buffer = ""

    mutating func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }
}
