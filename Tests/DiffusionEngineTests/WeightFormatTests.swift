import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// Every architecture gives the same logits whatever the layout of its weight file: F32 with aligned data, F32
/// with a space-padded header (unaligned data, so the store realigns a copy), F16 and BF16 (widened copies).
/// Each variant is written at run time from a committed F32 folder (SafetensorsWriter), loaded twice, and run
/// three times in a row on the first load: every run must give the same logits, bit for bit, as the reference.
/// The reference of an F32 variant is the committed file (which itself matches its golden logits within 1e-4);
/// the reference of an F16/BF16 variant is the committed file's weights rounded to that type in Swift and stored
/// as aligned F32 (widening is exact and the arithmetic is the same, so the tolerance is 0). This is the test
/// that catches a pointer into a freed copy: such runs give zeros, denormals or non-finite activations.
@Suite(.serialized) struct WeightFormatTests {
    enum Variant: String, CaseIterable, CustomTestStringConvertible {
        case f32Aligned, f32Unaligned, f16, bf16

        var dtype: WeightDType { self == .f16 ? .f16 : self == .bf16 ? .bf16 : .f32 }
        var dataAlignment: Int { self == .f32Unaligned ? 2 : 0 }
        var testDescription: String { rawValue }
    }

    /// A model with a committed F32 folder and the golden inputs it is run on.
    enum Model: String, CaseIterable, CustomTestStringConvertible {
        case lladaParity, lladaTiny, gemmaParity, gemmaTiny

        var folder: URL {
            let experiments = URL(fileURLWithPath: #filePath)  // Tests/DiffusionEngineTests/WeightFormatTests.swift
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Experiments/models")
            switch self {
            case .lladaParity: return Fixtures.folder("llada-moe-parity")
            case .lladaTiny: return experiments.appendingPathComponent("tiny-llada-moe")
            case .gemmaParity: return Fixtures.folder("diffusiongemma-parity")
            case .gemmaTiny: return experiments.appendingPathComponent("tiny-diffusiongemma")
            }
        }

        var testDescription: String { rawValue }

        /// Logits of every golden input, one array per input.
        func run(_ denoiser: any Denoiser) throws -> [[Float]] {
            switch self {
            case .lladaParity, .lladaTiny:
                let llada = try #require(denoiser as? LLaDAMoEModel)
                let cases = self == .lladaParity
                    ? try Fixtures.golden("llada-moe-parity", file: "golden.json")
                    : try Fixtures.golden(".", file: "tiny-llada-moe-golden.json")
                return try cases.map { golden in
                    try llada.forward(tokens: golden.tokens, keyMask: golden.key_mask.map { $0.map { $0 != 0 } }).values
                }
            case .gemmaParity:
                let gemma = try #require(denoiser as? DiffusionGemmaModel)
                return try DiffusionGemmaParityTests.goldens().map { golden in
                    gemma.resetCache()
                    var prefix: [TokenID] = []
                    for chunk in golden.chunks {
                        prefix += chunk
                        try gemma.encode(prefix)
                    }
                    let conditioning = golden.self_conditioning_logits.map(DiffusionGemmaParityTests.probabilities)
                    return try gemma.decode(canvas: golden.canvas, conditioning: conditioning).values
                }
            case .gemmaTiny:
                // No PyTorch golden for the trained tiny model: the committed F32 file is the reference.
                let gemma = try #require(denoiser as? DiffusionGemmaModel)
                let v = gemma.vocabularySize
                return try (0 ..< 3).map { n in
                    gemma.resetCache()
                    let prefix = (0 ..< 5 + n).map { ($0 * 7 + n + 2) % v }
                    let canvas = (0 ..< gemma.config.canvasLength).map { ($0 * 3 + n) % v }
                    return try gemma.logits(prefix: prefix, canvas: canvas, conditioning: nil).values
                }
            }
        }

        /// The golden logits of the committed F32 file, where a PyTorch reference exists.
        func golden() throws -> [[Float]]? {
            switch self {
            case .lladaParity: return try Fixtures.golden("llada-moe-parity", file: "golden.json").map { $0.logits.flatMap { $0 } }
            case .lladaTiny: return try Fixtures.golden(".", file: "tiny-llada-moe-golden.json").map { $0.logits.flatMap { $0 } }
            case .gemmaParity: return try DiffusionGemmaParityTests.goldens().map { $0.logits.flatMap { $0 } }
            case .gemmaTiny: return nil
            }
        }
    }

    /// A copy of `model`'s folder whose weights are `tensors` written as `dtype` with the data at `alignment`.
    static func folder(_ model: Model, tensors: [SafetensorsWriter.Tensor], dtype: WeightDType, alignment: Int) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-format-\(model.rawValue)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for name in ["config.json", "generation_config.json", "tokenizer.json"] {
            let source = model.folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.copyItem(at: source, to: target.appendingPathComponent(name))
            }
        }
        try SafetensorsWriter.write(tensors, dtype: dtype, to: target.appendingPathComponent("model.safetensors"), dataAlignment: alignment)
        return target
    }

    static func maxError(_ a: [[Float]], _ b: [[Float]]) -> Float {
        zip(a, b).map { maxAbsDifference($0, $1) }.max() ?? 0
    }

    @Test(arguments: Model.allCases, Variant.allCases)
    func everyLayoutGivesTheReferenceLogitsRunAfterRun(model: Model, variant: Variant) throws {
        MatMul.setThreads(1)
        let tensors = try SafetensorsWriter.tensors(of: model.folder.appendingPathComponent("model.safetensors"))
        let roundedTensors = tensors.map { tensor in
            SafetensorsWriter.Tensor(name: tensor.name, shape: tensor.shape,
                                     values: tensor.values.map { SafetensorsWriter.rounded($0, to: variant.dtype) })
        }
        // Reference: aligned F32 holding exactly the values the variant holds.
        let referenceFolder = try Self.folder(model, tensors: roundedTensors, dtype: .f32, alignment: 0)
        let variantFolder = try Self.folder(model, tensors: tensors, dtype: variant.dtype, alignment: variant.dataAlignment)
        defer {
            try? FileManager.default.removeItem(at: referenceFolder)
            try? FileManager.default.removeItem(at: variantFolder)
        }
        let reference = try model.run(ModelFolder(referenceFolder).denoiser)
        if let golden = try model.golden(), variant.dtype == .f32 {
            #expect(Self.maxError(reference, golden) <= 1e-4, "\(model) reference against its golden logits")
        }
        let store = try WeightStore(folder: variantFolder)
        #expect(store.storedDType == variant.dtype)
        if variant == .f32Unaligned {
            let entry = try #require(store.files.first?.entries.values.first)
            #expect(Int(bitPattern: entry.bytes) % 4 != 0, "the padded header must misalign the F32 data")
        }
        for load in 0 ..< 2 {
            let denoiser = try ModelFolder(variantFolder).denoiser
            for run in 0 ..< (load == 0 ? 3 : 1) {
                let logits = try model.run(denoiser)
                let identical = logits == reference
                #expect(identical, "\(model) \(variant) load \(load) run \(run): max abs error \(Self.maxError(logits, reference))")
            }
        }
    }

    /// Swift's rounding agrees with PyTorch's: the LLaDA-MoE fixture's weights rounded here give the golden
    /// logits PyTorch computed from its own F16/BF16 copies (tolerance 1e-4, as in LLaDAMoEParityTests).
    @Test(arguments: [(WeightDType.f16, "llada-moe-parity-f16", "golden_f16.json"), (.bf16, "llada-moe-parity-bf16", "golden_bf16.json")])
    func roundingMatchesPyTorchsCheckpoints(dtype: WeightDType, folder: String, goldenFile: String) throws {
        MatMul.setThreads(1)
        let tensors = try SafetensorsWriter.tensors(of: Model.lladaParity.folder.appendingPathComponent("model.safetensors"))
        let written = try Self.folder(.lladaParity, tensors: tensors, dtype: dtype, alignment: 0)
        defer { try? FileManager.default.removeItem(at: written) }
        let committed = try SafetensorsWriter.tensors(of: Fixtures.folder(folder).appendingPathComponent("model.safetensors"))
        let ours = try SafetensorsWriter.tensors(of: written.appendingPathComponent("model.safetensors"))
        #expect(ours.map(\.name) == committed.map(\.name))
        #expect(zip(ours, committed).allSatisfy { $0.values == $1.values }, "rounded weights differ from PyTorch's")
        let logits = try Model.lladaParity.run(ModelFolder(written).denoiser)
        let golden = try Fixtures.golden(folder, file: goldenFile).map { $0.logits.flatMap { $0 } }
        #expect(Self.maxError(logits, golden) <= 1e-4)
    }
}
