import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// Keys and tokens told apart by their bytes: "é" (U+00E9) and "e\u{301}" are equal as Swift `String`s
/// (canonical equivalence) but are two keys of a JSON object and two tokens of a vocabulary, as in Hugging Face
/// tokenizers, serde_json and llama.cpp.
@Suite struct ExactKeyTests {
    static let composed = "\u{E9}"
    static let decomposed = "e\u{301}"

    /// `String ==` would call the two spellings equal; the tests compare bytes.
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func exactStringsCompareBytes() {
        #expect(Self.composed == Self.decomposed)  // the premise: Swift equates them
        #expect(ExactString(Self.composed) != ExactString(Self.decomposed))
        #expect(Set([ExactString(Self.composed), ExactString(Self.decomposed), ExactString("\u{E9}")]).count == 2)
        #expect(ExactString(Self.decomposed) < ExactString(Self.composed))  // 0x65 before 0xC3
    }

    @Test func canonicallyEquivalentKeysAreTwoMembers() throws {
        // Raw UTF-8 for one, a \u escape for the other.
        let value = try JSONValue.parse(Data(#"{"\#(Self.composed)": 1, "e\u0301": 2}"#.utf8), file: "keys.json")
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.count == 2)
        #expect(members[ExactString(Self.composed)] == .int(1) && members[ExactString(Self.decomposed)] == .int(2))
        let fields = try JSONFields(value, file: "keys.json")
        #expect(try fields.int(Self.composed) == 1 && fields.int(Self.decomposed) == 2)
        #expect(fields.keys.map(bytes) == [bytes(Self.decomposed), bytes(Self.composed)])
    }

    @Test func byteIdenticalKeysAreStillDuplicates() throws {
        // The same bytes once raw, once escaped: a duplicate, reported where the second key starts.
        let text = "{\n  \"\(Self.composed)\": 1,\n  \"\\u00e9\": 2\n}"
        let error = try #require(throws: ModelFileError.self) { try JSONValue.parse(Data(text.utf8), file: "keys.json") }
        let message = "\(error)"
        #expect(message.contains("keys.json") && message.contains("duplicate key '\(Self.composed)'")
            && message.contains("at line 3, column 3") && message.contains("object starting at line 1, column 1"), "\(message)")
    }

    /// Two tensor names that differ only in their bytes are two JSON keys, but tensors are looked up by `String`:
    /// an error naming the file, rather than one tensor silently replacing the other.
    @Test func canonicallyEquivalentTensorNamesAreAnError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-exact-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let header = #"{"w\#(Self.composed)":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"we\u0301":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        try SafetensorsWriter.write(header: header, data: Data(count: 8), to: url)
        let message = "\(try #require(throws: ModelFileError.self) { try SafetensorsFile(path: url.path) })"
        #expect(message.contains(url.path) && message.contains("two tensors are named"), "\(message)")
    }

    /// exact-keys.json: both spellings in the vocabulary, the merges and the added tokens, against the ids and
    /// decodings of Hugging Face `tokenizers` (Experiments/models/tools/make_exact_key_tokenizer_fixture.py).
    @Test func bothSpellingsEncodeAndDecodeLikeHuggingFace() throws {
        let folder = Fixtures.folder("tokenizers")
        let tokenizer = try HFTokenizer(contentsOf: folder.appendingPathComponent("exact-keys.json"))
        let composed = try #require(tokenizer.id(of: Self.composed))
        let decomposed = try #require(tokenizer.id(of: Self.decomposed))
        #expect(composed != decomposed)
        #expect(tokenizer.piece(of: composed).map(bytes) == bytes(Self.composed))
        #expect(tokenizer.piece(of: decomposed).map(bytes) == bytes(Self.decomposed))
        let golden = try JSONDecoder().decode(ByteLevelBPETests.Golden.self, from: Data(contentsOf: folder.appendingPathComponent("exact-keys-golden.json")))
        #expect(golden.cases.count == 6)
        for item in golden.cases {
            let ids = try tokenizer.encode(item.text)
            #expect(ids == item.ids, "\(item.text.debugDescription)")
            #expect(bytes(tokenizer.decode(ids)) == bytes(item.decoded), "\(item.text.debugDescription)")
            #expect(bytes(item.decoded) == bytes(item.text))
        }
    }

    /// The "a b" merge format: a space followed by a combining mark is one `Character`, so the merge "e \u{301}"
    /// must be cut at the byte, not the character.
    @Test func stringMergesSplitAtTheSpaceByte() throws {
        let json = #"""
        {"model": {"type": "BPE", "vocab": {"e": 0, "\u0301": 1, "e\u0301": 2, "\u00e9": 3},
         "merges": ["e \u0301"]}, "decoder": {"type": "Fuse"}}
        """#
        let tokenizer = try HFTokenizer(json: try JSONValue.parse(Data(json.utf8), file: "merges.json"), file: "merges.json")
        #expect(try tokenizer.encode(Self.decomposed) == [2])
        #expect(try tokenizer.encode(Self.composed) == [3])
        #expect(try tokenizer.encode(Self.composed + Self.decomposed) == [3, 2])
        #expect(bytes(tokenizer.decode([2, 3])) == bytes(Self.decomposed + Self.composed))
    }

    @Test func wordLevelKeepsBothSpellings() throws {
        let json = #"{"model": {"type": "WordLevel", "vocab": {"\u00e9": 0, "e\u0301": 1}}, "decoder": {"type": "Fuse"}}"#
        let tokenizer = try HFTokenizer(json: try JSONValue.parse(Data(json.utf8), file: "words.json"), file: "words.json")
        #expect(try tokenizer.encode(Self.composed) == [0])
        #expect(try tokenizer.encode(Self.decomposed) == [1])
        #expect(bytes(tokenizer.decode([1])) == bytes(Self.decomposed))
    }

    /// A GGUF `llama` vocabulary with both spellings as tokens and as control tokens: each its own id, each
    /// decoded back to its own bytes (a `String`-keyed vocabulary left one of the ids without a piece).
    @Test func ggufLlamaVocabularyKeepsBothSpellings() throws {
        let (c, d) = (Self.composed, Self.decomposed)
        let tokens = ["<unk>", "<s>", "</s>", "c", "a", "f", "e", "\u{301}", c, "ca", "caf", d, "caf" + c, "caf" + d, "<\(c)>", "<\(d)>"]
        var writer = GGUFWriter()
        writer.set("tokenizer.ggml.model", .string("llama"))
        writer.set("tokenizer.ggml.tokens", .array(.string, tokens.map(GGUFValue.string)))
        // Longer tokens score higher, so merges run left to right into the whole word.
        writer.set("tokenizer.ggml.scores", .array(.float32, tokens.map { .float32(Float($0.utf8.count)) }))
        writer.set("tokenizer.ggml.token_type", .array(.int32, tokens.indices.map { .int32([0: 2, 1: 3, 2: 3, 14: 3, 15: 3][$0] ?? 1) }))
        writer.set("tokenizer.ggml.add_space_prefix", .bool(false))
        writer.set("tokenizer.ggml.add_bos_token", .bool(false))
        let url = GGUFModelTests.temporaryFile("exact-keys.gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try writer.write(to: url)
        let tokenizer = try #require(try GGUFVocabulary.tokenizer(try GGUFFile(path: url.path)))
        #expect(tokenizer.id(of: c) == 8 && tokenizer.id(of: d) == 11 && tokenizer.id(of: "<\(d)>") == 15)
        #expect(try tokenizer.encode("caf" + c) == [12])
        #expect(try tokenizer.encode("caf" + d) == [13])
        #expect(try tokenizer.encode("<\(d)><\(c)>" + d + c) == [15, 14, 11, 8])
        for id in tokens.indices.dropFirst(3) {
            #expect(tokenizer.piece(of: id).map(bytes) == bytes(tokens[id]), "\(id)")
            #expect(bytes(tokenizer.decode([id])) == bytes(tokens[id]), "\(id)")
        }
    }
}
