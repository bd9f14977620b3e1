import DiffusionCore
import Foundation

/// SentencePiece BPE as llama.cpp runs the `llama` vocabularies of GGUF files: the text (spaces already `▁`) is
/// split into UTF-8 characters, then the adjacent pair whose concatenation is a token with the highest score
/// (leftmost on ties) is merged until none is left; a character that is no token becomes its `<0xXX>` byte
/// tokens. Port of llama.cpp src/llama-vocab.cpp `llm_tokenizer_spm_session::tokenize`, `try_add_bigram` and
/// `resegment`.
struct SPMModel: Sendable {
    /// Token ids by UTF-8 bytes: Swift strings compare by canonical equivalence, which would make "e\u{301}"
    /// find the token "é"; llama.cpp compares bytes.
    let vocabulary: [[UInt8]: TokenID]
    let scores: [Float]  // [vocabulary size], by id

    init(tokens: [(text: String, id: TokenID)], scores: [Float]) {
        var vocabulary: [[UInt8]: TokenID] = [:]
        for token in tokens { vocabulary[Array(token.text.utf8)] = token.id }
        (self.vocabulary, self.scores) = (vocabulary, scores)
    }

    /// Token ids of `text`, or nil when a byte has no `<0xXX>` token.
    func tokenize(_ text: String) -> [TokenID]? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return [] }
        // Symbols: byte ranges, linked as a list; a merged symbol keeps the left index.
        var start: [Int] = [], length: [Int] = [], previous: [Int] = [], next: [Int] = []
        var offset = 0
        while offset < bytes.count {
            let count = min(Self.utf8Length(bytes[offset]), bytes.count - offset)
            previous.append(start.count - 1)
            start.append(offset)
            length.append(count)
            offset += count
            next.append(offset == bytes.count ? -1 : start.count)
        }
        // Which two symbols each merged text was built from, for resegmenting texts that are no token.
        var builtFrom: [[UInt8]: (Int, Int)] = [:]
        var queue = BinaryHeap<Bigram>()
        func slice(_ from: Int, _ count: Int) -> [UInt8] { Array(bytes[from ..< from + count]) }
        func tryAddBigram(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let merged = slice(start[left], length[left] + length[right])
            guard let id = vocabulary[merged], id >= 0, id < scores.count else { return }
            queue.push(Bigram(score: scores[id], left: left, right: right, size: length[left] + length[right]))
            builtFrom[merged] = (left, right)
        }
        for i in 1 ..< start.count { tryAddBigram(i - 1, i) }
        while let bigram = queue.pop() {
            let (left, right) = (bigram.left, bigram.right)
            // Skip a bigram one of whose symbols was merged since.
            guard length[left] > 0, length[right] > 0, length[left] + length[right] == bigram.size else { continue }
            length[left] += length[right]
            length[right] = 0
            next[left] = next[right]
            if next[right] >= 0 { previous[next[right]] = left }
            tryAddBigram(previous[left], left)
            tryAddBigram(left, next[left])
        }
        var ids: [TokenID] = []
        func resegment(_ symbol: Int) -> Bool {
            let piece = slice(start[symbol], length[symbol])
            if let id = vocabulary[piece] { ids.append(id); return true }
            guard let (left, right) = builtFrom[piece] else {
                for byte in bytes[start[symbol] ..< start[symbol] + length[symbol]] {
                    guard let id = vocabulary[Array(String(format: "<0x%02X>", byte).utf8)] else { return false }
                    ids.append(id)
                }
                return true
            }
            return resegment(left) && resegment(right)
        }
        var symbol = 0
        while symbol != -1 {
            guard resegment(symbol) else { return nil }
            symbol = next[symbol]
        }
        return ids
    }

    /// llama.cpp's `unicode_len_utf8`: the length of the UTF-8 sequence that `byte` starts.
    static func utf8Length(_ byte: UInt8) -> Int {
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4][Int(byte >> 4)]
    }
}

/// A candidate merge, highest score first, then the leftmost (llama.cpp's `llm_bigram_spm::comparator`).
struct Bigram: HeapOrdered {
    let score: Float
    let left: Int
    let right: Int
    let size: Int
    func before(_ other: Bigram) -> Bool { score != other.score ? score > other.score : left < other.left }
}
