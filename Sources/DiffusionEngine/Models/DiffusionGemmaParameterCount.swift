/// Parameter counts of a DiffusionGemma configuration: for benchmarks, model cards, and to refuse on load sizes
/// whose products would overflow.
extension DiffusionGemmaConfiguration {
    /// Parameters in total and active per token, for benchmarks and model cards (the encoder shares the decoder's).
    public var parameterCounts: (total: Int, activePerToken: Int) { countParameters { $0 } }

    /// The count in any number type: Double on load, to refuse sizes whose products would overflow Int.
    func countParameters<N: Numeric>(_ n: (Int) -> N) -> (total: N, activePerToken: N) {
        let d = n(hiddenSize)
        let (heads, experts, topK, ffn, expertFFN) = (n(headCount), n(expertCount), n(expertsPerToken), n(intermediateSize), n(expertHidden))
        var shared = n(vocabularySize) * d + d + 3 * d * ffn + d  // embedding, final norm, self-conditioning
        var active = shared
        for layer in layers {
            let (hd, kv) = (n(layer.headDim), n(layer.keyValueHeads) * n(layer.headDim))
            let attention = 2 * d * heads * hd + d * kv * (layer.valuesFromKeys ? 1 : 2) + 2 * hd
            let dense = 3 * d * ffn + 7 * d
            let router = d * experts + d + experts
            shared += attention + dense + router + experts * 3 * d * expertFFN
            active += attention + dense + router + topK * 3 * d * expertFFN
        }
        if !tieWordEmbeddings {
            shared += n(vocabularySize) * d
            active += n(vocabularySize) * d
        }
        return (shared, active)
    }
}
