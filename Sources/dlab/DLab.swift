import ArgumentParser
import DiffusionEngine

/// `dlab`: the DiffusionLab command-line tool. Each subcommand converts its options to library types at the edge.
@main
struct DLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlab",
        abstract: "DiffusionLab: a workbench for samplers of diffusion language models.",
        subcommands: [
            SampleCommand.self, SamplersCommand.self, LogitsCommand.self, BenchCommand.self, TasksCommand.self,
            SweepCommand.self, ReportCommand.self, PlotCommand.self, MergeCommand.self, ExportCommand.self,
            ProjectCommand.self, QuantizeCommand.self, TokenizeCommand.self,
        ]
    )

    /// Before anything else: when OpenBLAS fell back to older kernels than the CPU runs, start again with the best.
    static func main() {
        BLASRuntime.reexecuteIfFallback()
        main(nil)
    }
}
