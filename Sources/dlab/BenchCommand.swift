import ArgumentParser
import DiffusionCore
import DiffusionEngine
import Foundation

/// `dlab bench`: forward-pass speed of a model and of reference shapes, against the sgemm peak of this machine
/// measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time forward passes (ms, tokens/s, GFLOPS) against the OpenBLAS sgemm peak.")

    @Option(help: "A model folder to time at 64, 256 and 1024 tokens (optional).")
    var model: String?

    @Option(parsing: .unconditional, help: "OpenBLAS threads, 1...256.")
    var threads: Int = 1

    @Option(name: .customLong("expert-threads"), parsing: .unconditional, help: "Experts of a MoE layer computed at once on Dispatch threads (OpenBLAS then best at --threads 1); results do not change.")
    var expertThreads: Int = 1

    @Option(parsing: .unconditional, help: "Timed repeats per measurement (the median is reported).")
    var repeats: Int = 15

    func validate() throws {
        try NumberBounds.check(threads, "--threads", NumberBounds.threads)
        try NumberBounds.check(repeats, "--repeats", NumberBounds.repeats)
    }

    @Flag(help: "Skip the random-weight reference configurations.")
    var skipReference = false

    @OptionGroup var memoryProbe: MemoryProbeOptions

    @Flag(help: "With --model: load time, peak RSS against the weight files' size, and ms per denoising step (64 prompt + 256 canvas tokens); nothing else runs.")
    var footprint = false

    @Flag(help: "Time one 320-token projection per stored weight type (F32 in place, F16, BF16, GGUF quants expanded panel by panel); nothing else runs.")
    var panels = false

    @Option(help: "Time only this reference configuration (reference-256x4, moe-100m, llada-moe-7b-a1b-1layer).")
    var only: String?

    func run() throws {
        try NumberBounds.check(expertThreads, "--expert-threads", NumberBounds.threads)
        if panels {
            MatMul.setThreads(threads)
            return try PanelBench.run(repeats: repeats)
        }
        if footprint {
            // First, before anything else allocates, so the peak is the model's.
            guard let model else { throw ValidationError("--footprint needs --model") }
            MatMul.setThreads(threads)
            MatMul.expertThreads = expertThreads
            return try FootprintBench.run(model: model, repeats: repeats, threads: threads)
        }
        try memoryProbe.run()
        MatMul.setThreads(threads)
        MatMul.expertThreads = expertThreads
        for line in BLASRuntime.report() { print(line) }
        let peak = Stopwatch.sgemmPeak()
        print("sgemm peak (1024³, \(threads) thread(s), \(BLASRuntime.coreName) kernels): " + String(format: "%.1f GFLOPS", peak / 1e9))
        print("model                          tokens   ms/forward   tokens/s   GFLOPS   of peak")
        if let model {
            let folder = try ModelFolder(URL(fileURLWithPath: model), requireTokenizer: false)
            let name = URL(fileURLWithPath: model).lastPathComponent
            if let llada = folder.denoiser as? LLaDAMoEModel {
                for length in [64, 256, 1024] where length <= llada.config.maxPositions {
                    try time(llada, name: name, tokens: length, peak: peak)
                }
            } else if let gemma = folder.denoiser as? DiffusionGemmaModel {
                // Block diffusion: the prompt is encoded once into the KV cache; each step is one decoder pass over
                // the canvas (what a sampler pays per step), timed here after a 64-token prompt.
                for length in [64, 256, 1024] where 64 + length <= gemma.config.maxPositions {
                    try timeDecoder(gemma, name: name, canvas: length)
                }
            } else {
                throw ValidationError("bench: \(folder.modelType) models are not benchmarked yet")
            }
        }
        guard !skipReference else { return }
        let names = BenchmarkConfigurations.all.map(\.name)
        if let only, !names.contains(only) {
            throw ValidationError("--only: no configuration '\(only)'; known: \(names.joined(separator: ", "))")
        }
        for entry in BenchmarkConfigurations.all where only == nil || only == entry.name {
            let config = try LLaDAMoEConfiguration(fields: try JSONFields(entry.config, file: entry.name))
            let model = try LLaDAMoEModel(config: config, weights: RandomWeights(seed: 1))
            let (total, active) = config.parameterCounts
            print("# \(entry.name): " + String(format: "%.1fM parameters, %.1fM active per token", Double(total) / 1e6, Double(active) / 1e6))
            for length in entry.lengths { try time(model, name: entry.name, tokens: length, peak: peak) }
        }
    }

    /// Decoder passes of a block-diffusion model over a canvas, after its prompt is cached (no FLOP count yet).
    private func timeDecoder(_ model: DiffusionGemmaModel, name: String, canvas length: Int) throws {
        var generator = SeededGenerator(seed: UInt64(length))
        let vocabulary = model.vocabularySize
        let prompt = (0 ..< 64).map { _ in 3 + generator.nextInt(below: vocabulary - 3) }
        let canvas = (0 ..< length).map { _ in 3 + generator.nextInt(below: vocabulary - 3) }
        let seconds = try Stopwatch.median(repeats: repeats) {
            _ = try model.logits(prefix: prompt, canvas: canvas, conditioning: nil)
        }
        let label = "\(name) (decoder, 64-token prompt cached)"
        print(label.padding(toLength: max(label.count, 30), withPad: " ", startingAt: 0)
            + String(format: " %6d %12.2f %10.0f", length, seconds * 1e3, Double(length) / seconds) + "        –         –")
    }

    private func time(_ model: LLaDAMoEModel, name: String, tokens length: Int, peak: Double) throws {
        var generator = SeededGenerator(seed: UInt64(length))
        let tokens = (0 ..< length).map { _ in generator.nextInt(below: model.vocabularySize) }
        let seconds = try Stopwatch.median(repeats: repeats) {
            _ = try model.logits(prefix: [], canvas: tokens, conditioning: nil)
        }
        let flops = model.config.forwardFLOPs(tokens: length, outputRows: length)
        let label = name.padding(toLength: max(name.count, 30), withPad: " ", startingAt: 0)
        print(label + String(format: " %6d %12.2f %10.0f %8.1f %8.1f%%", length, seconds * 1e3, Double(length) / seconds,
                             flops / seconds / 1e9, 100 * flops / seconds / peak))
    }
}
