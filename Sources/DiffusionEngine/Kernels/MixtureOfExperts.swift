/// A routed mixture of SwiGLU experts as in OLMoE / LLaDA-MoE: router logits → softmax (F32) → top-k experts,
/// weights optionally renormalised over the k, plus an optional always-on shared expert.
public struct MixtureOfExperts: Sendable {
    public let router: FloatTensor  // [E, d]
    public let experts: [SwiGLUWeights]
    public let topK: Int
    public let normalizeTopK: Bool
    /// Added to the routing probabilities before top-k, and kept in the weights, as the released code does.
    public let expertBias: FloatTensor?  // [E]
    public let shared: SwiGLUWeights?

    public init(router: FloatTensor, experts: [SwiGLUWeights], topK: Int, normalizeTopK: Bool,
                expertBias: FloatTensor?, shared: SwiGLUWeights?) {
        self.router = router
        self.experts = experts
        self.topK = topK
        self.normalizeTopK = normalizeTopK
        self.expertBias = expertBias
        self.shared = shared
    }

    public var width: Int { router.shape[1] }

    /// The chosen experts and weights of each token: [rows][k] pairs, highest weight first (ties: lower index).
    public func route(_ x: UnsafePointer<Float>, rows: Int) -> [[(expert: Int, weight: Float)]] {
        let count = experts.count
        var probabilities = [Float](repeating: 0, count: rows * count)
        probabilities.withUnsafeMutableBufferPointer { p in
            MatMul.linear(x, rows: rows, inner: width, weight: router.pointer, outer: count, into: p.baseAddress!)
            Softmax.rows(p.baseAddress!, rows: rows, width: count)
        }
        return (0 ..< rows).map { r in
            var scored = (0 ..< count).map { e in (expert: e, weight: probabilities[r * count + e] + (expertBias?.pointer[e] ?? 0)) }
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
        let d = width
        let routes = route(x, rows: rows)
        var members = [[(row: Int, weight: Float)]](repeating: [], count: experts.count)
        for (row, chosen) in routes.enumerated() {
            for pick in chosen { members[pick.expert].append((row, pick.weight)) }
        }
        let maxGroup = members.map(\.count).max() ?? 0
        let maxHidden = max(experts.map(\.hidden).max() ?? 0, shared?.hidden ?? 0)
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: max(maxGroup, rows) * d)
        let expertOut = UnsafeMutablePointer<Float>.allocate(capacity: maxGroup * d)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * max(maxGroup, rows) * maxHidden)
        defer {
            gathered.deallocate()
            expertOut.deallocate()
            scratch.deallocate()
        }
        y.update(repeating: 0, count: rows * d)
        for (e, group) in members.enumerated() where !group.isEmpty {
            for (slot, member) in group.enumerated() {
                (gathered + slot * d).update(from: x + member.row * d, count: d)
            }
            experts[e].forward(gathered, rows: group.count, into: expertOut, scratch: scratch)
            for (slot, member) in group.enumerated() {
                let target = y + member.row * d
                let source = expertOut + slot * d
                for i in 0 ..< d { target[i] += member.weight * source[i] }
            }
        }
        shared?.forward(x, rows: rows, into: y, scratch: scratch, accumulate: true)
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
