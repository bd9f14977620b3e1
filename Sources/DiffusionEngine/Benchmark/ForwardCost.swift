/// Floating-point operations of one LLaDA-MoE forward pass over `tokens` positions (multiply-add = 2 FLOPs),
/// counting the work actually done: only the k routed experts per token, logits for `outputRows` rows.
public extension LLaDAMoEConfiguration {
    func forwardFLOPs(tokens t: Int, outputRows: Int) -> Double {
        let d = Double(hiddenSize)
        let q = Double(headCount * headDim)
        let kv = Double(keyValueHeadCount * headDim)
        let tokens = Double(t)
        var total = 0.0
        for isMoE in moeLayers {
            total += 2 * tokens * d * (q + 2 * kv) + 2 * tokens * q * d  // q, k, v, o projections
            total += 2 * 2 * tokens * tokens * Double(headCount * headDim)  // scores and weighted values
            if isMoE {
                total += 2 * tokens * d * Double(expertCount)  // router
                total += tokens * Double(expertsPerToken) * 2 * 3 * d * Double(expertHidden)
                total += tokens * 2 * 3 * d * Double(sharedExpertHidden ?? 0)
            } else {
                total += tokens * 2 * 3 * d * Double(denseHidden ?? 0)
            }
        }
        return total + 2 * Double(outputRows) * d * Double(vocabularySize)  // LM head
    }
}
