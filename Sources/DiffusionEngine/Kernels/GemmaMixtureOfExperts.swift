/// The routed experts of a Gemma 4 MoE layer (transformers `Gemma4TextRouter` + `Gemma4TextExperts`, as
/// DiffusionGemma copies them): the router sees RMSNorm(x) (no weight) · scale · d^-½, takes a softmax (F32) over
/// the experts, keeps the top k, renormalises them to sum 1 and multiplies each by its expert's `per_expert_scale`;
/// the chosen GELU-gated experts run on a separately normed input and are summed with those weights.
public struct GemmaMixtureOfExperts: Sendable {
    public let router: StoredMatrix  // proj [E, d]
    public let routerScale: FloatTensor  // [d]
    public let perExpertScale: FloatTensor  // [E]
    public let experts: [GatedMLP]
    public let topK: Int
    public let eps: Float

    public init(router: StoredMatrix, routerScale: FloatTensor, perExpertScale: FloatTensor, experts: [GatedMLP],
                topK: Int, eps: Float) {
        self.router = router
        self.routerScale = routerScale
        self.perExpertScale = perExpertScale
        self.experts = experts
        self.topK = topK
        self.eps = eps
    }

    /// A mixture with an F32 router tensor (random weights in tests).
    public init(router: FloatTensor, routerScale: FloatTensor, perExpertScale: FloatTensor, experts: [GatedMLP],
                topK: Int, eps: Float) {
        self.init(router: StoredMatrix(router), routerScale: routerScale, perExpertScale: perExpertScale, experts: experts,
                  topK: topK, eps: eps)
    }

    public var width: Int { router.columns }

    /// The chosen experts and weights of each token of x [rows, d]: [rows][k], highest probability first
    /// (ties: lower index).
    public func route(_ x: UnsafePointer<Float>, rows: Int) -> [[(expert: Int, weight: Float)]] {
        let (count, d) = (experts.count, width)
        let rootSize = 1 / Float(d).squareRoot()  // hidden_size ** -0.5, rounded to F32 as the parameter multiply does
        var normed = [Float](repeating: 0, count: rows * d)
        var probabilities = [Float](repeating: 0, count: rows * count)
        let ones = [Float](repeating: 1, count: d)
        normed.withUnsafeMutableBufferPointer { n in
            RMSNorm.apply(x, rows: rows, width: d, weight: ones, eps: eps, into: n.baseAddress!)
            for r in 0 ..< rows {
                for i in 0 ..< d { n[r * d + i] = n[r * d + i] * routerScale[i] * rootSize }
            }
            probabilities.withUnsafeMutableBufferPointer { p in
                MatMul.linear(n.baseAddress!, rows: rows, inner: d, weight: router, outer: count, into: p.baseAddress!)
                Softmax.rows(p.baseAddress!, rows: rows, width: count)
            }
        }
        return (0 ..< rows).map { r in
            var scored = (0 ..< count).map { e in (expert: e, weight: probabilities[r * count + e]) }
            scored.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.expert < $1.expert }
            let chosen = scored.prefix(topK)
            let total = chosen.reduce(Float(0)) { $0 + $1.weight }
            return chosen.map { ($0.expert, $0.weight / total * perExpertScale[$0.expert]) }
        }
    }

    /// Fast path: tokens are grouped by expert (gather), each expert runs as three sgemms over its group, and the
    /// results are scattered back weighted. `routes` come from `route` on the routing input (the residual stream);
    /// x [rows, d] is the experts' input (pre_feedforward_layernorm_2 of it). y [rows, d] is overwritten.
    public func forward(
        _ x: UnsafePointer<Float>, rows: Int, routes: [[(expert: Int, weight: Float)]], into y: UnsafeMutablePointer<Float>
    ) {
        ExpertDispatch.run(x, rows: rows, width: width, experts: experts, routes: routes, into: y)
    }

    /// Naive twin: token by token, expert by expert, with the naive MLP (routing as in `route`).
    public func forwardNaive(_ x: [Float], rows: Int, routes: [[(expert: Int, weight: Float)]]) -> [Float] {
        let d = width
        var y = [Float](repeating: 0, count: rows * d)
        for r in 0 ..< rows {
            let token = Array(x[r * d ..< (r + 1) * d])
            for pick in routes[r] {
                let out = experts[pick.expert].forwardNaive(token)
                for i in 0 ..< d { y[r * d + i] += pick.weight * out[i] }
            }
        }
        return y
    }

    /// Naive twin of `route`, in Double: the same top-k choice and weights.
    public func routeNaive(_ x: [Float], rows: Int) -> [[(expert: Int, weight: Float)]] {
        let (count, d) = (experts.count, width)
        let router = self.router.expanded
        return (0 ..< rows).map { r in
            let row = x[r * d ..< (r + 1) * d].map(Double.init)
            let inverse = 1 / (row.reduce(0) { $0 + $1 * $1 } / Double(d) + Double(eps)).squareRoot()
            let normed = (0 ..< d).map { row[$0] * inverse * Double(routerScale[$0]) / Double(d).squareRoot() }
            let logits = (0 ..< count).map { e in (0 ..< d).reduce(0.0) { $0 + normed[$1] * Double(router[e * d + $1]) } }
            let maximum = logits.max()!
            let exps = logits.map { exp($0 - maximum) }
            let total = exps.reduce(0, +)
            let ranked = (0 ..< count).sorted { exps[$0] != exps[$1] ? exps[$0] > exps[$1] : $0 < $1 }.prefix(topK)
            let kept = ranked.reduce(0.0) { $0 + exps[$1] / total }
            return ranked.map { ($0, Float(exps[$0] / total / kept * Double(perExpertScale[$0]))) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
