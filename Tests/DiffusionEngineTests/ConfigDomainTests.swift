import Foundation
import Testing
@testable import DiffusionEngine

/// Collects what a loader reports to its warning sink.
final class CollectedWarnings: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    var messages: [String] { lock.withLock { collected } }

    var sink: WarningSink { WarningSink { message in self.lock.withLock { self.collected.append(message) } } }
}

/// config.json and generation_config.json values against their domains, unknown keys (a warning naming them) and
/// near-misses of known keys (an error naming both), for both architectures.
@Suite struct ConfigDomainTests {
    /// Loads a scratch copy of fixture `name` after `edit` changed `file` (config.json by default): the error text, or
    /// nil, and the warnings.
    static func load(_ name: String, file: String = "config.json", edit: (inout [String: Any]) -> Void) throws -> (error: String?, warnings: [String]) {
        let folder = try Fixtures.scratchCopy(of: name)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(file)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        let warnings = CollectedWarnings()
        do {
            _ = try ModelFolder(folder, warnings: warnings.sink)
            return (nil, warnings.messages)
        } catch {
            return ("\(error)", warnings.messages)
        }
    }

    /// Edits DiffusionGemma's text_config.
    static func text(_ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
        { top in
            var text = top["text_config"] as? [String: Any] ?? [:]
            edit(&text)
            top["text_config"] = text
        }
    }

    @Test func shippedConfigsLoadWithoutWarnings() throws {
        let experiments = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Experiments/models")
        let folders = ["llada-moe-parity", "llada-moe-parity-f16", "llada-moe-parity-bf16", "diffusiongemma-parity"].map(Fixtures.folder)
            + ["tiny-llada-moe", "tiny-diffusiongemma"].map { experiments.appendingPathComponent($0) }
        for folder in folders {
            let warnings = CollectedWarnings()
            _ = try ModelFolder(folder, warnings: warnings.sink)
            #expect(warnings.messages.isEmpty, "\(folder.lastPathComponent): \(warnings.messages)")
        }
    }

    @Test(arguments: [
        ("rope_theta", -1 as any Sendable, "'rope_theta' must be a finite positive number, found -1"),
        ("rope_theta", 0, "'rope_theta' must be a finite positive number"),
        ("rms_norm_eps", 0, "'rms_norm_eps' must be a finite positive number"),
        ("rms_norm_eps", -1e-5, "'rms_norm_eps' must be a finite positive number"),
        ("partial_rotary_factor", -0.5, "'partial_rotary_factor' must be a finite positive number"),
        ("num_key_value_heads", 0, "'num_key_value_heads' must be positive, found 0"),
        ("num_key_value_heads", 4, "'num_key_value_heads' (4) must divide num_attention_heads (6)"),
        ("num_attention_heads", 10, "'hidden_size' (48) must be a multiple of num_attention_heads (10)"),
        ("max_position_embeddings", -64, "'max_position_embeddings' must be positive, found -64"),
        ("dense_intermediate_size", 0, "'dense_intermediate_size' must be positive"),
        ("clip_qkv", -2, "'clip_qkv' must be a finite positive number"),
        ("hidden_size", "48", "'hidden_size' must be an integer, found a string"),
        ("rope_theta", "10000", "'rope_theta' must be a number, found a string"),
        ("qk_layernorm", 1, "'qk_layernorm' must be true or false, found an integer"),
        ("hidden_size", 1 << 40, "'hidden_size' is 1099511627776, more than the largest accepted (16777216)"),
        ("num_hidden_layers", 100_000, "'num_hidden_layers' is 100000, more than the largest accepted (65536)"),
    ])
    func lladaValuesOutOfDomain(key: String, value: any Sendable, expected: String) throws {
        let (error, _) = try Self.load("llada-moe-parity") { $0[key] = value }
        let message = try #require(error, "\(key) = \(value) loaded")
        #expect(message.contains("config.json") && message.contains(expected), "\(message)")
    }

    @Test(arguments: [
        ("rms_norm_eps", 0 as any Sendable, "'text_config.rms_norm_eps' must be a finite positive number"),
        ("final_logit_softcapping", -30, "'text_config.final_logit_softcapping' must be a finite positive number"),
        ("head_dim", 0, "'text_config.head_dim' must be positive"),
        ("max_position_embeddings", 0, "'text_config.max_position_embeddings' must be positive"),
        ("num_key_value_heads", -2, "'text_config.num_key_value_heads' must be positive"),
        ("vocab_size", 2.5, "'text_config.vocab_size' must be an integer, found a number"),
        ("num_experts", 1 << 20, "'text_config.num_experts' is 1048576, more than the largest accepted (65536)"),
    ])
    func gemmaValuesOutOfDomain(key: String, value: any Sendable, expected: String) throws {
        let (error, _) = try Self.load("diffusiongemma-parity", edit: Self.text { $0[key] = value })
        let message = try #require(error, "\(key) = \(value) loaded")
        #expect(message.contains("config.json") && message.contains(expected), "\(message)")
    }

    @Test func sizesWhoseProductsWouldOverflowAreRefused() throws {
        let (error, _) = try Self.load("diffusiongemma-parity", edit: Self.text { $0["hidden_size"] = 1 << 24; $0["intermediate_size"] = 1 << 24 })
        #expect(try #require(error).contains("parameters, more than"))
        let (llada, _) = try Self.load("llada-moe-parity") { $0["vocab_size"] = 1 << 24; $0["hidden_size"] = 6 << 21 }
        #expect(try #require(llada).contains("config.json: the sizes give") && llada!.contains("parameters, more than"))
        let (perLayer, _) = try Self.load("diffusiongemma-parity", edit: Self.text { text in
            text["per_layer_config"] = ["1": ["head_dim": Int.max]]
        })
        #expect(try #require(perLayer).contains("'text_config.per_layer_config.1.head_dim' is \(Int.max), more than the largest accepted"))
    }

    @Test func gemmaRopeThetaMustBeFinitePositive() throws {
        let (error, _) = try Self.load("diffusiongemma-parity", edit: Self.text { text in
            var ropes = text["rope_parameters"] as? [String: Any] ?? [:]
            var sliding = ropes["sliding_attention"] as? [String: Any] ?? [:]
            sliding["rope_theta"] = -1
            ropes["sliding_attention"] = sliding
            text["rope_parameters"] = ropes
        })
        #expect(try #require(error).contains("'text_config.rope_parameters.sliding_attention.rope_theta' must be a finite positive number, found -1"))
    }

    @Test(arguments: [("rope7theta", "rope_theta"), ("rope_thetta", "rope_theta"), ("hiden_size", "hidden_size"),
                      ("theta_rope", "rope_theta") /* same letters */, ("num_expert_per_tok", "num_experts_per_tok")])
    func lladaNearMissIsAnErrorNamingTheKnownKey(typo: String, intended: String) throws {
        let (error, _) = try Self.load("llada-moe-parity") { config in
            config[typo] = config.removeValue(forKey: intended)
        }
        let message = try #require(error, "\(typo) loaded")
        #expect(message.contains("config.json") && message.contains("'\(typo)'") && message.contains("'\(intended)'"), "\(message)")
    }

    @Test func gemmaNearMissesAreErrorsAtEveryLevel() throws {
        let text = try Self.load("diffusiongemma-parity", edit: Self.text { $0["top_k_expert"] = 2 }).error
        #expect(try #require(text).contains("'text_config.top_k_expert'") && text!.contains("'text_config.top_k_experts'"))
        let top = try Self.load("diffusiongemma-parity") { $0["canvas_lenght"] = 8 }.error
        #expect(try #require(top).contains("'canvas_lenght'") && top!.contains("'canvas_length'"))
        let rope = try Self.load("diffusiongemma-parity", edit: Self.text { text in
            var ropes = text["rope_parameters"] as? [String: Any] ?? [:]
            var full = ropes["full_attention"] as? [String: Any] ?? [:]
            full["rope_thetta"] = 5.0
            ropes["full_attention"] = full
            text["rope_parameters"] = ropes
        }).error
        #expect(try #require(rope).contains("'text_config.rope_parameters.full_attention.rope_thetta'"))
    }

    @Test func unknownKeysWarnAndStillLoad() throws {
        let llada = try Self.load("llada-moe-parity") { $0["my_training_notes"] = "run 7"; $0["fused_kernels"] = true }
        #expect(llada.error == nil)
        #expect(llada.warnings.count == 1)
        #expect(llada.warnings.first?.contains("config.json") == true && llada.warnings.first?.contains("'fused_kernels', 'my_training_notes'") == true)
        let gemma = try Self.load("diffusiongemma-parity", edit: Self.text { $0["my_training_notes"] = "run 7" })
        #expect(gemma.error == nil && gemma.warnings.count == 1 && gemma.warnings[0].contains("'text_config.my_training_notes'"))
    }

    @Test(arguments: [
        ("max_new_tokens", -5 as any Sendable, "'max_new_tokens' must be positive, found -5"),
        ("t_min", "0.4", "'t_min' must be a number, found a string"),
        ("t_max", -1, "'t_min' (0.4) and 't_max' (-1.0)"),
        ("max_denoising_steps", 0, "'max_denoising_steps' must be positive"),
        ("eos_token_id", [-3], "'eos_token_id' is -3"),
        ("pad_token_id", 999, "'pad_token_id' is 999, outside the vocabulary"),
        ("confidence_threshold", "high", "'confidence_threshold' must be a number"),
        ("temperature", -0.5, "'temperature' must be a finite number >= 0"),
        ("top_p", 1.5, "'top_p' must be in [0, 1]"),
        ("t_mni", 0.4, "looks like a misspelling of 't_min'"),
    ])
    func gemmaGenerationConfigValues(key: String, value: any Sendable, expected: String) throws {
        let (error, _) = try Self.load("diffusiongemma-parity", file: "generation_config.json") { $0[key] = value }
        let message = try #require(error, "\(key) = \(value) loaded")
        #expect(message.contains("generation_config.json") && message.contains(expected), "\(message)")
    }

    @Test func lladaGenerationConfigIsCheckedToo() throws {
        let negative = try Self.load("llada-moe-parity", file: "generation_config.json") { $0["mask_token_id"] = -1 }.error
        #expect(try #require(negative).contains("generation_config.json") && negative!.contains("'mask_token_id' is -1"))
        let wrongType = try Self.load("llada-moe-parity", file: "generation_config.json") { $0["max_new_tokens"] = "many" }.error
        #expect(try #require(wrongType).contains("'max_new_tokens' must be an integer, found a string"))
        let unknown = try Self.load("llada-moe-parity", file: "generation_config.json") { $0["steps_hint"] = 64 }
        #expect(unknown.error == nil && unknown.warnings.count == 1 && unknown.warnings[0].contains("'steps_hint'"))
    }

    @Test func nearMissRule() {
        #expect(ConfigKeys.resembles("rope7theta", "rope_theta"))
        #expect(ConfigKeys.resembles("rope_thetta", "rope_theta"))
        #expect(ConfigKeys.resembles("theta_rope", "rope_theta"))
        #expect(!ConfigKeys.resembles("my_training_notes", "rope_theta"))
        #expect(ConfigKeys.editDistance(Array("kitten".utf8), Array("sitting".utf8), limit: 5) == 3)
        #expect(ConfigKeys.editDistance([], Array("ab".utf8), limit: 2) == 2)
        #expect(ConfigKeys.closest(to: "t_mni", in: ["t_max", "t_min"]) == "t_min")
    }
}
