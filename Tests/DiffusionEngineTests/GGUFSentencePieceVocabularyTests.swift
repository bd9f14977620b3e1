import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// `dlab quantize` on folders whose tokenizer.json is SentencePiece style (Gemma's Replace(" ", "▁") and Llama's
/// legacy Prepend+Replace, byte fallback, `<bos>` added by the post-processor): the GGUF carries a `llama`
/// vocabulary (tokens, scores, token types with control, user-defined and byte tokens, add_bos_token,
/// add_space_prefix), which, loaded back on its own (without `tokenizer.huggingface.json`), gives the ids and
/// decodings Hugging Face `tokenizers` gives with that tokenizer.json on the fixtures' hard texts (whitespace
/// runs, newlines, CJK, emoji, combining marks, special tokens, U+FFFD; make_spm_tokenizer_fixtures.py). Exact.
@Suite struct GGUFSentencePieceVocabularyTests {
    /// A random one-layer LLaDA-MoE folder with the fixture tokenizer `name` (and `tokenizerConfig` as its
    /// tokenizer_config.json), quantized to F16.
    static func quantized(tokenizer name: String, tokenizerConfig: URL? = nil) throws -> GGUFFile {
        let source = SentencePieceTokenizerTests.folder.appendingPathComponent("\(name).json")
        let tokenizer = try HFTokenizer(contentsOf: source)
        let folder = GGUFModelTests.temporaryFile("spm-llada-moe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = (tokenizer.tokens.keys.max() ?? 0) + 1
        let config: [String: Any] = [
            "model_type": "llada_moe", "vocab_size": vocabulary, "hidden_size": 32, "num_hidden_layers": 1,
            "num_attention_heads": 2, "num_key_value_heads": 2, "max_position_embeddings": 64, "rms_norm_eps": 1e-6,
            "rope_theta": 50000.0, "num_experts": 2, "num_experts_per_tok": 1, "expert_intermediate_size": 32,
            "norm_topk_prob": false, "qk_layernorm": false, "tie_word_embeddings": true,
            "mask_token_id": try #require(tokenizer.id(of: "<mask>")), "eos_token_id": try #require(tokenizer.id(of: "<eos>")),
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent("tokenizer.json"))
        if let tokenizerConfig { try FileManager.default.copyItem(at: tokenizerConfig, to: folder.appendingPathComponent("tokenizer_config.json")) }
        final class Recorder: WeightSource {
            let random = RandomWeights(seed: 11, standardDeviation: 0.05)
            var tensors: [SafetensorsWriter.Tensor] = []
            func tensor(_ name: String, shape: [Int]) throws -> FloatTensor {
                let tensor = try random.tensor(name, shape: shape)
                tensors.append(SafetensorsWriter.Tensor(name: name, shape: shape, values: Array(tensor.values)))
                return tensor
            }
        }
        let recorder = Recorder()
        _ = try LLaDAMoEModel(config: try LLaDAMoEConfiguration(contentsOf: folder.appendingPathComponent("config.json")), weights: recorder)
        try SafetensorsWriter.write(recorder.tensors, dtype: .f32, to: folder.appendingPathComponent("model.safetensors"))
        let output = GGUFModelTests.temporaryFile("\(name).gguf")
        try ModelQuantizer.quantize(folder: folder, type: .f16, output: output)
        return try GGUFFile(path: output.path)
    }

    @Test(arguments: [("gemma", false), ("llama-legacy", true)])
    func llamaVocabularyEncodesLikeTheTokenizerJSON(name: String, spacePrefix: Bool) throws {
        let file = try Self.quantized(tokenizer: name)
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        #expect(file.metadata["tokenizer.ggml.model"] == .string("llama"))
        #expect(file.metadata["tokenizer.ggml.add_space_prefix"] == .bool(spacePrefix))
        #expect(file.metadata["tokenizer.ggml.add_bos_token"] == .bool(true))
        #expect(file.metadata["tokenizer.ggml.bos_token_id"] == .uint32(2))
        #expect(file.metadata["tokenizer.ggml.add_eos_token"] == .bool(false))
        #expect(file.metadata["tokenizer.ggml.merges"] == nil)
        let tokens = try file.strings("tokenizer.ggml.tokens")
        let types = try file.integers("tokenizer.ggml.token_type")
        func type(_ piece: String) throws -> Int { types[try #require(tokens.firstIndex(of: piece), "\(piece)")] }
        #expect(try type("<bos>") == 3 && type("<unk>") == 3 && type("<start_of_turn>") == 3)  // special added tokens
        #expect(try type("[multimodal]") == 4)  // added, not special
        #expect(try type("<0x41>") == 6 && type("<0xFF>") == 6)
        #expect(try type("▁t") == 1 && type("▁is▁") == 1)
        guard case .array(_, let scores)? = file.metadata["tokenizer.ggml.scores"] else {
            Issue.record("no tokenizer.ggml.scores")
            return
        }
        #expect(scores.count == tokens.count)
        // Loaded from tokenizer.ggml.* alone (GGUFVocabulary), not from the embedded tokenizer.json.
        let tokenizer = try #require(try GGUFVocabulary.tokenizer(file))
        let golden = try SentencePieceTokenizerTests.golden(name)
        var compared = 0
        for item in golden.cases {
            // One known difference: tokenizers normalizes a `normalized` added token's own text, so under Llama's
            // legacy Prepend("▁") normalizer "[multimodal]" becomes "▁[multimodal]" and matches only after a space;
            // a GGUF user-defined token matches its raw text anywhere, as llama.cpp's does.
            if spacePrefix && item.text.contains("[multimodal]") { continue }
            compared += 1
            #expect(try tokenizer.encode(item.text) == item.ids, "\(item.text.debugDescription)")
            #expect(try tokenizer.encodeWithSpecialTokens(item.text) == item.ids_with_special, "\(item.text.debugDescription)")
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8), "\(item.text.debugDescription)")
        }
        #expect(compared == (spacePrefix ? 13 : 14))
        for item in golden.decode_cases {
            #expect(Array(tokenizer.decode(item.ids).utf8) == Array(item.decoded.utf8), "\(item.ids)")
        }
    }

    /// LLaDA-MoE's pre-tokenizer (Split on the released tokenizer's regex, then ByteLevel without its own):
    /// tokenizer.json as Hugging Face runs it, and written as a `gpt2` vocabulary with `tokenizer.ggml.pre`
    /// "llada-moe" that reads back to the same ids (fixture byte-level-llada-moe.json, make_spm_tokenizer_fixtures.py).
    @Test func lladaMoEPreTokenizerIsNamedAndReadBack() throws {
        let source = SentencePieceTokenizerTests.folder.appendingPathComponent("byte-level-llada-moe.json")
        let golden = try SentencePieceTokenizerTests.golden("byte-level-llada-moe")
        try SentencePieceTokenizerTests().check(try HFTokenizer(contentsOf: source), against: golden)
        var writer = GGUFWriter()
        try GGUFTokenizerMetadata.add(source, vocabularySize: 420, to: &writer)
        var kept = GGUFWriter()
        for entry in writer.metadata where entry.key != "tokenizer.huggingface.json" { kept.set(entry.key, entry.value) }
        let url = GGUFModelTests.temporaryFile("llada-moe-vocabulary.gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try kept.write(to: url)
        let file = try GGUFFile(path: url.path)
        #expect(file.metadata["tokenizer.ggml.model"] == .string("gpt2"))
        #expect(file.metadata["tokenizer.ggml.pre"] == .string("llada-moe"))
        try SentencePieceTokenizerTests().check(try #require(try GGUFVocabulary.tokenizer(file)), against: golden)
    }

    /// tokenizer_config.json's chat template travels into the GGUF (`tokenizer.chat_template`, with the BOS and
    /// EOS ids it names), so `dlab sample --chat` on the quantized file gives the ids transformers'
    /// `apply_chat_template(tokenize=True)` gives on the folder (make_prompt_encoding_fixtures.py).
    @Test(arguments: ["gemma-template", "config-flags-on"])
    func chatTemplateTravelsIntoTheGGUF(name: String) throws {
        let golden = try JSONDecoder().decode(PromptEncodingTests.Golden.self, from: Data(contentsOf: PromptEncodingTests.folder.appendingPathComponent("golden.json")))
        let config = try #require(golden.configs[name])
        let configURL = PromptEncodingTests.folder.appendingPathComponent("\(name).tokenizer_config.json")
        let file = try Self.quantized(tokenizer: String(config.tokenizer_json.dropLast(5)), tokenizerConfig: configURL)
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        let source = try #require(try JSONFields(try JSONValue.read(configURL), file: configURL.path).optionalString("chat_template"))
        #expect(file.metadata["tokenizer.chat_template"] == .string(source))
        #expect(file.metadata["tokenizer.ggml.bos_token_id"] == .uint32(2))  // <bos>, added by gemma.json or only named by the config
        let url = URL(fileURLWithPath: file.path)
        let template = try #require(try ChatTemplate.load(modelAt: url))
        let tokenizer = try HFTokenizer.load(modelAt: url)
        for item in config.cases {
            let rendered = try template.render([ChatMessage(role: "user", content: item.text)])
            #expect(try tokenizer.encodePrompt(rendered, renderedByChatTemplate: true) == item.chat_ids, "\(item.text.debugDescription)")
            #expect(try tokenizer.encodePrompt(item.text, renderedByChatTemplate: false) == item.ids, "\(item.text.debugDescription)")
        }
    }

    /// A byte-level tokenizer.json stays a `gpt2` vocabulary, and one that adds no BOS says so (llama.cpp's
    /// default would add one for a `llama` vocabulary).
    @Test func byteLevelStaysGPT2WithoutBOS() throws {
        let file = try GGUFVocabularyTests().file()
        #expect(file.metadata["tokenizer.ggml.model"] == .string("gpt2"))
        #expect(file.metadata["tokenizer.ggml.add_bos_token"] == .bool(false))
        #expect(file.metadata["tokenizer.ggml.scores"] == nil)
    }
}
