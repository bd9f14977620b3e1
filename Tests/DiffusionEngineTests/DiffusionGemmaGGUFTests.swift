import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// DiffusionGemma through GGUF (`diffusion-gemma`, llama.cpp's names): `dlab quantize`'s writer, then loading the
/// file as a model. Reference: the Hugging Face model whose every tensor went through the same
/// quantize→dequantize round trip on its own (no GGUF names, fused experts, tied stack or metadata involved),
/// run in F32. Tolerance 1e-4 max abs on the decoder logits, with and without self-conditioning.
@Suite struct DiffusionGemmaGGUFTests {
    static var tinyFolder: URL {
        URL(fileURLWithPath: #filePath)  // Tests/DiffusionEngineTests/DiffusionGemmaGGUFTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Experiments/models/tiny-diffusiongemma")
    }

    /// Decoder logits of `model` over `prompt` and `canvas`, without and with self-conditioning (from its own
    /// first logits, so both models see the same signal only if they agree).
    static func logits(_ model: DiffusionGemmaModel, prompt: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> [Float] {
        model.resetCache()
        return try model.logits(prefix: prompt, canvas: canvas, conditioning: conditioning).values
    }

    static func conditioning(_ logits: [Float], rows: Int) -> Conditioning {
        var values = logits
        Softmax.rows(&values, rows: rows, width: logits.count / rows)
        return Conditioning(previousProbabilities: Logits(rows: rows, vocabularySize: logits.count / rows, values: values))
    }

    /// Quantizes `folder` to `typeName`, loads the file, and compares with the round-trip reference; returns the
    /// loaded folder and the largest logit difference from the unquantized model.
    @discardableResult
    static func checkParity(folder: URL, typeName: String, prompt: [TokenID], canvas: [TokenID]) throws -> (loaded: ModelFolder, fromF32: Float) {
        MatMul.setThreads(1)
        let type = try #require(ModelQuantizer.types[typeName])
        let output = GGUFModelTests.temporaryFile("\(typeName).gguf")
        defer { try? FileManager.default.removeItem(at: output) }
        try ModelQuantizer.quantize(folder: folder, type: type, output: output)
        let loaded = try ModelFolder(output)
        #expect(loaded.modelType == "diffusion_gemma")
        let model = try #require(loaded.denoiser as? DiffusionGemmaModel)
        let config = try DiffusionGemmaConfiguration(contentsOf: folder.appendingPathComponent("config.json"), warnings: WarningSink { _ in })
        var described = config
        described.imageTokenID = nil  // the vision tower's placeholder: llama.cpp's text-only file has no key for it
        #expect(model.config == described, "the GGUF metadata must give back the config")
        let reference = try DiffusionGemmaModel(config: config, weights: try QuantizedRoundTrip(folder: folder, type: type, ggufName: DiffusionGemmaGGUF.ggufName))
        let f32 = try DiffusionGemmaModel(config: config, weights: try WeightStore(folder: folder))
        let first = try logits(model, prompt: prompt, canvas: canvas, conditioning: nil)
        let expected = try logits(reference, prompt: prompt, canvas: canvas, conditioning: nil)
        var difference = maxAbsDifference(first, expected)
        #expect(difference <= 1e-4, "\(typeName): logits differ by \(difference) from the dequantized reference")
        let signal = conditioning(expected, rows: canvas.count)
        difference = maxAbsDifference(try logits(model, prompt: prompt, canvas: canvas, conditioning: signal),
                                      try logits(reference, prompt: prompt, canvas: canvas, conditioning: signal))
        #expect(difference <= 1e-4, "\(typeName) with self-conditioning: logits differ by \(difference)")
        return (loaded, maxAbsDifference(first, try logits(f32, prompt: prompt, canvas: canvas, conditioning: nil)))
    }

    @Test(arguments: ["f16", "q8_0", "q4_0", "q4_k"])
    func tinyModelMatchesItsDequantizedWeights(_ typeName: String) throws {
        // The tiny model's vocabulary: pad 0, eos 1, bos 2, then characters; canvas of its length 16.
        let prompt: [TokenID] = [2, 5, 9, 3, 12, 7, 4, 10]
        let canvas: [TokenID] = [6, 11, 3, 3, 14, 8, 19, 5, 1, 1, 2, 17, 9, 13, 4, 0]
        let (loaded, fromF32) = try Self.checkParity(folder: Self.tinyFolder, typeName: typeName, prompt: prompt, canvas: canvas)
        // Quantization moves the logits, but not wildly (soft-capped at ±30; Q4_0 moves them by about 2.8).
        #expect(fromF32 < 5, "\(typeName): logits moved by \(fromF32) from the F32 model")
        // generation_config.json's sampler fields come back from diffusion.eb_* as the sampler defaults.
        let fromFile = try DiffusionGemmaGenerationDefaults(fields: loaded.generationConfig)
        let fromFolder = try DiffusionGemmaGenerationDefaults(fields: try ModelFolder(Self.tinyFolder).generationConfig)
        #expect(fromFile.maxDenoisingSteps == fromFolder.maxDenoisingSteps && fromFile.stabilityThreshold == fromFolder.stabilityThreshold)
        for (a, b) in [(fromFile.temperatureMin, fromFolder.temperatureMin), (fromFile.temperatureMax, fromFolder.temperatureMax),
                       (fromFile.entropyBound, fromFolder.entropyBound), (fromFile.confidenceThreshold, fromFolder.confidenceThreshold)] {
            #expect(Float(a) == Float(b), "sampler default \(a) vs \(b)")  // stored as float32, as llama.cpp's converter does
        }
    }

    /// The random parity checkpoint of transformers (wider K=V heads on full layers, GQA, rows of 8 and 24 that
    /// fall back to F16 as llama-quantize's rules give).
    @Test(arguments: ["f16", "q8_0", "q4_0"])
    func parityModelMatchesItsDequantizedWeights(_ typeName: String) throws {
        let folder = Fixtures.folder("diffusiongemma-parity")
        try Self.checkParity(folder: folder, typeName: typeName, prompt: [2, 5, 9, 3, 12, 7, 4, 10, 30, 31, 40],
                             canvas: [6, 11, 3, 3, 14, 8, 19, 5])
    }

    @Test func writtenNamesAreLlamaCppsAndReadBack() throws {
        let output = GGUFModelTests.temporaryFile("names.gguf")
        defer { try? FileManager.default.removeItem(at: output) }
        try ModelQuantizer.quantize(folder: Self.tinyFolder, type: .q8_0, output: output)
        let file = try GGUFFile(path: output.path)
        #expect(try file.string("general.architecture") == "diffusion-gemma")
        #expect(try file.int("diffusion.canvas_length") == 16)
        #expect(try file.int("diffusion.eb_max_steps") == 48)
        #expect(file.tensors["blk.1.attn_v.weight"] == nil && file.tensors["blk.0.attn_v.weight"] != nil)  // full layers: K = V
        #expect(try file.tensor("blk.2.ffn_gate_up_exps.weight").shape == [8, 128, 128])
        #expect(try file.tensor("blk.2.ffn_down_exps.weight").shape == [8, 128, 64])
        #expect(try file.tensor("blk.2.ffn_down_exps.scale").shape == [8])
        #expect(try file.tensor("blk.3.enc_layer_output_scale.weight").type == .f32)
        #expect(try file.tensor("rope_freqs.weight").shape == [16])
        #expect(file.tensors.count == 1 + 1 + 1 + 4 + 4 * 22 + 2)  // embedding, rope_freqs, norm, self-cond, layers (v on 2)
    }
}

extension DiffusionGemmaGGUFTests {
    /// A file the `gguf` package wrote as llama.cpp's converter would (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, BF16, F16, F32
    /// tensors, fused experts, generated rope_freqs) against the F32 run on its weights as `gguf.quants.dequantize`
    /// expands them (make_diffusiongemma_gguf_fixture.py).
    @Test func fileWrittenByTheGGUFPackageMatchesItsDequantizedWeights() throws {
        MatMul.setThreads(1)
        let fixtures = Fixtures.folder("gguf")
        let url = fixtures.appendingPathComponent("diffusiongemma.gguf")
        let loaded = try ModelFolder(url, requireTokenizer: false)
        let model = try #require(loaded.denoiser as? DiffusionGemmaModel)
        let referenceFolder = try ModelFolder(fixtures.appendingPathComponent("diffusiongemma-dequantized"), requireTokenizer: false)
        let reference = try #require(referenceFolder.denoiser as? DiffusionGemmaModel)
        var described = reference.config
        described.imageTokenID = nil  // the vision tower's placeholder: llama.cpp's text-only file has no key for it
        #expect(model.config == described)
        let types = Set(try GGUFFile(path: url.path).tensors.values.map(\.type))
        #expect(types == [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1])
        let fromFile = try DiffusionGemmaGenerationDefaults(fields: loaded.generationConfig)
        #expect(fromFile.maxDenoisingSteps == 48 && Float(fromFile.temperatureMax) == 0.8 && Float(fromFile.entropyBound) == 0.1)
        for (prompt, canvas): ([TokenID], [TokenID]) in [([2, 5, 9, 3, 12, 7, 4, 10, 30, 31, 40], [6, 11, 3, 3, 14, 8, 19, 5]),
                                                         ([2, 47], [1, 1, 1, 1, 0, 0, 0, 0]), (Array(0 ..< 48), Array(40 ..< 48))] {
            let expected = try Self.logits(reference, prompt: prompt, canvas: canvas, conditioning: nil)
            var difference = maxAbsDifference(try Self.logits(model, prompt: prompt, canvas: canvas, conditioning: nil), expected)
            #expect(difference <= 1e-4, "logits differ by \(difference)")
            let signal = Self.conditioning(expected, rows: canvas.count)
            difference = maxAbsDifference(try Self.logits(model, prompt: prompt, canvas: canvas, conditioning: signal),
                                          try Self.logits(reference, prompt: prompt, canvas: canvas, conditioning: signal))
            #expect(difference <= 1e-4, "with self-conditioning: logits differ by \(difference)")
        }
    }
}
