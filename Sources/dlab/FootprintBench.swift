import ArgumentParser
import DiffusionCore
import DiffusionEngine
import Foundation

/// `dlab bench --model M --footprint`: what running a model costs in memory and time, for the released sizes:
/// load time, peak resident memory (VmHWM of /proc/self/status: mapped weight pages count once touched, plus
/// every allocation) against the weight files' size, and ms per denoising step on 64 prompt + 256 canvas tokens.
/// The goal for weights used as stored: peak ≈ baseline + file size + activations + one F32 panel per thread.
enum FootprintBench {
    static let prompt = 64
    static let canvas = 256

    static func run(model path: String, repeats: Int, threads: Int) throws {
        let before = MemoryStatus.read()
        let start = Date()
        let folder = try ModelFolder(URL(fileURLWithPath: path), requireTokenizer: false)
        let loadSeconds = Date().timeIntervalSince(start)
        let afterLoad = MemoryStatus.read()
        var generator = SeededGenerator(seed: 5)
        let vocabulary = folder.denoiser.vocabularySize
        let draw = { (count: Int) in (0 ..< count).map { _ in 3 + generator.nextInt(below: max(vocabulary - 3, 1)) } }
        let (promptTokens, canvasTokens) = (draw(prompt), draw(canvas))
        let step: () throws -> Void
        let label: String
        if let gemma = folder.denoiser as? DiffusionGemmaModel {
            // The prompt is encoded once; a step is one decoder pass over the canvas.
            try gemma.encode(promptTokens)
            step = { _ = try gemma.decode(canvas: canvasTokens, conditioning: nil) }
            label = "decoder over \(canvas) canvas tokens, \(prompt)-token prompt cached"
        } else if folder.denoiser.kind == .masked {
            step = { _ = try folder.denoiser.logits(prefix: promptTokens, canvas: canvasTokens, conditioning: nil) }
            label = "\(prompt) prompt + \(canvas) canvas tokens, no cache"
        } else {
            throw ValidationError("--footprint: \(folder.modelType) models are not measured (a diffusion model is needed)")
        }
        let first = try Stopwatch.seconds(step)
        let afterStep = MemoryStatus.read()
        let seconds = repeats > 1 ? try Stopwatch.median(repeats: repeats - 1, warmup: 0, step) : first
        let weights = weightBytes(path)
        let mib = { (bytes: Int) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        print("model: \(path) (\(folder.modelType)), \(threads) OpenBLAS thread(s)")
        print("weight files: \(mib(weights))")
        print(String(format: "load: %.2f s", loadSeconds))
        print("peak RSS before loading: \(mib(before.peak)); after loading: \(mib(afterLoad.peak)); after one step: \(mib(afterStep.peak))")
        print("peak RSS minus the baseline before loading: \(mib(afterStep.peak - before.peak)) "
            + String(format: "(%.2f× the weight files)", Double(afterStep.peak - before.peak) / Double(max(weights, 1))))
        print("now resident: \(mib(afterStep.fileResident)) of mapped files, \(mib(afterStep.anonymousResident)) anonymous")
        print(String(format: "step (%@): %.1f ms (first %.1f ms, median of %d)", label, seconds * 1e3, first * 1e3, max(repeats - 1, 1)))
    }

    /// Bytes of the weight files: the `.gguf` file, or the folder's `*.safetensors`.
    static func weightBytes(_ path: String) -> Int {
        let manager = FileManager.default
        func size(_ file: String) -> Int { ((try? manager.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0 }
        if path.hasSuffix(".gguf") { return size(path) }
        let names = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".safetensors") }.reduce(0) { $0 + size(path + "/" + $1) }
    }
}

/// The memory lines of /proc/self/status (Linux), in bytes; zero where absent.
struct MemoryStatus {
    /// VmHWM: the peak resident set size.
    var peak = 0
    /// RssFile and RssAnon: resident pages of mapped files and of allocations.
    var fileResident = 0
    var anonymousResident = 0

    static func read() -> MemoryStatus {
        var status = MemoryStatus()
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return status }
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kilobytes = Int(parts[1]) else { continue }
            switch parts[0] {
            case "VmHWM": status.peak = kilobytes * 1024
            case "RssFile": status.fileResident = kilobytes * 1024
            case "RssAnon": status.anonymousResident = kilobytes * 1024
            default: break
            }
        }
        return status
    }
}

/// `dlab bench --panels`: one projection (320 tokens × a 2048 × 2048 weight) per stored type, against the same
/// weights in F32 read in place, so the cost of expanding panels shows as lost GFLOPS.
enum PanelBench {
    static func run(repeats: Int) throws {
        let (tokens, inner, outer) = (320, 2048, 2048)
        var generator = SeededGenerator(seed: 9)
        let values = (0 ..< inner * outer).map { _ in Float(generator.next() >> 40) * 0x1p-24 - 0.5 }
        let x = (0 ..< tokens * inner).map { _ in Float(generator.next() >> 40) * 0x1p-24 - 0.5 }
        var y = [Float](repeating: 0, count: tokens * outer)
        let flops = 2.0 * Double(tokens * inner * outer)
        print("stored type   ms/projection   GFLOPS   (320 × 2048 · [2048, 2048]ᵀ, panels of \(MatMul.panelElements / inner) rows)")
        for type in GGMLType.allCases {
            var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: values.count) ?? 0)
            values.withUnsafeBufferPointer { source in
                bytes.withUnsafeMutableBytes { Quantize.run(type, source.baseAddress!, count: values.count, into: $0.baseAddress!) }
            }
            let weight = StoredMatrix(type: type, rows: outer, columns: inner, bytes: bytes)
            let seconds = x.withUnsafeBufferPointer { input in
                y.withUnsafeMutableBufferPointer { out in
                    Stopwatch.median(repeats: repeats) {
                        MatMul.linear(input.baseAddress!, rows: tokens, inner: inner, weight: weight, outer: outer, into: out.baseAddress!)
                    }
                }
            }
            print(type.name.padding(toLength: 13, withPad: " ", startingAt: 0) + String(format: " %15.2f %8.1f", seconds * 1e3, flops / seconds / 1e9))
        }
    }
}
