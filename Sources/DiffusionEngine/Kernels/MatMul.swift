import COpenBLAS

/// y = x · Wᵀ, the linear layer in Hugging Face layout (weights are [out, in]).
public enum MatMul {
    /// Fast path: one `cblas_sgemm`. x [rows, inner], w [outer, inner], y [rows, outer]; `accumulate` adds into y.
    @inline(__always)
    public static func linear(
        _ x: UnsafePointer<Float>, rows: Int, inner: Int,
        weight w: UnsafePointer<Float>, outer: Int,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        guard rows > 0, outer > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans,
            Int32(rows), Int32(outer), Int32(inner),
            1, x, Int32(inner), w, Int32(inner),
            accumulate ? 1 : 0, y, Int32(outer))
    }

    /// Naive twin of `linear`: three loops, accumulating in Double.
    public static func linearNaive(
        _ x: UnsafePointer<Float>, rows: Int, inner: Int,
        weight w: UnsafePointer<Float>, outer: Int,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        for r in 0 ..< rows {
            for o in 0 ..< outer {
                var sum = 0.0
                for i in 0 ..< inner { sum += Double(x[r * inner + i]) * Double(w[o * inner + i]) }
                y[r * outer + o] = (accumulate ? y[r * outer + o] : 0) + Float(sum)
            }
        }
    }

    /// Experts of a MoE layer computed at once on Dispatch threads (1: one after the other). Results do not depend
    /// on it (see `ExpertDispatch`).
    public static var expertThreads: Int {
        get { ExpertDispatch.threads }
        set { ExpertDispatch.threads = max(1, newValue) }
    }

    /// Attention work items (head × query tile) computed at once on Dispatch threads (see `TiledAttention`);
    /// results do not depend on it.
    public static var attentionThreads: Int {
        get { attentionWorkers }
        set { attentionWorkers = max(1, newValue) }
    }
    nonisolated(unsafe) private static var attentionWorkers = 1

    /// Dispatch workers that share out the panels of a stored (non-F32) weight's `linear` (projections, MLPs, LM
    /// head) by output columns; results do not depend on it (see `linear(_:rows:inner:weight:outer:into:accumulate:panelRows:)`).
    public static var linearThreads: Int {
        get { linearWorkers }
        set { linearWorkers = max(1, newValue) }
    }

    /// The threads of a forward pass: OpenBLAS's threads for the F32 matmuls, and as many Dispatch workers for
    /// attention heads, experts and the panels of stored (non-F32) weights, OpenBLAS at one thread meanwhile (see
    /// `BLASThreads`). 1 for timing on shared machines. The Dispatch part gives bit-for-bit the
    /// same result at any count (`ForwardThreadsTests`); OpenBLAS's own threads round some products differently
    /// (about 1e-6 on logits of magnitude 1).
    public static func setThreads(_ count: Int) {
        BLASThreads.set(count)
        attentionThreads = count
        expertThreads = count
        linearThreads = count
    }
}
