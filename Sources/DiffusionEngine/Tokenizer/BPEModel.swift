import DiffusionCore
import Foundation

/// The BPE model of `tokenizer.json`: a piece is split into symbols (characters), then the adjacent pair with the
/// lowest merge rank is merged until no ranked pair is left; each symbol is looked up in the vocabulary.
/// `byte_fallback` maps a symbol missing from the vocabulary to its `<0xXX>` byte tokens (SentencePiece style).
/// Port of Hugging Face tokenizers `models/bpe/model.rs` (`merge_word`, without dropout).
struct BPEModel: Sendable {
    let vocabulary: [String: TokenID]
    /// Rank of each merge "left right" (lower merges first).
    let ranks: [String: Int]
    let unknownID: TokenID?
    let byteFallback: Bool
    let ignoreMerges: Bool

    init(fields model: JSONFields, vocabulary: [String: TokenID]) throws {
        self.vocabulary = vocabulary
        var ranks: [String: Int] = [:]
        for (rank, merge) in try model.array("merges").enumerated() {
            let pair: String
            switch merge {
            case .string(let text):
                pair = text
            case .array(let parts) where parts.count == 2 && parts.allSatisfy({ if case .string = $0 { true } else { false } }):
                pair = parts.map { if case .string(let text) = $0 { text } else { "" } }.joined(separator: " ")
            default:
                throw ModelFileError(file: model.file, "field 'model.merges[\(rank)]' must be \"a b\" or [\"a\", \"b\"]")
            }
            if ranks[pair] == nil { ranks[pair] = rank }
        }
        self.ranks = ranks
        unknownID = try model.optionalString("unk_token").flatMap { vocabulary[$0] }
        byteFallback = try model.optionalBool("byte_fallback") ?? false
        ignoreMerges = try model.optionalBool("ignore_merges") ?? false
    }

    /// Token ids of one pre-tokenized piece, or nil for a symbol that has no id (no unk, no byte fallback).
    func tokenize(_ piece: String) -> [TokenID]? {
        if ignoreMerges, let id = vocabulary[piece] { return [id] }
        var symbols = piece.map(String.init)
        while symbols.count > 1 {
            var best: (rank: Int, index: Int)?
            for i in 0 ..< symbols.count - 1 {
                if let rank = ranks[symbols[i] + " " + symbols[i + 1]], rank < (best?.rank ?? .max) { best = (rank, i) }
            }
            guard let best else { break }
            symbols[best.index] += symbols[best.index + 1]
            symbols.remove(at: best.index + 1)
        }
        var ids: [TokenID] = []
        for symbol in symbols {
            if let id = vocabulary[symbol] {
                ids.append(id)
            } else if byteFallback {
                for byte in symbol.utf8 {
                    guard let id = vocabulary[String(format: "<0x%02X>", byte)] else { return nil }
                    ids.append(id)
                }
            } else if let unknownID {
                ids.append(unknownID)
            } else {
                return nil
            }
        }
        return ids
    }
}
