/// The KV cache of one causal stream of `ARMoEModel` (the main model, or one MTP module): per layer the keys
/// (after k_norm and RoPE) and values of every cached position, [S, KVH·hd], and the stream's output hidden state
/// per position, [S, d] (the main model's feeds MTP module 1; module k's feeds module k + 1).
/// Rows past `count` are scratch. Truncating is exact: in a causal stream no row depends on a later one.
final class ARMoECache {
    let keys: [GrowingRows]
    let values: [GrowingRows]
    let hidden: GrowingRows
    private(set) var count = 0

    init(layers: Int, keyValueWidth: Int, hiddenSize: Int) {
        keys = (0 ..< layers).map { _ in GrowingRows(width: keyValueWidth) }
        values = (0 ..< layers).map { _ in GrowingRows(width: keyValueWidth) }
        hidden = GrowingRows(width: hiddenSize)
    }

    /// Room for `rows` positions, keeping the cached ones.
    func reserve(_ rows: Int) {
        for rowsOfLayer in keys + values + [hidden] { rowsOfLayer.reserve(rows, keep: count) }
    }

    /// Keeps at most the first `length` positions.
    func truncate(to length: Int) {
        count = max(0, min(count, length))
    }

    /// Marks `rows` more positions (written by the caller past `count`) as cached.
    func advance(by rows: Int) {
        count += rows
    }
}
