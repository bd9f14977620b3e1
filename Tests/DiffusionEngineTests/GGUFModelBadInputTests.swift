import Foundation
import Testing
@testable import DiffusionEngine

/// GGUF model files whose metadata or tensors disagree, rewritten at run time from a good quantized file: each
/// is an error that names the file and the key or tensor, never a crash.
@Suite struct GGUFModelBadInputTests {
    /// A good Q8_0 file of the tiny model, rewritten with `edit` applied to its metadata and `drop` tensors left out.
    func rewritten(
        metadata edit: GGUFRewrite.MetadataEdit = { _ in }, drop: Set<String> = [], reshape: [String: [Int]] = [:]
    ) throws -> URL {
        try GGUFRewrite.rewritten(GGUFModelTests.tinyFolder, name: "broken.gguf", metadata: edit, drop: drop, reshape: reshape)
    }

    func loadError(_ url: URL) throws -> String { try GGUFRewrite.loadError(url) }

    func setting(_ key: String, _ value: GGUFValue?) -> GGUFRewrite.MetadataEdit { GGUFRewrite.setting(key, value) }

    @Test func theUnbrokenRewriteLoads() throws {
        let url = try rewritten()
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try ModelFolder(url).modelType == "llada_moe")
    }

    @Test func missingMetadataKeys() throws {
        for key in ["llada-moe.expert_count", "llada-moe.block_count", "llada-moe.attention.head_count",
                    "llada-moe.rope.freq_base", "llada-moe.embedding_length", "general.architecture"] {
            let message = try loadError(try rewritten(metadata: setting(key, nil)))
            #expect(message.contains("'\(key)' is missing"), "\(key): \(message)")
        }
    }

    @Test func wrongTypesAndValues() throws {
        var message = try loadError(try rewritten(metadata: setting("llada-moe.block_count", .string("four"))))
        #expect(message.contains("'llada-moe.block_count' must be an integer"))
        message = try loadError(try rewritten(metadata: setting("general.architecture", .string("llama"))))
        #expect(message.contains("'general.architecture' is 'llama'"))
        message = try loadError(try rewritten(metadata: setting("llada-moe.attention.causal", .bool(true))))
        #expect(message.contains("'llada-moe.attention.causal'"))
        message = try loadError(try rewritten(metadata: setting("llada-moe.expert_used_count", .uint32(99))))
        #expect(message.contains("num_experts_per_tok") && message.contains("GGUF metadata"))
    }

    @Test func shapesThatDisagreeWithTheMetadata() throws {
        var message = try loadError(try rewritten(metadata: setting("llada-moe.embedding_length", .uint32(64))))
        #expect(message.contains("tensor 'token_embd.weight' has shape [26, 128], the metadata implies [26, 64]"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("llada-moe.expert_count", .uint32(6))))
        #expect(message.contains("tensor 'blk.0.ffn_gate_exps.weight' has shape [8, 128, 128]"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("llada-moe.block_count", .uint32(5))))
        #expect(message.contains("tensor 'blk.4.ffn_gate_exps.weight' is missing"), "\(message)")
        message = try loadError(try rewritten(drop: ["blk.2.attn_v.weight"]))
        #expect(message.contains("tensor 'blk.2.attn_v.weight' is missing"), "\(message)")
        message = try loadError(try rewritten(reshape: ["blk.1.attn_q.weight": [64, 256]]))
        #expect(message.contains("tensor 'blk.1.attn_q.weight' has shape [64, 256]"), "\(message)")
    }

    @Test func tokenizerWithoutItsMaskToken() throws {
        var message = try loadError(try rewritten(metadata: setting("tokenizer.ggml.mask_token_id", nil)))
        #expect(message.contains("'tokenizer.ggml.mask_token_id' is missing"))
        message = try loadError(try rewritten(metadata: setting("tokenizer.ggml.mask_token_id", .uint32(26))))
        #expect(message.contains("'tokenizer.ggml.mask_token_id' is 26"))
        message = try loadError(try rewritten(metadata: setting("tokenizer.huggingface.json", .string("{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}}}"))))
        #expect(message.contains("no token with id 1"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("tokenizer.huggingface.json", .string("{not json"))))
        #expect(message.contains("not valid JSON"))
    }

    @Test func fileWithoutATokenizerRunsOnIdsOnly() throws {
        let url = try rewritten(metadata: setting("tokenizer.huggingface.json", nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ModelFileError.self) { try ModelFolder(url) }
        #expect(error.message.contains("has no tokenizer"))
        let idsOnly = try ModelFolder(url, requireTokenizer: false)
        #expect(idsOnly.tokenizer == nil)
        #expect(try idsOnly.denoiser.logits(prefix: [], canvas: [3, 1, 1], conditioning: nil).rows == 3)
    }

    @Test func quantizingABadFolderNamesTheField() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")  // has a dense layer and a shared expert
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: ModelFileError.self) {
            try ModelQuantizer.quantize(folder: folder, type: .q8_0, output: GGUFModelTests.temporaryFile("x.gguf"))
        }
        #expect(error.message.contains("moe_layer_freq"))
    }
}

extension GGUFModelBadInputTests {
    @Test func absurdLayerCountsAndLengths() throws {
        var message = try loadError(try rewritten(metadata: setting("llada-moe.block_count", .uint64(1 << 60))))
        #expect(message.contains("'llada-moe.block_count' is 1152921504606846976"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("llada-moe.attention.key_length", .uint64(1 << 62))))
        #expect(message.contains("'llada-moe.attention.key_length'"), "\(message)")
        message = try loadError(try rewritten(metadata: setting("llada-moe.expert_count", .uint64(1 << 40))))
        #expect(message.contains("ffn_gate_exps.weight") || message.contains("num_experts"), "\(message)")
    }
}

/// Tokenizers rebuilt from `tokenizer.ggml.*` alone: the byte-level BPE fixture trained with Hugging Face
/// `tokenizers` (make_tokenizer_fixtures.py), written as GGUF metadata without its tokenizer.json, gives the
/// library's own ids back.
@Suite struct GGUFVocabularyTests {
    func file(_ edit: (inout GGUFWriter) -> Void = { _ in }) throws -> GGUFFile {
        let source = Fixtures.folder("tokenizers").appendingPathComponent("byte-level-bpe.json")
        var writer = GGUFWriter()
        try GGUFTokenizerMetadata.add(source, vocabularySize: 420, to: &writer)
        var kept = GGUFWriter()
        for entry in writer.metadata where entry.key != "tokenizer.huggingface.json" { kept.set(entry.key, entry.value) }
        edit(&kept)
        let url = GGUFModelTests.temporaryFile("vocabulary.gguf")
        try kept.write(to: url)
        return try GGUFFile(path: url.path)
    }

    @Test func gpt2VocabularyEncodesLikeHuggingFace() throws {
        let gguf = try file()
        #expect(gguf.metadata["tokenizer.ggml.pre"] == .string("gpt-2"))
        let tokenizer = try #require(try GGUFVocabulary.tokenizer(gguf))
        let golden = try JSONDecoder().decode(ByteLevelBPETests.Golden.self, from: Data(contentsOf: Fixtures.folder("tokenizers").appendingPathComponent("golden.json")))
        for item in golden.cases {
            #expect(try tokenizer.encode(item.text) == item.ids, "\(item.text)")
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8))
        }
    }

    @Test func unsupportedPreTokenizerAndModelNameTheKey() throws {
        var error = try #require(throws: ModelFileError.self) {
            try GGUFVocabulary.tokenizer(try file { $0.set("tokenizer.ggml.pre", .string("qwen2")) })
        }
        #expect(error.message.contains("'tokenizer.ggml.pre' is 'qwen2'"))
        error = try #require(throws: ModelFileError.self) {
            try GGUFVocabulary.tokenizer(try file { $0.set("tokenizer.ggml.model", .string("bert")) })
        }
        #expect(error.message.contains("'tokenizer.ggml.model' is 'bert'"))
        error = try #require(throws: ModelFileError.self) {
            try GGUFVocabulary.tokenizer(try file { $0.set("tokenizer.ggml.token_type", .array(.int32, [.int32(1)])) })
        }
        #expect(error.message.contains("'tokenizer.ggml.token_type' has 1 entries"))
    }

    @Test func lladaMoEPatternCompilesAndSplitsAsItsRegexSays() throws {
        let gguf = try file { $0.set("tokenizer.ggml.pre", .string("llada-moe")) }
        let tokenizer = try #require(try GGUFVocabulary.tokenizer(gguf))
        // Digits are split one by one by this pattern (\p{N}), unlike GPT-2's (\p{N}+).
        let ids = try tokenizer.encode("42")
        #expect(ids.count == 2)
    }
}
