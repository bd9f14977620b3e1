import Foundation
import Testing
@testable import DiffusionEngine

/// `diffusion-gemma` GGUF files whose metadata or tensors are missing or disagree, rewritten at run time from a good
/// Q8_0 file of the tiny model: each is an error that names the file and the key or tensor, never a crash.
@Suite struct DiffusionGemmaGGUFBadInputTests {
    /// A good Q8_0 file of the tiny model, rewritten with `edit` applied to its metadata and `drop` tensors left out.
    func rewritten(
        metadata edit: GGUFRewrite.MetadataEdit = { _ in }, drop: Set<String> = [], reshape: [String: [Int]] = [:]
    ) throws -> URL {
        try GGUFRewrite.rewritten(DiffusionGemmaGGUFTests.tinyFolder, name: "broken-gemma.gguf", metadata: edit, drop: drop, reshape: reshape)
    }

    func loadError(_ url: URL) throws -> String { try GGUFRewrite.loadError(url) }

    func setting(_ key: String, _ value: GGUFValue?) -> GGUFRewrite.MetadataEdit { GGUFRewrite.setting(key, value) }

    @Test func theUnbrokenRewriteLoads() throws {
        let url = try rewritten()
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try ModelFolder(url).modelType == "diffusion_gemma")
    }

    @Test func missingMetadataKeys() throws {
        for key in ["diffusion.canvas_length", "diffusion-gemma.attention.sliding_window_pattern", "diffusion-gemma.rope.freq_base_swa",
                    "diffusion-gemma.attention.key_length_swa", "diffusion-gemma.expert_feed_forward_length",
                    "diffusion-gemma.attention.head_count_kv", "diffusion-gemma.block_count"] {
            let message = try loadError(try rewritten(metadata: setting(key, nil)))
            #expect(message.contains("'\(key)' is missing"), "\(key): \(message)")
        }
    }

    @Test func missingTensors() throws {
        for name in ["blk.1.enc_layer_output_scale.weight", "rope_freqs.weight", "self_cond_gate.weight",
                     "blk.0.attn_v.weight", "blk.3.ffn_gate_up_exps.weight", "blk.2.ffn_down_exps.scale"] {
            let message = try loadError(try rewritten(drop: [name]))
            #expect(message.contains("tensor '\(name)' is missing"), "\(name): \(message)")
        }
    }

    @Test func valuesAndShapesThatDisagree() throws {
        var message = try loadError(try rewritten(metadata: setting("diffusion-gemma.embedding_length", .uint32(64))))
        #expect(message.contains("tensor 'token_embd.weight' has shape [20, 128], the metadata implies [20, 64]"), "\(message)")
        message = try loadError(try rewritten(reshape: ["blk.1.ffn_gate_up_exps.weight": [8, 64, 256]]))
        #expect(message.contains("tensor 'blk.1.ffn_gate_up_exps.weight' has shape [8, 64, 256]"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("diffusion-gemma.attention.head_count_kv", .array(.uint32, [.uint32(2), .uint32(1)]))))
        #expect(message.contains("'diffusion-gemma.attention.head_count_kv' has 2 entries for 4 layers"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("diffusion-gemma.attention.sliding_window_pattern", .array(.bool, [.bool(true)]))))
        #expect(message.contains("'diffusion-gemma.attention.sliding_window_pattern' must be an array of 4 bools"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("diffusion-gemma.expert_used_count", .uint32(99))))
        #expect(message.contains("top_k_experts") && message.contains("GGUF metadata"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("diffusion-gemma.block_count", .uint64(1 << 60))))
        #expect(message.contains("'diffusion-gemma.block_count' is 1152921504606846976"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("diffusion-gemma.rope.dimension_count", .uint32(8))))
        #expect(message.contains("'diffusion-gemma.rope.dimension_count' is 8"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("diffusion-gemma.attention.causal", .bool(true))))
        #expect(message.contains("'diffusion-gemma.attention.causal' is true"), "\(message)")
    }

    @Test func badSamplerKeysNameThem() throws {
        var message = try loadError(try rewritten(metadata: setting("diffusion.eb_t_min", .float32(0.9))))
        #expect(message.contains("t_min") && message.contains("diffusion.eb_t_min"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("diffusion.eb_max_steps", .string("many"))))
        #expect(message.contains("'diffusion.eb_max_steps' must be an integer"), "\(message)")
        // Files without any eb_* key (the released ones) load, with no sampler defaults of their own.
        let keys = DiffusionGemmaGGUF.samplerKeys.map(\.key)
        let url = try rewritten(metadata: { $0.removeAll { keys.contains($0.key) } })
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try ModelFolder(url).generationConfig == nil)
    }

    @Test func ropeFactorsMustBeFinitePositive() throws {
        let message = try loadError(try rewritten(drop: ["rope_freqs.weight"], reshape: [:]))
        #expect(message.contains("rope_freqs.weight"))
        let url = try rewritten(reshape: ["rope_freqs.weight": [8, 2]])
        let reshaped = try loadError(url)
        #expect(reshaped.contains("tensor 'rope_freqs.weight' has shape [8, 2]"), "\(reshaped)")
    }
}
