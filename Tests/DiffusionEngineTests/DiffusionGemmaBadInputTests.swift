import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// DiffusionGemma checkpoints missing encoder, decoder or self-conditioning tensors, and bad requests to a loaded
/// model: clear errors that name the tensor, the field or the input, never a crash.
@Suite struct DiffusionGemmaBadInputTests {
    static let folder = DiffusionGemmaParityTests.folder

    /// Loads a scratch copy of the fixture after renaming `tensor` in the safetensors header (same length, so every
    /// offset stays valid) and applying `edit` to config.json; returns the error's text, or nil if it loaded.
    static func loadError(hiding tensor: String? = nil, edit: (inout [String: Any]) -> Void = { _ in }) throws -> String? {
        let folder = try Fixtures.scratchCopy(of: Self.folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        if let tensor {
            let url = folder.appendingPathComponent("model.safetensors")
            var bytes = try Data(contentsOf: url)
            let name = Data("\"\(tensor)\"".utf8)
            let range = try #require(bytes.range(of: name), "no tensor \(tensor) in the fixture")
            bytes.replaceSubrange(range, with: Data("\"\(tensor.dropLast())#\"".utf8))
            try bytes.write(to: url)
        }
        let configURL = folder.appendingPathComponent("config.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: configURL)
        do {
            _ = try ModelFolder(folder)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        "model.decoder.embed_tokens.weight",
        "model.decoder.layers.1.self_attn.k_proj.weight",
        "model.decoder.layers.2.self_attn.v_proj.weight",
        "model.decoder.layers.1.experts.gate_up_proj",
        "model.decoder.layers.3.router.per_expert_scale",
        "model.decoder.layers.0.layer_scalar",
        "model.decoder.norm.weight",
        "model.encoder.language_model.layers.2.layer_scalar",
        "model.decoder.self_conditioning.pre_norm.weight",
        "model.decoder.self_conditioning.up_proj.weight",
    ])
    func missingTensorIsNamed(tensor: String) throws {
        let message = try #require(try Self.loadError(hiding: tensor), "loaded without \(tensor)")
        #expect(message.contains("tensor '\(tensor)' is missing"), "\(message)")
    }

    @Test func untiedConfigOnATiedCheckpointNamesTheEncoderTensor() throws {
        // tie_word_embeddings false: the encoder and the LM head need their own tensors, which a tied file lacks.
        let message = try #require(try Self.loadError { $0["tie_word_embeddings"] = false })
        #expect(message.contains("tensor 'model.encoder.language_model.embed_tokens.weight' is missing"), "\(message)")
    }

    @Test func shapeDisagreementNamesTheTensor() throws {
        let message = try #require(try Self.loadError { config in
            var text = config["text_config"] as! [String: Any]
            text["intermediate_size"] = 25
            config["text_config"] = text
        })
        #expect(message.contains("'model.decoder.layers.0.mlp.gate_proj.weight'") && message.contains("[24, 32]"), "\(message)")
    }

    static func model(imageToken: Int? = nil) throws -> DiffusionGemmaModel {
        let folder = try Fixtures.scratchCopy(of: Self.folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        if let imageToken {
            let url = folder.appendingPathComponent("config.json")
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            object["image_token_id"] = imageToken
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        let store = try WeightStore(folder: folder)
        let config = try DiffusionGemmaConfiguration(contentsOf: folder.appendingPathComponent("config.json"))
        return try DiffusionGemmaModel(config: config, weights: store)
    }

    static func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func imagePlaceholderInThePromptIsRefused() throws {
        let model = try Self.model(imageToken: 47)
        let text = Self.message { try model.logits(prefix: [3, 47, 4], canvas: [5, 6], conditioning: nil) }
        #expect(text.contains("image placeholder token 47") && text.contains("vision tower"), "\(text)")
        #expect(try model.logits(prefix: [3, 46, 4], canvas: [5, 6], conditioning: nil).rows == 2)
    }

    @Test func badRequests() throws {
        let model = try Self.model()
        #expect(Self.message { try model.logits(prefix: [3, 48], canvas: [5], conditioning: nil) }
            .contains("prefix token id 48 is outside the vocabulary 0..<48"))
        #expect(Self.message { try model.logits(prefix: [3], canvas: [-1], conditioning: nil) }.contains("canvas token id -1"))
        #expect(Self.message { try model.logits(prefix: [3], canvas: [], conditioning: nil) }.contains("empty canvas"))
        #expect(Self.message { try model.logits(prefix: Array(repeating: 3, count: 125), canvas: Array(repeating: 4, count: 8), conditioning: nil) }
            .contains("exceed the context of 128"))
        let wrong = Conditioning(previousProbabilities: Logits(rows: 3, vocabularySize: 48, values: Array(repeating: 1 / 48, count: 144)))
        #expect(Self.message { try model.logits(prefix: [3], canvas: [5, 6], conditioning: wrong) }
            .contains("self-conditioning probabilities are [3, 48], the canvas needs [2, 48]"))
        // After a refused request the model still answers correctly.
        let golden = try DiffusionGemmaParityTests.goldens()[0]
        let logits = try model.logits(prefix: golden.chunks[0], canvas: golden.canvas, conditioning: nil)
        #expect(maxAbsDifference(logits.values, golden.logits.flatMap { $0 }) <= DiffusionGemmaParityTests.tolerance)
    }
}
