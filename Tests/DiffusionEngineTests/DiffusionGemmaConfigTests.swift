import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// DiffusionGemma configs with missing or inconsistent fields: each error names config.json and the field.
@Suite struct DiffusionGemmaConfigTests {
    static let folder = "diffusiongemma-parity"

    /// A scratch copy of the fixture with `edit` applied to config.json's `text_config` (and top level).
    static func loadError(text edit: (inout [String: Any]) -> Void = { _ in }, top: (inout [String: Any]) -> Void = { _ in }) throws -> String? {
        let folder = try Fixtures.scratchCopy(of: Self.folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("config.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var text = object["text_config"] as! [String: Any]
        edit(&text)
        object["text_config"] = text
        top(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        do {
            _ = try ModelFolder(folder)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("layer_types", ["sliding_attention", "full_attention", "full_attention"], "'text_config.layer_types' has 3 entries for 4 layers"),
        ("layer_types", ["sliding_attention", "full_attention", "sliding_attention", "sliding_attention"], "must end with 'full_attention'"),
        ("layer_types", ["sliding_attention", "global", "sliding_attention", "full_attention"], "entry 1 is 'global'"),
        ("layer_types", "full_attention", "'text_config.layer_types' must be an array"),
        ("num_hidden_layers", nil, "'text_config.num_hidden_layers' is missing"),
        ("head_dim", 7, "'text_config.head_dim' must be a positive even number"),
        ("num_key_value_heads", 3, "'text_config.num_key_value_heads' (3) must divide num_attention_heads (4)"),
        ("per_layer_config", ["1": ["head_dim": 16, "num_key_value_heads": 3], "3": ["head_dim": 16, "num_key_value_heads": 3]],
         "'text_config.per_layer_config.1.num_key_value_heads' (3) must divide"),
        ("per_layer_config", ["1": ["head_dim": 16, "num_key_value_heads": 1], "3": ["head_dim": 32, "num_key_value_heads": 1]],
         "layer 3 (full_attention) differs from layer 1"),
        ("per_layer_config", ["1": ["head_dim": 16, "sliding_window": 3]], "'text_config.per_layer_config.1.sliding_window' is not supported"),
        ("per_layer_config", ["9": ["head_dim": 16]], "key '9', not a layer index 0..<4"),
        ("num_experts", nil, "'text_config.num_experts' is missing"),
        ("top_k_experts", 5, "'text_config.top_k_experts' (5) exceeds num_experts (4)"),
        ("moe_intermediate_size", 0, "'text_config.moe_intermediate_size' must be positive"),
        ("hidden_activation", "silu", "'text_config.hidden_activation' is 'silu'"),
        ("use_bidirectional_attention", "all", "'text_config.use_bidirectional_attention' is 'all'"),
        ("attention_bias", true, "'text_config.attention_bias' is true"),
        ("rope_parameters", ["sliding_attention": ["rope_type": "yarn", "rope_theta": 10.0],
                             "full_attention": ["rope_type": "default", "rope_theta": 10.0]], "rope_type' is 'yarn'"),
        ("rope_parameters", ["sliding_attention": ["rope_type": "default", "rope_theta": 10.0]], "'text_config.rope_parameters.full_attention' is missing"),
        ("eos_token_id", 48, "'text_config.eos_token_id' is 48, outside the vocabulary"),
        ("model_type", "gemma4_text", "'text_config.model_type' is 'gemma4_text'"),
    ] as [(String, (any Sendable)?, String)])
    func badTextConfig(field: String, value: (any Sendable)?, expected: String) throws {
        let message = try #require(try Self.loadError(text: { $0[field] = value }), "config with \(field) = \(String(describing: value)) loaded")
        #expect(message.contains("config.json") && message.contains(expected), "\(message)")
    }

    @Test func visionOnlyConfigIsRefused() throws {
        let message = try #require(try Self.loadError(top: { $0["text_config"] = nil }))
        #expect(message.contains("field 'text_config' is missing") && message.contains("vision only"), "\(message)")
    }

    @Test func shapesThatDisagreeWithTheWeightsNameTheTensor() throws {
        let message = try #require(try Self.loadError(text: {
            $0["per_layer_config"] = ["1": ["head_dim": 8, "num_key_value_heads": 1], "3": ["head_dim": 8, "num_key_value_heads": 1]]
        }))
        #expect(message.contains("model.decoder.layers.1.self_attn.q_proj.weight") && message.contains("[64, 32]"), "\(message)")
    }

    @Test func defaultsFollowTransformers() throws {
        // Without layer_types, per_layer_config and rope_parameters: 5:1 sliding/full with a full last layer,
        // global_head_dim 512 (here 16) and num_global_key_value_heads on full layers, default/proportional RoPE.
        var text: [ExactString: JSONValue] = [
            "vocab_size": .int(10), "hidden_size": .int(8), "intermediate_size": .int(4), "num_hidden_layers": .int(8),
            "num_attention_heads": .int(2), "num_key_value_heads": .int(2), "head_dim": .int(4), "global_head_dim": .int(16),
            "num_global_key_value_heads": .int(1), "num_experts": .int(2), "top_k_experts": .int(1),
            "moe_intermediate_size": .int(4), "use_bidirectional_attention": .string("vision"),
        ]
        var config = try DiffusionGemmaConfiguration(fields: JSONFields(.object(["text_config": .object(text)]), file: "c"))
        #expect(config.layers.map(\.kind) == [.sliding, .sliding, .sliding, .sliding, .sliding, .full, .sliding, .full])
        #expect(config.layers.map(\.headDim) == [4, 4, 4, 4, 4, 16, 4, 16])
        #expect(config.layers.map(\.keyValueHeads) == [2, 2, 2, 2, 2, 1, 2, 1])
        #expect(config.layers[5].inverseFrequencies.filter { $0 != 0 }.count == 2)  // 0.25 · 16 / 2
        #expect(config.slidingWindow == 512 && config.finalLogitSoftcap == 30 && config.canvasLength == 256)
        #expect(config.tieWordEmbeddings && config.embedScale == Float(Double(8).squareRoot()))
        text["attention_k_eq_v"] = .bool(false)  // the key/value-head override is gated on it
        config = try DiffusionGemmaConfiguration(fields: JSONFields(.object(["text_config": .object(text)]), file: "c"))
        #expect(config.layers.map(\.keyValueHeads) == Array(repeating: 2, count: 8))
    }

    @Test func generationDefaultsAreReadAndValidated() throws {
        let model = try ModelFolder(Fixtures.folder(Self.folder))
        let defaults = try DiffusionGemmaGenerationDefaults(fields: model.generationConfig)
        #expect(defaults.maxDenoisingSteps == 48 && defaults.entropyBound == 0.1 && defaults.temperatureMax == 0.8)
        #expect(defaults.temperatureMin == 0.4 && defaults.stabilityThreshold == 1 && defaults.confidenceThreshold == 0.005)
        #expect(defaults.endOfSequenceIDs == [1] && defaults.maxNewTokens == 16)
        #expect(try DiffusionGemmaGenerationDefaults(fields: nil) == DiffusionGemmaGenerationDefaults())
        func error(_ object: [ExactString: JSONValue]) -> String {
            do {
                _ = try DiffusionGemmaGenerationDefaults(fields: JSONFields(.object(object), file: "generation_config.json"))
                return ""
            } catch { return "\(error)" }
        }
        #expect(error(["t_min": .double(0.9)]).contains("'t_min' (0.9) and 't_max' (0.8)"))
        #expect(error(["max_denoising_steps": .int(0)]).contains("'max_denoising_steps' must be positive"))
        #expect(error(["sampler_config": .object(["entropy_bound": .int(-1)])]).contains("'sampler_config.entropy_bound'"))
        #expect(error(["sampler_config": .object(["_cls_name": .string("TopK")])]).contains("'sampler_config._cls_name' is 'TopK'"))
    }
}
