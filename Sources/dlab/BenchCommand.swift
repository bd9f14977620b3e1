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

    @Option(parsing: .unconditional, help: "Threads of one forward pass, 1...256: OpenBLAS's for the matmuls, and as many Dispatch workers for attention heads and experts; results do not change.")
    var threads: Int = 1

    @Option(name: .customLong("expert-threads"), parsing: .unconditional, help: "Experts of a MoE layer computed at once on Dispatch threads (default: --threads); results do not change.")
    var expertThreads: Int?

    @Flag(help: "Also time the attention kernels alone (whole score rows against tiles with an online softmax).")
    var attention = false

    @Flag(name: .customLong("cpu-time"), help: "Count the CPU time of the timing thread instead of wall time: steadier on a shared machine; --threads 1 only (bench_pytorch.py --cpu-time does the same).")
    var cpuTime = false

    @Option(parsing: .unconditional, help: "Timed repeats per measurement (the median is reported).")
    var repeats: Int = 15

    func validate() throws {
        try NumberBounds.check(threads, "--threads", NumberBounds.threads)
        try NumberBounds.check(repeats, "--repeats", NumberBounds.repeats)
        if cpuTime, threads != 1 { throw ValidationError("--cpu-time counts one thread's time: use it with --threads 1, got \(threads)") }
    }

    @Flag(help: "Skip the random-weight reference configurations.")
    var skipReference = false

    @Flag(help: "Also time denoising steps with Fast-dLLM's prefix and dual KV caches against uncached steps (reference-256x4, and --model if LLaDA-MoE).")
    var caches = false

    @OptionGroup var memoryProbe: MemoryProbeOptions

    @Flag(help: "With --model: load time, peak RSS against the weight files' size, and ms per denoising step (64 prompt + 256 canvas tokens); nothing else runs.")
    var footprint = false

    @Flag(help: "Time one 320-token projection per stored weight type (F32 in place, F16, BF16, GGUF quants expanded panel by panel); nothing else runs.")
    var panels = false

    @Option(help: "Time only this reference configuration (reference-256x4, moe-100m, llada-moe-7b-a1b-1layer).")
    var only: String?

    func run() throws {
        if let expertThreads { try NumberBounds.check(expertThreads, "--expert-threads", NumberBounds.threads) }
        if panels {
            MatMul.setThreads(threads)
            return try PanelBench.run(repeats: repeats)
        }
        if footprint {
            // First, before anything else allocates, so the peak is the model's.
            guard let model else { throw ValidationError("--footprint needs --model") }
            MatMul.setThreads(threads)
            if let expertThreads { MatMul.expertThreads = expertThreads }
            return try FootprintBench.run(model: model, repeats: repeats, threads: threads)
        }
        try memoryProbe.run()
        MatMul.setThreads(threads)
        Stopwatch.countsThreadCPUTime = cpuTime
        if let expertThreads { MatMul.expertThreads = expertThreads }
        for line in BLASRuntime.report() { print(line) }
        print("vector kernels: \(VectorKernels.active.level); clock: " + (cpuTime ? "CPU time of the timing thread" : "wall"))
        let peak = Stopwatch.sgemmPeak()
        print("sgemm peak (1024³, \(threads) thread(s), \(BLASRuntime.coreName) kernels): " + String(format: "%.1f GFLOPS", peak / 1e9))
        if attention { timeAttentionKernels() }
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
            } else if let autoregressive = folder.denoiser as? ARMoEModel {
                // An AR step decodes 1 token after the cached prompt; an MTP verify pass 1 + k (k = 1 ... 4).
                for length in 1 ... 5 where 64 + length <= autoregressive.config.base.maxPositions {
                    try timeDecode(autoregressive, name: name, tokens: length)
                }
            } else {
                throw ValidationError("bench: \(folder.modelType) models are not benchmarked yet")
            }
        }
        if caches {
            print("# block caches (Fast-dLLM), \(threads) thread(s), \(BLASRuntime.coreName) kernels")
            let bench = CacheBench(repeats: repeats)
            if let model, let llada = try ModelFolder(URL(fileURLWithPath: model), requireTokenizer: false).denoiser as? LLaDAMoEModel {
                try bench.time(llada, name: URL(fileURLWithPath: model).lastPathComponent)
            }
            if !skipReference, let entry = BenchmarkConfigurations.all.first(where: { $0.name == "reference-256x4" }) {
                let config = try LLaDAMoEConfiguration(fields: try JSONFields(entry.config, file: entry.name))
                try bench.time(try LLaDAMoEModel(config: config, weights: RandomWeights(seed: 1)), name: entry.name)
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

    /// One layer's attention, whole score rows against tiles (see `AttentionBenchmark`), at the head shapes of the
    /// tiny model (4 heads of 32) and of the reference shape (4 heads of 64).
    private func timeAttentionKernels() {
        print("attention kernel     heads×dim  tokens   whole rows ms   tiled ms (512 keys)   speed-up   tiled ms (1024 keys)")
        for (heads, dim) in [(4, 32), (4, 64)] {
            for length in [84, 276, 1024] {
                let shape = Attention.Shape(queries: length, keys: length, heads: heads, keyValueHeads: heads, headDim: dim)
                let result = AttentionBenchmark.compare(shape: shape, repeats: repeats, threads: MatMul.attentionThreads)
                print("attention            " + "\(heads)×\(dim)".padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(format: " %6d %15.3f %21.3f %9.2f× %22.3f", length, result.wholeRows * 1e3, result.tiled * 1e3,
                             result.wholeRows / result.tiled, result.tiledWide * 1e3))
            }
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

    /// Decode passes of an autoregressive model: `length` new tokens after a 64-token prompt in its KV cache (the
    /// cache is cut back to the prompt after each pass, so every pass sees the same context).
    private func timeDecode(_ model: ARMoEModel, name: String, tokens length: Int) throws {
        var generator = SeededGenerator(seed: UInt64(length))
        let vocabulary = model.vocabularySize
        let prompt = (0 ..< 64).map { _ in 3 + generator.nextInt(below: vocabulary - 3) }
        let tokens = (0 ..< length).map { _ in 3 + generator.nextInt(below: vocabulary - 3) }
        _ = try model.prefill(prompt)
        let seconds = try Stopwatch.median(repeats: repeats) {
            _ = try model.decode(tokens)
            try model.truncate(to: prompt.count)
        }
        let label = "\(name) (decode, 64 tokens cached)"
        print(label.padding(toLength: max(label.count, 30), withPad: " ", startingAt: 0)
            + String(format: " %6d %12.3f %10.0f", length, seconds * 1e3, Double(length) / seconds) + "        –         –")
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
