import DiffusionCore
import Foundation

/// The BPE model of `tokenizer.json`: a piece is split into Unicode scalars, each looked up in the vocabulary
/// (`byte_fallback`: a scalar missing from it becomes its `<0xXX>` byte tokens, SentencePiece style); then the
/// adjacent pair with the lowest merge rank (leftmost on ties) is merged until no ranked pair is left.
/// Port of Hugging Face tokenizers `models/bpe/model.rs` (`merge_word`) and `models/bpe/word.rs` (`merge_all`,
/// without dropout).
/// Tokens are looked up by their bytes (`ExactString`), as tokenizers does.
struct BPEModel: Sendable {
    let vocabulary: [ExactString: TokenID]
    /// (left id, right id) packed in one key -> (rank, merged id).
    let merges: [UInt64: (rank: Int, id: TokenID)]
    let unknownID: TokenID?
    let fuseUnknown: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    /// A piece made only of newlines that is itself a token stays whole, as llama.cpp's BPE session does for the
    /// `gemma4` vocabularies of GGUF files (`llm_tokenizer_bpe_session::tokenize`, llama.cpp pull request 21343:
    /// Gemma's newline-run tokens are added tokens no merge reaches). Off for tokenizer.json.
    var wholeNewlineRuns = false

    init(fields model: JSONFields, vocabulary: [ExactString: TokenID]) throws {
        self.vocabulary = vocabulary
        var merges: [UInt64: (rank: Int, id: TokenID)] = [:]
        for (rank, merge) in try model.array("merges").enumerated() {
            let parts: [String]
            switch merge {
            case .string(let text):
                parts = Self.splitAtSpace(text)
            case .array(let items):
                let texts = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
                parts = texts.count == items.count ? texts : []
            default:
                parts = []
            }
            guard parts.count == 2 else {
                throw ModelFileError(file: model.file, "field 'model.merges[\(rank)]' must be \"a b\" or [\"a\", \"b\"]")
            }
            guard let left = vocabulary[ExactString(parts[0])], let right = vocabulary[ExactString(parts[1])],
                  let merged = vocabulary[ExactString(parts[0] + parts[1])] else {
                throw ModelFileError(file: model.file, "field 'model.merges[\(rank)]' (\(parts[0]) \(parts[1])) names a token that is not in 'model.vocab'")
            }
            let key = Self.key(left, right)
            if merges[key] == nil { merges[key] = (rank, merged) }
        }
        self.merges = merges
        unknownID = try model.optionalString("unk_token").flatMap { vocabulary[ExactString($0)] }
        fuseUnknown = try model.optionalBool("fuse_unk") ?? false
        byteFallback = try model.optionalBool("byte_fallback") ?? false
        ignoreMerges = try model.optionalBool("ignore_merges") ?? false
        if let prefix = try model.optionalString("continuing_subword_prefix"), !prefix.isEmpty {
            throw ModelFileError(file: model.file, "field 'model.continuing_subword_prefix' is '\(prefix)'; only BPE without subword prefixes is supported")
        }
        if let suffix = try model.optionalString("end_of_word_suffix"), !suffix.isEmpty {
            throw ModelFileError(file: model.file, "field 'model.end_of_word_suffix' is '\(suffix)'; only BPE without word suffixes is supported")
        }
    }

    /// "a b" cut at its spaces, by bytes: `String.split` cuts at characters, and a space followed by a combining
    /// mark (" \u{301}") is one character, so "e \u{301}" would not split.
    static func splitAtSpace(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    static func key(_ left: TokenID, _ right: TokenID) -> UInt64 { UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right)) }

    /// Token ids of one pre-tokenized piece, or nil for a scalar that has no id (no unk, no byte fallback).
    func tokenize(_ piece: String) -> [TokenID]? {
        if ignoreMerges, let id = vocabulary[ExactString(piece)] { return [id] }
        if wholeNewlineRuns, !piece.isEmpty, piece.utf8.allSatisfy({ $0 == UInt8(ascii: "\n") }),
           let id = vocabulary[ExactString(piece)] { return [id] }
        var symbols: [TokenID] = []
        var pendingUnknown = false  // an unk waiting to be fused with the next unknown scalar
        for scalar in piece.unicodeScalars {
            let text = String(scalar)
            if let id = vocabulary[ExactString(text)] {
                pendingUnknown = false
                symbols.append(id)
                continue
            }
            if byteFallback {
                let bytes = text.utf8.map { vocabulary[ExactString(String(format: "<0x%02X>", $0))] }
                if bytes.allSatisfy({ $0 != nil }) {
                    pendingUnknown = false
                    symbols.append(contentsOf: bytes.compactMap { $0 })
                    continue
                }
            }
            guard let unknownID else { return nil }
            if !(fuseUnknown && pendingUnknown) { symbols.append(unknownID) }
            pendingUnknown = true
        }
        return mergeAll(symbols)
    }

    /// Applies the merges to `symbols` in rank order (a priority queue, as tokenizers does).
    private func mergeAll(_ ids: [TokenID]) -> [TokenID] {
        guard ids.count > 1 else { return ids }
        var symbol = ids
        var previous = Array(-1 ..< ids.count - 1)
        var next = Array(1 ... ids.count)
        next[ids.count - 1] = -1
        var alive = [Bool](repeating: true, count: ids.count)
        var queue = BinaryHeap<MergeEntry>()
        for i in 0 ..< ids.count - 1 {
            if let merge = merges[Self.key(ids[i], ids[i + 1])] { queue.push(MergeEntry(rank: merge.rank, position: i, id: merge.id)) }
        }
        while let top = queue.pop() {
            let position = top.position
            guard alive[position], next[position] >= 0 else { continue }
            let right = next[position]
            // Skip entries made stale by an earlier merge.
            guard let current = merges[Self.key(symbol[position], symbol[right])], current.id == top.id else { continue }
            symbol[position] = top.id
            alive[right] = false
            next[position] = next[right]
            if next[right] >= 0 { previous[next[right]] = position }
            if previous[position] >= 0, let merge = merges[Self.key(symbol[previous[position]], top.id)] {
                queue.push(MergeEntry(rank: merge.rank, position: previous[position], id: merge.id))
            }
            if next[position] >= 0, let merge = merges[Self.key(top.id, symbol[next[position]])] {
                queue.push(MergeEntry(rank: merge.rank, position: position, id: merge.id))
            }
        }
        return symbol.indices.filter { alive[$0] }.map { symbol[$0] }
    }
}

/// A pending merge, ordered by rank, then position (tokenizers' `Merge` ordering).
struct MergeEntry: HeapOrdered {
    let rank: Int
    let position: Int
    let id: TokenID
    func before(_ other: MergeEntry) -> Bool { rank != other.rank ? rank < other.rank : position < other.position }
}
