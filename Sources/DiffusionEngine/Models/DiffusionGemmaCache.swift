/// Rows of floats with a stable address that grow on demand, keeping their first rows (a KV cache layer, scratch).
final class GrowingRows {
    let width: Int
    private(set) var capacity = 0
    private(set) var pointer = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    init(width: Int) {
        self.width = width
    }

    deinit { pointer.deallocate() }

    /// Makes room for `rows` rows, keeping the first `keep` of them.
    func reserve(_ rows: Int, keep: Int) {
        guard rows > capacity else { return }
        let grown = max(rows, capacity * 3 / 2)
        let fresh = UnsafeMutablePointer<Float>.allocate(capacity: max(grown * width, 1))
        fresh.initialize(repeating: 0, count: max(grown * width, 1))
        if keep > 0 { fresh.update(from: pointer, count: min(keep, capacity) * width) }
        pointer.deallocate()
        pointer = fresh
        capacity = grown
    }

    func row(_ index: Int) -> UnsafeMutablePointer<Float> { pointer + index * width }
}

/// The encoder's KV cache: per layer, keys (after k_norm and RoPE) and values (after v_norm) of every position of
/// the encoded prefix, [S, KVH·hd]. Rows past `tokens.count` are the decoder's scratch for the current canvas:
/// the decoder reads the cache and never commits to it, as transformers' `append_to_cache` does.
/// All positions are kept; a sliding layer reads only its window, which is what transformers' sliding cache
/// (the last W − 1 positions) leaves it.
final class DiffusionGemmaCache {
    private(set) var tokens: [TokenID] = []
    let keys: [GrowingRows]
    let values: [GrowingRows]

    init(config: DiffusionGemmaConfiguration) {
        keys = config.layers.map { GrowingRows(width: $0.keyValueHeads * $0.headDim) }
        values = config.layers.map { GrowingRows(width: $0.keyValueHeads * $0.headDim) }
    }

    var count: Int { tokens.count }

    /// Room for `rows` positions in every layer, keeping the encoded ones.
    func reserve(_ rows: Int) {
        for rowsOfLayer in keys + values { rowsOfLayer.reserve(rows, keep: count) }
    }

    /// Keeps the first `length` positions: exact for a causal encoder, whose rows never depend on later tokens.
    func truncate(to length: Int) {
        tokens.removeLast(tokens.count - length)
    }

    func commit(_ chunk: ArraySlice<TokenID>) {
        tokens.append(contentsOf: chunk)
    }
}

import DiffusionCore
