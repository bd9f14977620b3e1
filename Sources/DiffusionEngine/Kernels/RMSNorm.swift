/// RMSNorm over the last axis: y = x / sqrt(mean(x²) + eps) · weight (computed in F32 like the reference).
/// Used for the layer norms ([T, d]) and, per head, for q/k norms ([T·H, head_dim]).
public enum RMSNorm {
    public static func apply(
        _ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>, eps: Float,
        into y: UnsafeMutablePointer<Float>
    ) {
        // Vector code of this CPU's level (`VectorKernels`); in place (y == x) is safe: each row is read before written.
        VectorKernels.active.rmsNorm(x, rows, width, weight, eps, y)
    }

    /// Naive twin: arrays and Double accumulation.
    public static func applyNaive(_ x: [Float], rows: Int, width: Int, weight: [Float], eps: Float) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        for r in 0 ..< rows {
            let slice = x[r * width ..< (r + 1) * width]
            let meanSquare = slice.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(width)
            let scale = 1 / (meanSquare + Double(eps)).squareRoot()
            for i in 0 ..< width { y[r * width + i] = Float(Double(weight[i]) * Double(x[r * width + i]) * scale) }
        }
        return y
    }
}
