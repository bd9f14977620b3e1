/// RMSNorm over the last axis: y = x / sqrt(mean(x²) + eps) · weight (computed in F32 like the reference).
/// Used for the layer norms ([T, d]) and, per head, for q/k norms ([T·H, head_dim]).
public enum RMSNorm {
    public static func apply(
        _ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>, eps: Float,
        into y: UnsafeMutablePointer<Float>
    ) {
        for r in 0 ..< rows {
            let row = x + r * width
            let out = y + r * width
            let sumOfSquares = VectorMath.sumOfSquares(row, count: width)
            let scale = 1 / (sumOfSquares / Float(width) + eps).squareRoot()
            for i in 0 ..< width { out[i] = weight[i] * (row[i] * scale) }
        }
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
