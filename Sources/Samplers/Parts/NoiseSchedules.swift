#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many masks a step reveals, from a noise schedule α(t) (the fraction of clean tokens at time t) on the time
/// grid t_i = linspace(1, ε, S+1): from t = t_i to s = t_{i+1} a masked position unmasks with probability
/// (α_s − α_t)/(1 − α_t). Evaluated once per step, never per position.
public protocol NoiseSchedule: Sendable {
    func unmaskProbability(step: Int, steps: Int) -> Double
    /// ⌊masked · unmaskProbability⌋ (callers commit everything on the last step).
    func transferCount(masked: Int, step: Int, steps: Int) -> Int
}

/// Dream's timestep schedule, bit for bit: `torch.linspace(1, eps, steps + 1)` in Float32 and
/// `int(num_mask_token * (1 - s / t))` in Float32 (HKUNLP/Dream `generation_utils.py`, `_sample`).
public struct DreamTimesteps: NoiseSchedule {
    public let eps: Float

    public init(eps: Double) { self.eps = Float(eps) }

    /// torch's CPU linspace: a Float32 step, from the start for the first half and from the end for the second,
    /// each value rounded once (torch's kernel is compiled with fused multiply-adds; checked against torch 2.13).
    public static func linspace(_ start: Float, _ end: Float, _ count: Int) -> [Float] {
        guard count > 1 else { return [start] }
        let step = Double((end - start) / Float(count - 1))
        let halfway = count / 2
        return (0 ..< count).map { i in
            Float(i < halfway ? Double(start) + step * Double(i) : Double(end) - step * Double(count - i - 1))
        }
    }

    func fraction(step: Int, steps: Int) -> Float {
        let grid = Self.linspace(1, eps, steps + 1)
        return 1 - grid[step + 1] / grid[step]
    }

    public func unmaskProbability(step: Int, steps: Int) -> Double { Double(fraction(step: step, steps: steps)) }

    public func transferCount(masked: Int, step: Int, steps: Int) -> Int {
        Int(Float(masked) * fraction(step: step, steps: steps))
    }
}

/// A schedule α(t) evaluated in Float64 on t_i = 1 − i·(1 − ε)/S (MDLM's grid, `_sample` in
/// kuleshov-group/mdlm `diffusion.py`).
public struct AlphaSchedule: NoiseSchedule {
    /// `linear` α = 1 − t (LLaDA, Dream); `loglinear` MDLM's default, α = 1 − (1 − ε)t, whose reveal
    /// probabilities (t − s)/t equal linear's on the same grid; `cosine` α = 1 − cos(π/2 · (1 − t)).
    public enum Shape: String, Sendable, CaseIterable { case linear, loglinear, cosine }

    public let shape: Shape
    public let eps: Double

    public init(_ shape: Shape, eps: Double) {
        self.shape = shape
        self.eps = eps
    }

    public func alpha(_ t: Double) -> Double {
        switch shape {
        case .linear: 1 - t
        case .loglinear: 1 - (1 - eps) * t
        case .cosine: 1 - cos(Double.pi / 2 * (1 - t))
        }
    }

    public func unmaskProbability(step: Int, steps: Int) -> Double {
        let dt = (1 - eps) / Double(steps)
        let t = 1 - Double(step) * dt, s = t - dt
        return (alpha(s) - alpha(t)) / (1 - alpha(t))
    }

    public func transferCount(masked: Int, step: Int, steps: Int) -> Int {
        Int(Double(masked) * unmaskProbability(step: step, steps: steps))
    }
}
