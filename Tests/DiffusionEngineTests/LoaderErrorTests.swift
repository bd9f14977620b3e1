import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// Broken model folders give an error that names the file and the field or tensor, never a crash.
@Suite struct LoaderErrorTests {
    /// Loads `folder` and returns the error's text, or nil if it loaded.
    func loadError(_ folder: URL) -> String? {
        do {
            _ = try ModelFolder(folder)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func editJSON(_ url: URL, _ edit: (inout [String: Any]) -> Void) throws {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    /// A safetensors file from a header text and a data section.
    func writeSafetensors(_ url: URL, header: String, data: Data) throws {
        var bytes = Data()
        var length = UInt64(header.utf8.count).littleEndian
        bytes.append(Data(bytes: &length, count: 8))
        bytes.append(Data(header.utf8))
        bytes.append(data)
        try bytes.write(to: url)
    }

    @Test func headerLengthPastEndOfFile() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        let weights = folder.appendingPathComponent("model.safetensors")
        var bytes = try Data(contentsOf: weights)
        bytes.replaceSubrange(0 ..< 8, with: [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0])
        try bytes.write(to: weights)
        let message = try #require(loadError(folder))
        #expect(message.contains("model.safetensors") && message.contains("header length"))
    }

    @Test func truncatedFile() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        let weights = folder.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count / 2).write(to: weights)
        let message = try #require(loadError(folder))
        #expect(message.contains("model.safetensors") && message.contains("truncated"))
    }

    @Test func emptyAndTinyFiles() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        let weights = folder.appendingPathComponent("model.safetensors")
        try Data().write(to: weights)
        #expect(try #require(loadError(folder)).contains("empty"))
        try Data([1, 2, 3]).write(to: weights)
        #expect(try #require(loadError(folder)).contains("truncated"))
    }

    @Test func headerIsNotJSON() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        try writeSafetensors(folder.appendingPathComponent("model.safetensors"), header: "{not json", data: Data(count: 16))
        let message = try #require(loadError(folder))
        #expect(message.contains("model.safetensors") && message.contains("not valid JSON"))
    }

    @Test func tensorOffsetsOutOfRange() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        let header = #"{"model.norm.weight":{"dtype":"F32","shape":[48],"data_offsets":[0,192]}}"#
        try writeSafetensors(folder.appendingPathComponent("model.safetensors"), header: header, data: Data(count: 100))
        let message = try #require(loadError(folder))
        #expect(message.contains("'model.norm.weight'") && message.contains("100 bytes"))
    }

    @Test func offsetsDisagreeWithShape() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        let header = #"{"model.norm.weight":{"dtype":"F32","shape":[48],"data_offsets":[0,96]}}"#
        try writeSafetensors(folder.appendingPathComponent("model.safetensors"), header: header, data: Data(count: 192))
        #expect(try #require(loadError(folder)).contains("needs 192"))
    }

    @Test func unsupportedDType() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        let header = #"{"model.norm.weight":{"dtype":"I8","shape":[48],"data_offsets":[0,48]}}"#
        try writeSafetensors(folder.appendingPathComponent("model.safetensors"), header: header, data: Data(count: 48))
        let message = try #require(loadError(folder))
        #expect(message.contains("'model.norm.weight'") && message.contains("I8"))
    }

    @Test func tensorShapeDisagreesWithConfig() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        try editJSON(folder.appendingPathComponent("config.json")) { $0["expert_intermediate_size"] = 21 }
        let message = try #require(loadError(folder))
        #expect(message.contains("model.layers.0.mlp.experts.0.gate_proj.weight") && message.contains("[20, 48]"))
    }

    @Test func missingTensor() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        try editJSON(folder.appendingPathComponent("config.json")) { $0["num_hidden_layers"] = 4; $0["moe_layer_freq"] = [1, 0, 1, 1] }
        #expect(try #require(loadError(folder)).contains("'model.layers.3.input_layernorm.weight' is missing"))
    }

    @Test(arguments: [
        ("hidden_size", nil, "field 'hidden_size' is missing"),
        ("hidden_size", "48", "field 'hidden_size' must be an integer, found a string"),
        ("num_key_value_heads", 4, "must divide num_attention_heads"),
        ("moe_layer_freq", [1, 1], "has 2 entries for 3 layers"),
        ("mask_token_id", 99, "outside the vocabulary"),
        ("qk_layernorm", 1, "must be true or false"),
        ("model_type", "gpt9", "unknown architecture"),
    ] as [(String, (any Sendable)?, String)])
    func badConfig(field: String, value: (any Sendable)?, expected: String) throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        try editJSON(folder.appendingPathComponent("config.json")) { $0[field] = value }
        let message = try #require(loadError(folder))
        #expect(message.contains("config.json") && message.contains(expected), "\(message)")
    }

    @Test func configIsNotJSON() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        try Data("{\"vocab_size\": 37,".utf8).write(to: folder.appendingPathComponent("config.json"))
        #expect(try #require(loadError(folder)).contains("config.json: not valid JSON"))
    }

    @Test func tokenizerWithoutMaskToken() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        try editJSON(folder.appendingPathComponent("tokenizer.json")) { tokenizer in
            tokenizer["added_tokens"] = (tokenizer["added_tokens"] as! [[String: Any]]).filter { $0["content"] as? String != "<mask>" }
            var model = tokenizer["model"] as! [String: Any]
            var vocabulary = model["vocab"] as! [String: Any]
            vocabulary["<mask>"] = nil
            model["vocab"] = vocabulary
            tokenizer["model"] = model
        }
        let message = try #require(loadError(folder))
        #expect(message.contains("tokenizer.json") && message.contains("mask_token_id"))
    }

    @Test func missingFiles() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer.json"))
        #expect(try #require(loadError(folder)).contains("tokenizer.json: file is missing"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("model.safetensors"))
        #expect(try #require(loadError(folder)).contains("no weights"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("config.json"))
        #expect(try #require(loadError(folder)).contains("config.json: file is missing"))
        #expect(try #require(loadError(folder.appendingPathComponent("nowhere"))).contains("no such model folder"))
    }

    @Test func badTokensAndTooLongInputs() throws {
        let model = try ModelFolder(Fixtures.folder("llada-moe-parity")).denoiser
        #expect(throws: ModelInputError.self) { try model.logits(prefix: [], canvas: [3, 37], conditioning: nil) }
        #expect(throws: ModelInputError.self) { try model.logits(prefix: [], canvas: [-1], conditioning: nil) }
        #expect(throws: ModelInputError.self) { try model.logits(prefix: Array(repeating: 3, count: 60), canvas: Array(repeating: 1, count: 5), conditioning: nil) }
    }
}
