/// The scalar loops that dominate a forward pass besides sgemm: exp (attention softmax, router softmax, SiLU),
/// row maxima and sums of squares (RMSNorm), on the widest vectors this CPU has (`VectorKernels.active`).
/// Their naive twins are libm's `expf` and plain loops (tests in `VectorKernelTests`).
public enum VectorMath {
    /// x[i] ← exp(x[i] − shift) for i in 0..<count; returns the sum of the results.
    @inline(__always)
    public static func expInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        VectorKernels.active.expShiftSum(x, count, shift)
    }

    /// max x[i] (-inf for an empty or fully -inf row; NaN entries compare below everything).
    @inline(__always)
    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        VectorKernels.active.maximum(x, count)
    }

    /// x[i] ← x[i]·factor.
    @inline(__always)
    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        VectorKernels.active.scale(x, count, factor)
    }

    /// Σ x[i]².
    @inline(__always)
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
        VectorKernels.active.sumOfSquares(x, count)
    }

    /// SiLU-gated product in place: g[i] ← g[i]·σ(g[i])·u[i] (the SwiGLU activation).
    @inline(__always)
    public static func siluGate(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count: Int) {
        VectorKernels.active.siluGate(g, u, count)
    }

    /// GELU-tanh-gated product in place: g[i] ← gelu_tanh(g[i])·u[i] (the GeGLU activation).
    @inline(__always)
    public static func geluTanhGate(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count: Int) {
        VectorKernels.active.geluTanhGate(g, u, count)
    }
}
