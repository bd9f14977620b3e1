import CVectorKernels
import Foundation

/// The element-wise kernels of one x86 instruction-set level (C target `CVectorKernels`: one source compiled for
/// SSE2, AVX2 + FMA and AVX-512F), the best level this CPU runs chosen once from CPUID (`CPUFeatures`).
/// `VectorMath`, `RMSNorm`, `RotaryEmbedding` and `GatedMLP` call `VectorKernels.active`; the tests run every level
/// the machine supports against the naive twins.
public struct VectorKernels: @unchecked Sendable {
    public enum Level: Int, CaseIterable, Sendable, CustomStringConvertible {
        case baseline = 0, avx2 = 1, avx512 = 2

        public var description: String {
            switch self {
            case .baseline: return "baseline (SSE2 on x86-64)"
            case .avx2: return "AVX2+FMA"
            case .avx512: return "AVX-512F"
            }
        }

        /// Whether `cpu` can run this level's instructions (with the registers saved by the operating system).
        public func runs(on cpu: CPUFeatures) -> Bool {
            switch self {
            case .baseline: return true
            case .avx2: return cpu.isX86 && cpu.extensions.isSuperset(of: [.avx, .avx2, .fma])
            case .avx512: return cpu.isX86 && cpu.extensions.isSuperset(of: [.avx, .avx2, .fma, .avx512f])
            }
        }

        /// The widest level `cpu` runs.
        public static func best(for cpu: CPUFeatures) -> Level {
            allCases.last { $0.runs(on: cpu) } ?? .baseline
        }
    }

    public let level: Level
    let expShiftSum: @convention(c) (UnsafeMutablePointer<Float>?, Int, Float) -> Float
    let expAll: @convention(c) (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
    let maximum: @convention(c) (UnsafePointer<Float>?, Int) -> Float
    let scale: @convention(c) (UnsafeMutablePointer<Float>?, Int, Float) -> Void
    let sumOfSquares: @convention(c) (UnsafePointer<Float>?, Int) -> Float
    let rmsNorm: @convention(c) (UnsafePointer<Float>?, Int, Int, UnsafePointer<Float>?, Float, UnsafeMutablePointer<Float>?) -> Void
    let siluGate: @convention(c) (UnsafeMutablePointer<Float>?, UnsafePointer<Float>?, Int) -> Void
    let geluTanhGate: @convention(c) (UnsafeMutablePointer<Float>?, UnsafePointer<Float>?, Int) -> Void
    let rotateHalf: @convention(c) (UnsafeMutablePointer<Float>?, UnsafePointer<Float>?, UnsafePointer<Float>?, Int) -> Void

    /// The kernels of `level`; nil when it is not compiled for this architecture. Running them on a CPU without
    /// the level's extensions traps (illegal instruction): check `level.runs(on:)` first.
    public init?(level: Level) {
        guard let table = dlab_vector_kernels_for_level(Int32(level.rawValue))?.pointee,
              let expShiftSum = table.exp_shift_sum, let expAll = table.exp, let maximum = table.maximum,
              let scale = table.scale, let sumOfSquares = table.sum_of_squares, let rmsNorm = table.rms_norm,
              let siluGate = table.silu_gate, let geluTanhGate = table.gelu_tanh_gate, let rotateHalf = table.rotate_half
        else { return nil }
        self.level = level
        (self.expShiftSum, self.expAll, self.maximum, self.scale, self.sumOfSquares) = (expShiftSum, expAll, maximum, scale, sumOfSquares)
        (self.rmsNorm, self.siluGate, self.geluTanhGate, self.rotateHalf) = (rmsNorm, siluGate, geluTanhGate, rotateHalf)
    }

    /// The widest level this CPU runs (the baseline is compiled on every architecture), or a narrower one named by
    /// `DLAB_VECTOR_LEVEL` (baseline, avx2, avx512) to measure what the level brings; a name that is unknown or
    /// not runnable here is ignored with a warning.
    public static let active: VectorKernels = {
        let cpu = CPUFeatures.current
        var level = Level.best(for: cpu)
        if let name = ProcessInfo.processInfo.environment["DLAB_VECTOR_LEVEL"] {
            let named = ["baseline": Level.baseline, "avx2": .avx2, "avx512": .avx512][name]
            if let named, named.runs(on: cpu) {
                level = named
            } else {
                FileHandle.standardError.write(Data("dlab: DLAB_VECTOR_LEVEL=\(name) is not one of baseline, avx2, avx512 runnable on this CPU; using \(level)\n".utf8))
            }
        }
        return VectorKernels(level: level) ?? baseline
    }()

    static let baseline: VectorKernels = {
        guard let kernels = VectorKernels(level: .baseline) else { fatalError("CVectorKernels: no baseline level compiled") }
        return kernels
    }()
}
