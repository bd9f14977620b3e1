import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// LLaDA-MoE through GGUF: `dlab quantize`'s writer, then loading the file as a model. Reference: the Hugging
/// Face model whose every tensor went through the same quantize→dequantize round trip on its own (no GGUF
/// names, stacking, slicing or metadata involved). Tolerance 1e-4 max abs on the logits.
@Suite struct GGUFModelTests {
    static var tinyFolder: URL {
        URL(fileURLWithPath: #filePath)  // Tests/DiffusionEngineTests/GGUFModelTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Experiments/models/tiny-llada-moe")
    }

    /// An addition prompt and a masked canvas (tokens of the tiny model's character vocabulary).
    static let tokens: [TokenID] = [20, 12, 16, 10, 9, 4, 8, 17, 15, 15, 18, 1, 1, 1, 1, 1]

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("dlab-\(UUID().uuidString)-\(name)")
    }

    /// Quantizes `folder` to `typeName`, loads the file, and compares with the round-trip reference.
    /// Returns the GGUF file and the largest logit difference from the unquantized model.
    @discardableResult
    static func checkParity(folder: URL, typeName: String, expectTypes: Set<GGMLType>? = nil) throws -> (file: GGUFFile, fromF32: Float) {
        let type = try #require(ModelQuantizer.types[typeName])
        let output = temporaryFile("\(typeName).gguf")
        defer { try? FileManager.default.removeItem(at: output) }
        try ModelQuantizer.quantize(folder: folder, type: type, output: output)
        let loaded = try ModelFolder(output)
        let model = try #require(loaded.denoiser as? LLaDAMoEModel)
        #expect(loaded.modelType == "llada_moe")
        #expect(loaded.tokenizer != nil)
        let config = try LLaDAMoEConfiguration(contentsOf: folder.appendingPathComponent("config.json"))
        var described = config
        described.denseHidden = nil  // unused without dense layers, and llama.cpp's llada-moe has no key for it
        #expect(model.config == described, "the GGUF metadata must give back the config")
        let reference = try LLaDAMoEModel(config: config, weights: try QuantizedRoundTrip(folder: folder, type: type, ggufName: LLaDAMoEGGUF.ggufName))
        let f32 = try LLaDAMoEModel(config: config, weights: try WeightStore(folder: folder))
        let ours = try model.forward(tokens: tokens).values
        let expected = try reference.forward(tokens: tokens).values
        let difference = maxAbsDifference(ours, expected)
        #expect(difference <= 1e-4, "\(typeName): logits differ by \(difference) from the dequantized reference")
        let file = try GGUFFile(path: output.path)
        if let expectTypes {
            let matrixTypes = Set(file.tensors.values.filter { $0.shape.count > 1 && !$0.name.hasSuffix("ffn_gate_inp.weight") }.map(\.type))
            #expect(matrixTypes == expectTypes, "\(typeName): matrices stored as \(matrixTypes.map(\.name))")
        }
        return (file, maxAbsDifference(ours, try f32.forward(tokens: tokens).values))
    }

    @Test(arguments: ["f16", "q8_0", "q4_0", "q4_k", "q5_k", "q6_k"])
    func tinyModelMatchesItsDequantizedWeights(_ typeName: String) throws {
        // The tiny model's rows are 128 long: K-quants (blocks of 256) fall back as llama-quantize does.
        let fallback: [String: GGMLType] = ["f16": .f16, "q8_0": .q8_0, "q4_0": .q4_0, "q4_k": .q5_0, "q5_k": .q5_1, "q6_k": .q8_0]
        let (_, fromF32) = try Self.checkParity(folder: Self.tinyFolder, typeName: typeName, expectTypes: [fallback[typeName]!])
        // Quantization moves the logits, but not wildly (the tiny model's logits span about ±15).
        #expect(fromF32 < 2, "\(typeName): logits moved by \(fromF32) from the F32 model")
    }

    @Test(arguments: ["q4_k", "q5_k", "q6_k"])
    func kQuantsOnAModelWithRowsOf256(_ typeName: String) throws {
        let folder = try Self.randomModelFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.checkParity(folder: folder, typeName: typeName, expectTypes: [ModelQuantizer.types[typeName]!])
    }

    @Test func tokenizerRebuiltFromTheFileEncodesLikeTheFolders() throws {
        let output = Self.temporaryFile("f16.gguf")
        defer { try? FileManager.default.removeItem(at: output) }
        try ModelQuantizer.quantize(folder: Self.tinyFolder, type: .f16, output: output)
        let fromGGUF = try #require(try ModelFolder(output).tokenizer)
        let fromFolder = try #require(try ModelFolder(Self.tinyFolder).tokenizer)
        for text in ["12+34=46", "<mask><mask>", "SUDA>1.2,3*C-N"] {
            #expect(try fromGGUF.encode(text) == fromFolder.encode(text))
        }
    }

    /// A random LLaDA-MoE folder whose matrices have rows of 256, so that K-quants apply without fallback.
    static func randomModelFolder() throws -> URL {
        let folder = temporaryFile("random-llada-moe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config: [String: Any] = [
            "model_type": "llada_moe", "vocab_size": 26, "hidden_size": 256, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 64, "rms_norm_eps": 1e-6,
            "rope_theta": 50000.0, "num_experts": 4, "num_experts_per_tok": 2, "expert_intermediate_size": 256,
            "norm_topk_prob": false, "qk_layernorm": true, "tie_word_embeddings": false,
            "mask_token_id": 1, "eos_token_id": 2, "pad_token_id": 0,
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: tinyFolder.appendingPathComponent("tokenizer.json"), to: folder.appendingPathComponent("tokenizer.json"))
        // Record every tensor the model asks for, with random values, and write them as safetensors.
        final class Recorder: WeightSource {
            let random = RandomWeights(seed: 7, standardDeviation: 0.05)
            var tensors: [(String, [Int], [Float])] = []
            func tensor(_ name: String, shape: [Int]) throws -> FloatTensor {
                let tensor = try random.tensor(name, shape: shape)
                tensors.append((name, shape, Array(tensor.values)))
                return tensor
            }
        }
        let recorder = Recorder()
        _ = try LLaDAMoEModel(config: try LLaDAMoEConfiguration(contentsOf: folder.appendingPathComponent("config.json")), weights: recorder)
        var header: [String: Any] = [:]
        var data = Data()
        for (name, shape, values) in recorder.tensors {
            header[name] = ["dtype": "F32", "shape": shape, "data_offsets": [data.count, data.count + 4 * values.count]]
            values.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        var headerBytes = try JSONSerialization.data(withJSONObject: header)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var file = Data()
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerBytes)
        file.append(data)
        try file.write(to: folder.appendingPathComponent("model.safetensors"))
        return folder
    }
}

extension GGUFModelTests {
    /// A file the `gguf` package wrote as llama.cpp's converter would (eight tensor types, stacked experts)
    /// against the F32 run on its weights as `gguf.quants.dequantize` expands them (make_gguf_fixtures.py).
    @Test func fileWrittenByTheGGUFPackageMatchesItsDequantizedWeights() throws {
        let fixtures = Fixtures.folder("gguf")
        let loaded = try ModelFolder(fixtures.appendingPathComponent("llada-moe.gguf"), requireTokenizer: false)
        let model = try #require(loaded.denoiser as? LLaDAMoEModel)
        let referenceFolder = try ModelFolder(fixtures.appendingPathComponent("llada-moe-dequantized"), requireTokenizer: false)
        let reference = try #require(referenceFolder.denoiser as? LLaDAMoEModel)
        #expect(model.config == reference.config)
        let types = Set(try GGUFFile(path: fixtures.appendingPathComponent("llada-moe.gguf").path).tensors.values.map(\.type))
        #expect(types == [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K])
        for tokens: [TokenID] in [[3, 4, 1, 1, 7, 1, 2], [1, 1, 1, 1], Array(0 ..< 26)] {
            let difference = maxAbsDifference(try model.forward(tokens: tokens).values, try reference.forward(tokens: tokens).values)
            #expect(difference <= 1e-4, "logits differ by \(difference)")
        }
    }
}
