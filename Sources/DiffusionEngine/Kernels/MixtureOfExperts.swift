/// A routed mixture of SwiGLU experts as in OLMoE / LLaDA-MoE: router logits → softmax (F32) → top-k experts,
/// weights optionally renormalised over the k, plus an optional always-on shared expert.
public struct MixtureOfExperts: Sendable {
    public let router: StoredMatrix  // [E, d]
    public let experts: [GatedMLP]
    public let topK: Int
    public let normalizeTopK: Bool
    /// Added to the routing probabilities before top-k, and kept in the weights, as the released code does.
    public let expertBias: FloatTensor?  // [E]
    public let shared: GatedMLP?

    public init(router: StoredMatrix, experts: [GatedMLP], topK: Int, normalizeTopK: Bool,
                expertBias: FloatTensor?, shared: GatedMLP?) {
        self.router = router
        self.experts = experts
        self.topK = topK
        self.normalizeTopK = normalizeTopK
        self.expertBias = expertBias
        self.shared = shared
    }

    /// A mixture with an F32 router tensor (random weights in tests and benchmarks).
    public init(router: FloatTensor, experts: [GatedMLP], topK: Int, normalizeTopK: Bool,
                expertBias: FloatTensor?, shared: GatedMLP?) {
        self.init(router: StoredMatrix(router), experts: experts, topK: topK, normalizeTopK: normalizeTopK,
                  expertBias: expertBias, shared: shared)
    }

    public var width: Int { router.columns }

    /// The chosen experts and weights of each token: [rows][k] pairs, highest weight first (ties: lower index).
    public func route(_ x: UnsafePointer<Float>, rows: Int) -> [[(expert: Int, weight: Float)]] {
        let count = experts.count
        var probabilities = [Float](repeating: 0, count: rows * count)
        probabilities.withUnsafeMutableBufferPointer { p in
            MatMul.linear(x, rows: rows, inner: width, weight: router, outer: count, into: p.baseAddress!)
            Softmax.rows(p.baseAddress!, rows: rows, width: count)
        }
        return (0 ..< rows).map { r in
            var scored = (0 ..< count).map { e in (expert: e, weight: probabilities[r * count + e] + (expertBias?[e] ?? 0)) }
            scored.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.expert < $1.expert }
            var chosen = Array(scored.prefix(topK))
            if normalizeTopK {
                let total = chosen.reduce(Float(0)) { $0 + $1.weight }
                chosen = chosen.map { ($0.expert, $0.weight / total) }
            }
            return chosen
        }
    }

    /// Fast path: tokens are grouped by expert (gather), each expert runs as three sgemms over its group, and the
    /// results are scattered back weighted. y [rows, d] is overwritten.
    public func forward(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        ExpertDispatch.run(x, rows: rows, width: width, experts: experts, routes: route(x, rows: rows), into: y)
        if let shared {
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * rows * shared.hidden)
            defer { scratch.deallocate() }
            shared.forward(x, rows: rows, into: y, scratch: scratch, accumulate: true)
        }
    }

    /// Naive twin: token by token, expert by expert, with the naive MLP.
    public func forwardNaive(_ x: [Float], rows: Int) -> [Float] {
        let d = width
        let routes = x.withUnsafeBufferPointer { route($0.baseAddress!, rows: rows) }
        var y = [Float](repeating: 0, count: rows * d)
        for r in 0 ..< rows {
            let token = Array(x[r * d ..< (r + 1) * d])
            for pick in routes[r] {
                let out = experts[pick.expert].forwardNaive(token)
                for i in 0 ..< d { y[r * d + i] += pick.weight * out[i] }
            }
            if let shared {
                let out = shared.forwardNaive(token)
                for i in 0 ..< d { y[r * d + i] += out[i] }
            }
        }
        return y
    }
}
