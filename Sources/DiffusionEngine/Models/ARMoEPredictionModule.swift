import DiffusionCore

/// One MTP module of `ARMoEModel` (DeepSeek-V3, arXiv:2412.19437, eq. 21-23; vLLM `deepseek_mtp.py`,
/// `DeepSeekMultiTokenPredictorLayer.forward`): at position i,
///     h_i^k = Block_k(eh_proj([enorm(Emb(t_{i+k})) ; hnorm(h_i^{k-1})])),   logits = head(norm(h_i^k))
/// predicting t_{i+k+1}, with Emb, norm and head the main model's. Tensors at `model.layers.{L + k - 1}.`.
struct ARMoEPredictionModule {
    let embeddingNorm: FloatTensor  // enorm [d]
    let hiddenNorm: FloatTensor  // hnorm [d]
    let projection: StoredMatrix  // eh_proj [d, 2d]
    let block: LLaDAMoELayer

    init(index n: Int, config c: LLaDAMoEConfiguration, weights: any WeightSource) throws {
        let p = "model.layers.\(n)."
        let d = c.hiddenSize
        embeddingNorm = try weights.tensor(p + "enorm.weight", shape: [d])
        hiddenNorm = try weights.tensor(p + "hnorm.weight", shape: [d])
        projection = try weights.matrix(p + "eh_proj.weight", shape: [d, 2 * d])
        block = try LLaDAMoELayer(index: n, config: c, weights: weights)
    }
}

extension ARMoEModel {
    public func draft(next: TokenID, count: Int, choose: (Logits) throws -> TokenID) throws -> (tokens: [TokenID], logits: [Logits]) {
        guard count >= 0, count <= draftDepth else {
            throw ModelInputError("cannot draft \(count) tokens with \(draftDepth) MTP modules")
        }
        guard !tokens.isEmpty else { throw ModelInputError("nothing cached to draft from; prefill first") }
        try checkVocabulary([next])
        let last = tokens.count - 1  // position p: the last cached token; `next` is t_{p+1}
        var sequence = tokens + [next]
        var drafts: [TokenID] = []
        var logits: [Logits] = []
        for k in stride(from: 1, through: count, by: 1) {
            // Rows that used a draft are scratch: keep only those whose tokens are all cached (i + k ≤ p).
            moduleCaches[k - 1].truncate(to: tokens.count - k)
            try runModule(k, through: last) { sequence[$0] }
            let row = headLogits(moduleCaches[k - 1].hidden.row(last), rows: 1)
            let token = try choose(row)
            try checkVocabulary([token])
            sequence.append(token)
            drafts.append(token)
            logits.append(row)
        }
        return (drafts, logits)
    }

    /// Full recompute, for parity: the main logits [T, V] of `tokens` and module k's [T − k, V] (row i predicts
    /// t_{i+k+1}), for k = 1 ... MTP modules while T − k > 0. Leaves `tokens` cached.
    public func predictionLogits(_ sequence: [TokenID]) throws -> (main: Logits, modules: [Logits]) {
        let main = try prefill(sequence)
        var modules: [Logits] = []
        for k in stride(from: 1, through: min(draftDepth, sequence.count - 1), by: 1) {
            moduleCaches[k - 1].truncate(to: 0)
            let rows = sequence.count - k
            try runModule(k, through: rows - 1) { sequence[$0] }
            modules.append(headLogits(moduleCaches[k - 1].hidden.row(0), rows: rows))
        }
        return (main, modules)
    }

    /// Runs module k over its uncached rows up to position `last` (needs module k − 1, or the main model, cached
    /// through `last`); `token(j)` is t_j. The rows' hidden states land in module k's cache.
    func runModule(_ k: Int, through last: Int, token: (Int) -> TokenID) throws {
        let c = config.base
        let d = c.hiddenSize
        let module = modules[k - 1]
        let cache = moduleCaches[k - 1]
        let previous = k == 1 ? main : moduleCaches[k - 2]
        let first = cache.count
        let rows = last + 1 - first
        guard rows > 0, previous.count > last else { throw ModelInputError("MTP module \(k) has no rows to run through \(last)") }
        let joined = UnsafeMutablePointer<Float>.allocate(capacity: rows * 2 * d)  // [rows, 2d]
        let x = UnsafeMutablePointer<Float>.allocate(capacity: rows * d)  // [rows, d]
        defer { joined.deallocate(); x.deallocate() }
        for r in 0 ..< rows {
            let i = first + r
            let out = joined + r * 2 * d
            embedding.expandRow(token(i + k), into: out)  // Emb(t_{i+k}), normed in place
            RMSNorm.apply(out, rows: 1, width: d, weight: module.embeddingNorm.pointer, eps: c.rmsNormEps, into: out)
            RMSNorm.apply(previous.hidden.row(i), rows: 1, width: d, weight: module.hiddenNorm.pointer, eps: c.rmsNormEps, into: out + d)
        }
        MatMul.linear(joined, rows: rows, inner: 2 * d, weight: module.projection, outer: d, into: x)
        try run([module.block], cache: cache, x: x, rows: rows)
    }
}
