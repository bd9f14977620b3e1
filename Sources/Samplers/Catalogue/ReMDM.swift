// port of https://github.com/kuleshov-group/remdm/blob/main/diffusion.py (`_ddpm_caching_update`, samplers
// 'remdm-cap', 'remdm-rescale', 'remdm-conf', 'remdm-loop'; `_sample`), Wang et al. 2025, "Remasking Discrete Diffusion
// Models with Inference-Time Scaling", arXiv 2503.00307. Log-linear schedule α_t = 1 − t on t_i = 1 − i·(1 − ε)/S.
// From t to s a decoded position is re-masked with probability σ_t and a masked one unmasks with probability
// (α_s − (1 − σ_t)·α_t)/(1 − α_t), its token drawn from p_θ; σ_t = min(η, (1 − α_s)/α_t) (cap), η·σ_max (rescale),
// softmax over decoded positions of −p(token at its unmasking) × σ_max (conf), or, for loop, MDLM until t_on with α
// rescaled to reach α_on, ReMDM at constant α_on with σ = η until t_off, then MDLM to α = 1.
// Differences, deliberate:
// - a decoded position that is not re-masked keeps its token: the reference resamples it from p_θ, which under its
//   SUBS parameterisation is one-hot at the token (the paper's q(z_s | z_t = x) = (1 − σ)·δ_x + σ·δ_m); masked models
//   here are not SUBS-parameterised, so the carry-over is explicit (as in the renoise sampler on masked models);
// - the draw over V ∪ {mask} is factored in two (one uniform decides, then the token by Float64 Gumbel-max with
//   `temperature`), and the last step unmasks every mask and re-masks nothing, instead of the reference's final
//   noise-removal argmax pass; nucleus sampling (`nucleus_p`) is not ported;
// - remdm-conf keeps the confidences in Float64 (the reference's `confident_score` is bfloat16, which ties close ones);
// - mask/pad never proposed; a step that changes nothing reuses the logits (the reference's `p_x0_cache`).
// Draws, per step and position in ascending order: one uniform (re-mask or unmask?), then for an unmasking position the
// token's draws (V uniforms when temperature > 0).
import DiffusionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How ReMDM sets the re-masking probability σ_t.
public enum RemaskSchedule: Sendable, Equatable {
    case cap(eta: Double)
    case rescale(eta: Double)
    case confidence
    case loop(eta: Double, tOn: Double, tOff: Double, alphaOn: Double)
}

/// The ReMDM loop over the whole canvas (no blocks, as the reference).
public struct ReMDMLoop: Sendable {
    public let schedule: RemaskSchedule
    public let temperature: Double
    public let eps: Double
    public let sampler: String

    public init(schedule: RemaskSchedule, temperature: Double, eps: Double, sampler: String) {
        (self.schedule, self.temperature, self.eps, self.sampler) = (schedule, temperature, eps, sampler)
    }

    /// Per position, the probability that this step re-masks it (decoded) or unmasks it (masked).
    /// `confidence` holds −p(token) of decoded positions at their unmasking, −∞ for masked ones.
    public func probabilities(step: Int, steps: Int, masked: [Bool], confidence: [Double]) -> [Double] {
        let dt = (1 - eps) / Double(steps)
        let t = 1 - Double(step) * dt, s = t - dt
        func mdlm(_ alphaT: Double, _ alphaS: Double) -> [Double] {
            masked.map { $0 ? (alphaS - alphaT) / (1 - alphaT) : 0 }
        }
        func remdm(_ alphaT: Double, _ alphaS: Double, _ sigma: [Double]) -> [Double] {
            masked.indices.map { masked[$0] ? (alphaS - (1 - sigma[$0]) * alphaT) / (1 - alphaT) : sigma[$0] }
        }
        let (alphaT, alphaS) = (1 - t, 1 - s)
        let sigmaMax = alphaT > 0 ? min(1, (1 - alphaS) / alphaT) : 1
        switch schedule {
        case .cap(let eta):
            let sigma = alphaT > 0 ? min(eta, (1 - alphaS) / alphaT) : eta
            return remdm(alphaT, alphaS, masked.map { _ in sigma })
        case .rescale(let eta):
            return remdm(alphaT, alphaS, masked.map { _ in eta * sigmaMax })
        case .confidence:
            // softmax over the sequence of the stored −p; masked positions (−∞) get weight 0.
            let decoded = confidence.indices.filter { !masked[$0] }
            let top = decoded.map { confidence[$0] }.max() ?? 0
            var total = 0.0
            for i in decoded { total += exp(confidence[i] - top) }
            let sigma = masked.indices.map { masked[$0] ? 0 : exp(confidence[$0] - top) / total * sigmaMax }
            return remdm(alphaT, alphaS, sigma)
        case .loop(let eta, let tOn, let tOff, let alphaOn):
            if t > tOn {
                return mdlm((1 - t) * alphaOn / (1 - tOn), (1 - t + dt) * alphaOn / (1 - tOn))
            } else if t <= tOff {
                return mdlm(1 - t * (1 - alphaOn) / tOff, 1 - (t - dt) * (1 - alphaOn) / tOff)
            }
            return masked.map { $0 ? eta * alphaOn / (1 - alphaOn) : eta }
        }
    }

    public func run(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser, rng: inout SeededGenerator,
                    trace: (any TraceSink)?) throws -> Generation {
        guard let mask = denoiser.specialTokens.mask else {
            throw SamplerError.unsupportedModel("\(sampler) needs a masked model (this one has no mask token)")
        }
        try require(length > 0 && steps > 0, "canvas length and steps must be positive, got \(length) and \(steps)")
        let vocabulary = denoiser.vocabularySize
        let suppressed = denoiser.specialTokens.neverGenerated.filter { $0 >= 0 && $0 < vocabulary }
        let pick = GumbelPick(temperature: temperature)
        var tokens = [TokenID](repeating: mask, count: length)
        var masked = [Bool](repeating: true, count: length)
        var commitStep = [Int](repeating: -1, count: length)
        var confidence = [Double](repeating: -.infinity, count: length)
        var row = [Double](repeating: 0, count: vocabulary)
        var cached: (canvas: [TokenID], logits: Logits)?
        var passes = 0
        for step in 0 ..< steps {
            if cached?.canvas != tokens {
                let logits = try BlockCanvas.logits(of: denoiser, prefix: prompt, canvas: tokens, conditioning: nil)
                passes += 1
                cached = (tokens, logits)
            }
            let logits = cached!.logits
            let last = step == steps - 1
            let probability = probabilities(step: step, steps: steps, masked: masked, confidence: confidence)
            let wasMasked = masked
            var unmasked: [(position: Int, pick: RowPick)] = []
            for i in 0 ..< length {
                let u = rng.nextOpenUnitDouble()
                if !wasMasked[i] {
                    if !last, u < probability[i] {
                        (tokens[i], masked[i], commitStep[i], confidence[i]) = (mask, true, -1, -.infinity)
                    }
                } else if last || u < probability[i] {
                    logits.withRow(i) { r in for v in 0 ..< vocabulary { row[v] = Double(r[v]) } }
                    for id in suppressed { row[id] = -.infinity }
                    let proposal = row.withUnsafeMutableBufferPointer { pick.pick($0, rng: &rng) }
                    (tokens[i], masked[i], commitStep[i], confidence[i]) = (proposal.token, false, step, -proposal.probability)
                    unmasked.append((i, proposal))
                }
            }
            try trace?.record(StepTrace(step: step, positions: unmasked.map(\.position), tokens: unmasked.map(\.pick.token),
                                        scores: unmasked.map(\.pick.probability), canvas: tokens))
        }
        return Generation(tokens: tokens, forwardPasses: passes, steps: steps, commitStep: commitStep)
    }
}
