import DiffusionCore
import Foundation

/// A Hugging Face `tokenizer.json` tokenizer: added tokens matched first (those marked `normalized` after the
/// normalizer), then the normalizer, the pre-tokenizer and the model; decoding runs the decoder over the token
/// strings. Supported: the WordLevel model (the shipped character-level models), the BPE model (byte-level as
/// GPT-2/Qwen/LLaDA ship it, or SentencePiece style with byte fallback as Gemma ships it), and the SentencePiece
/// model of GGUF `llama` vocabularies (`GGUFVocabulary`). Normalizers, pre-tokenizers and decoders: see
/// Normalizer.swift, PreTokenizer.swift, TokenDecoder.swift. Anything else is refused with an error naming the field.
/// Port of Hugging Face tokenizers `tokenizer/mod.rs` (`encode_single_sequence`, `decode`) and `added_vocabulary.rs`.
/// Tokens are told apart by their bytes (`ExactString`), as tokenizers does: a vocabulary may hold both "é"
/// (U+00E9) and "e\u{301}" as distinct tokens, which Swift's `String` would equate.
public struct HFTokenizer: Sendable {
    public let vocabulary: [ExactString: TokenID]
    public let tokens: [TokenID: String]
    /// Added tokens, longest first, so that `<mask>` wins over `<`.
    let addedTokens: [AddedToken]
    /// The added tokens matched in the raw text, and those marked `normalized`, spelled as the normalizer writes
    /// them and matched in the normalized text.
    let rawMatcher: AddedTokenMatcher
    let normalizedMatcher: AddedTokenMatcher
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer
    let model: TokenModel
    let decoder: TokenDecoder
    let postProcessor: PostProcessor
    public let file: String

    struct AddedToken: Sendable {
        let content: String
        let id: TokenID
        let special: Bool
        /// Matched in the normalized text rather than the raw text.
        let normalized: Bool
    }

    enum TokenModel: Sendable {
        case wordLevel(unknownID: TokenID?)
        case bpe(BPEModel)
        case spm(SPMModel)
    }

    public init(contentsOf url: URL) throws {
        try self.init(json: try JSONValue.read(url), file: url.path)
    }

    public init(json: JSONValue, file: String) throws {
        let root = try JSONFields(json, file: file)
        let model = try root.object("model")
        let type = try model.optionalString("type") ?? "WordLevel"
        guard type == "WordLevel" || type == "BPE" else {
            throw ModelFileError(file: file, "field 'model.type' is '\(type)'; supported: WordLevel, BPE")
        }
        var vocabulary: [ExactString: TokenID] = [:]
        for (piece, value) in try model.object("vocab").values {
            guard case .int(let id) = value, id >= 0 else {
                throw ModelFileError(file: file, "field 'model.vocab.\(piece)' must be a non-negative integer id")
            }
            vocabulary[piece] = id
        }
        var added: [AddedToken] = []
        for (index, item) in (root.present("added_tokens") == nil ? [] : try root.array("added_tokens")).enumerated() {
            let fields = try JSONFields(item, file: file, path: "added_tokens[\(index)]")
            let special = try fields.optionalBool("special") ?? false
            added.append(AddedToken(content: try fields.string("content"), id: try fields.int("id"), special: special,
                                    normalized: try fields.optionalBool("normalized") ?? !special))
        }
        let tokenModel: TokenModel = type == "BPE"
            ? .bpe(try BPEModel(fields: model, vocabulary: vocabulary))
            : .wordLevel(unknownID: try model.optionalString("unk_token").flatMap { vocabulary[ExactString($0)] })
        self.init(vocabulary: vocabulary, added: added, normalizer: try Normalizer(root.present("normalizer"), file: file, path: "normalizer"),
                  preTokenizer: try PreTokenizer(root.present("pre_tokenizer"), file: file, path: "pre_tokenizer"),
                  model: tokenModel, decoder: try TokenDecoder(root.present("decoder"), file: file, path: "decoder"),
                  postProcessor: try PostProcessor(root.present("post_processor"), file: file, path: "post_processor"), file: file)
    }

    init(vocabulary: [ExactString: TokenID], added: [AddedToken], normalizer: Normalizer?, preTokenizer: PreTokenizer,
         model: TokenModel, decoder: TokenDecoder, postProcessor: PostProcessor = .none, file: String) {
        var vocabulary = vocabulary
        for token in added { vocabulary[ExactString(token.content)] = token.id }
        self.vocabulary = vocabulary
        var tokens: [TokenID: String] = [:]
        for (piece, id) in vocabulary { tokens[id] = piece.text }
        self.tokens = tokens
        addedTokens = added.filter { !$0.content.isEmpty }.sorted { $0.content.utf8.count > $1.content.utf8.count }
        // tokenizers normalizes the content of a `normalized` added token and matches that in the normalized text.
        rawMatcher = AddedTokenMatcher(addedTokens.filter { !$0.normalized })
        normalizedMatcher = AddedTokenMatcher(addedTokens.filter(\.normalized).map {
            AddedToken(content: normalizer?.apply($0.content) ?? $0.content, id: $0.id, special: $0.special, normalized: true)
        })
        (self.normalizer, self.preTokenizer, self.model, self.decoder, self.postProcessor, self.file) = (normalizer, preTokenizer, model, decoder, postProcessor, file)
    }

    /// The id of the token spelled `piece`, if any.
    public func id(of piece: String) -> TokenID? { vocabulary[ExactString(piece)] }

    /// The token `id` stands for, if any.
    public func piece(of id: TokenID) -> String? { tokens[id] }

    /// Token ids of `text` with the special tokens the tokenizer adds around a sequence (`<bos>` for Gemma and
    /// Llama), as `tokenizer.encode(text)` gives them in Hugging Face `tokenizers`.
    public func encodeWithSpecialTokens(_ text: String) throws -> [TokenID] {
        try postProcessor.apply(try encode(text), file: file)
    }

    /// Token ids of `text`. A piece outside the vocabulary maps to `unk_token`, or is an error without one.
    public func encode(_ text: String) throws -> [TokenID] {
        var ids: [TokenID] = []
        for (segment, rawIndex) in Self.split(text, on: rawMatcher) {
            guard case .text(let raw) = segment else {
                if case .token(let id) = segment { ids.append(id) }
                continue
            }
            let normalized = normalizer?.apply(raw) ?? raw
            for (piece, normalizedIndex) in Self.split(normalized, on: normalizedMatcher) {
                switch piece {
                case .token(let id): ids.append(id)
                case .text(let plain):
                    for word in preTokenizer.split(plain, atStart: rawIndex == 0 && normalizedIndex == 0) {
                        ids.append(contentsOf: try tokenize(word))
                    }
                }
            }
        }
        return ids
    }

    private func tokenize(_ word: String) throws -> [TokenID] {
        switch model {
        case .bpe(let bpe):
            guard let ids = bpe.tokenize(word) else { throw TokenizerError(message: "'\(word)' has no tokens in the vocabulary of \(file)") }
            return ids
        case .spm(let spm):
            guard let ids = spm.tokenize(word) else { throw TokenizerError(message: "'\(word)' has a byte without a <0xXX> token in the vocabulary of \(file)") }
            return ids
        case .wordLevel(let unknownID):
            if let id = vocabulary[ExactString(word)] ?? unknownID { return [id] }
            throw TokenizerError(message: "'\(word)' is not in the vocabulary of \(file)")
        }
    }

    enum Segment { case text(String), token(TokenID) }

    /// `text` cut at the (leftmost, longest) occurrences of `added`, matched byte for byte as tokenizers' Aho-Corasick
    /// does (a `String` comparison would match "é" against "e\u{301}"); each piece with its UTF-8 offset.
    static func split(_ text: String, on added: AddedTokenMatcher) -> [(Segment, Int)] {
        guard !added.isEmpty else { return text.isEmpty ? [] : [(.text(text), 0)] }
        let bytes = Array(text.utf8)
        var segments: [(Segment, Int)] = []
        var offset = 0, plainStart = 0
        func flushPlain() {
            // A match starts at a lead byte and ends after a whole scalar, so the plain run is valid UTF-8.
            if plainStart < offset { segments.append((.text(String(decoding: bytes[plainStart ..< offset], as: UTF8.self)), plainStart)) }
        }
        while offset < bytes.count {
            if let match = added.longestMatch(in: bytes, at: offset) {
                flushPlain()
                segments.append((.token(match.id), offset))
                offset += match.content.utf8.count
                plainStart = offset
            } else {
                offset += 1
            }
        }
        flushPlain()
        return segments
    }

    /// Text of `ids`; special added tokens are dropped when `skipSpecial`.
    public func decode(_ ids: [TokenID], skipSpecial: Bool = false) -> String {
        let special = Set(addedTokens.filter(\.special).map(\.id))
        let pieces = ids.compactMap { id -> String? in
            if skipSpecial && special.contains(id) { return nil }
            return tokens[id] ?? "<\(id)?>"
        }
        return decoder.decode(pieces)
    }
}

/// Added tokens indexed by their first byte, longest first, so that finding the one that starts a text costs a
/// look-up rather than a scan of every added token (Gemma has thousands).
struct AddedTokenMatcher: Sendable {
    private let byFirst: [UInt8: [(bytes: [UInt8], token: HFTokenizer.AddedToken)]]

    init(_ tokens: [HFTokenizer.AddedToken]) {
        var byFirst: [UInt8: [(bytes: [UInt8], token: HFTokenizer.AddedToken)]] = [:]
        for token in tokens {
            let bytes = Array(token.content.utf8)
            if let first = bytes.first { byFirst[first, default: []].append((bytes, token)) }
        }
        self.byFirst = byFirst.mapValues { $0.sorted { $0.bytes.count > $1.bytes.count } }
    }

    var isEmpty: Bool { byFirst.isEmpty }

    /// The longest added token whose bytes start `text` at `offset`.
    func longestMatch(in text: [UInt8], at offset: Int) -> HFTokenizer.AddedToken? {
        guard let candidates = byFirst[text[offset]] else { return nil }
        return candidates.first { candidate in
            candidate.bytes.count <= text.count - offset && text[offset ..< offset + candidate.bytes.count].elementsEqual(candidate.bytes)
        }?.token
    }
}

public struct TokenizerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
