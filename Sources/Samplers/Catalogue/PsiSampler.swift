// port of https://github.com/s-sahoo/duo/blob/main/trainer_base.py (`_psi_update`, `_mode_to_psi_kappas`,
// `generate_samples` with `sampling.predictor=psi`; commit 7c9b498) and algo.py (`DUO_BASE._posterior_from_x0`),
// Deschenaux, Gulcehre, Sahoo 2026, "The Diffusion Duality, Chapter II: Ψ-Samplers and Efficient Curriculum",
// arXiv 2602.21185. A predictor-corrector sampler for uniform-state diffusion: a random canvas; for each of `steps`
// steps t → s on the log-linear schedule α(t) = 1 − (1 − 10⁻³)t, t from 1 to 10⁻⁵, every position x_t = j is redrawn
// from κ·q(x_s | x_t, p_θ) + (1 − κ)·(α_s·q(x_0 | x_t, p_θ) + (1 − α_s)/V): the uniform-state posterior (predictor)
// mixed with the posterior to t = 0 noised forward again to s (corrector). κ comes from `mode`: `posterior` (κ = 1,
// ancestral sampling), `pc` (κ = 0), `constant` (κ = η), and ReMDM's schedules as re-noising strengths σ with
// κ = clip(1 − σ/(1 − α_s), 0, 1): `max_capped` σ = min(η, (1 − α_s)/α_t), `max_rescale` σ = η·min(1, (1 − α_s)/α_t),
// `constant_remdm` σ = η. A last pass draws from the posterior to t = 0 (`noise_removal: ancestral`).
// Difference, deliberate (a reference bug, see `PsiSamplerDifferenceTests`): the reference's `max-rescale-η` caps σ at
// η before rescaling, σ = η·min(η, (1 − α_s)/α_t), which is η² wherever the cap binds; ReMDM's rescale, which the mode
// names, is σ = η·min(1, (1 − α_s)/α_t).
// Also: Float64 throughout (the reference: Float32 time grid, Float64 posterior); the categorical draw is an inverse-CDF
// draw with one uniform (the reference: an exponential race); no nucleus filtering (`p_nucleus` 1, the config
// default); the whole schedule in one mode (the authors' scripts set high_frac = middle_frac = 0). The model gets no
// time input (a DiffusionGemma-format model has none); on a model that takes self-conditioning each pass gets the
// previous pass's p_θ, as DiffusionGemma's own sampler does.
// Draws: the initial canvas (`nextInt(below: V)` per position), then per pass one uniform per position in order.
import DiffusionCore

/// How κ, the weight of the predictor against the corrector, follows the schedule.
public enum PsiMode: String, Codable, Sendable, CaseIterable {
    case posterior, pc, constant
    case maxCapped = "max_capped", maxRescale = "max_rescale", constantRemdm = "constant_remdm"
}

/// The Ψ-sampler's parameters (the authors' OpenWebText scripts: ReMDM cap with η = 0.01).
public struct PsiSamplerParameters: SamplerConfig, Equatable {
    public static let defaultMode = PsiMode.maxCapped
    public static let defaultEta = 0.01
    /// The log-linear schedule's ε (`LogLinear(eps)`) and the last time of the grid (`generate_samples(eps)`).
    public static let scheduleEps = 1e-3, timeEps = 1e-5

    public var mode: PsiMode?
    public var eta: Double?

    public init() {}

    public static let parameters = [
        SamplerParameter("mode", defaultMode.rawValue, "kappa schedule: " + PsiMode.allCases.map(\.rawValue).joined(separator: ", ")),
        SamplerParameter("eta", "\(defaultEta)", "eta of the mode (kappa for constant, the re-noising strength otherwise)"),
    ]

    public func validate() throws {
        if let eta { try requireParameter(eta >= 0 && eta <= 1, "eta", eta, "must be in [0, 1]") }
    }
}

/// Predictor-corrector sampling for uniform-state models; uses the step budget (one pass per step, plus one).
public struct PsiSampler: Sampler {
    public static let name = "psi_sampler"
    public static let about = SamplerAbout(
        summary: "Psi-sampler: uniform-state posterior mixed with a forward-noised x0 posterior (predictor-corrector), kappa from the mode",
        source: "Deschenaux et al. 2026, arXiv 2602.21185; s-sahoo/duo trainer_base.py: _psi_update, _mode_to_psi_kappas",
        revisesTokens: true, modelKinds: [.uniform])
    public let config: PsiSamplerParameters
    public init(_ config: PsiSamplerParameters) throws { try config.validate(); self.config = config }

    public func runBudget(steps: Int, length: Int) -> (forwardPasses: Int, steps: Int) {
        (2 * max(steps, length) + 1, max(steps, length) + 1)
    }

    static func alpha(_ t: Double) -> Double { 1 - (1 - PsiSamplerParameters.scheduleEps) * t }

    /// κ of the step from α_t to α_s (`_mode_to_psi_kappas`, with ReMDM's rescale).
    public static func kappa(_ mode: PsiMode, eta: Double, alphaT: Double, alphaS: Double) -> Double {
        let sigma: Double
        switch mode {
        case .posterior: return 1
        case .pc: return 0
        case .constant: return eta
        case .maxCapped: sigma = alphaT == 0 ? eta : min(eta, (1 - alphaS) / alphaT)
        case .maxRescale: sigma = eta * (alphaT > 0 ? min(1, (1 - alphaS) / alphaT) : 1)
        case .constantRemdm: sigma = eta
        }
        return min(max(1 - sigma / (1 - alphaS), 0), 1)
    }

    public func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser,
                         rng: inout SeededGenerator, trace: (any TraceSink)?) throws -> Generation {
        typealias D = PsiSamplerParameters
        guard denoiser.kind == .uniform else {
            throw SamplerError.unsupportedModel("\(Self.name) needs a uniform-state model (its posterior is the uniform-noise one)")
        }
        try require(length > 0 && steps > 0, "canvas length and steps must be positive, got \(length) and \(steps)")
        let (mode, eta) = (config.mode ?? D.defaultMode, config.eta ?? D.defaultEta)
        let vocabulary = denoiser.vocabularySize
        let v = Double(vocabulary)
        var canvas = (0 ..< length).map { _ in rng.nextInt(below: vocabulary) }
        var commitStep = [Int](repeating: 0, count: length)
        var conditioning: Conditioning?
        var p = [Double](repeating: 0, count: vocabulary), q = [Double](repeating: 0, count: vocabulary)
        var probabilities = [Float](repeating: 0, count: length * vocabulary)
        let times = (0 ... steps).map { 1 - Double($0) * (1 - D.timeEps) / Double(steps) }
        for step in 0 ... steps {  // the last pass is the noise removal: the posterior to t = 0
            let alphaT = Self.alpha(times[step])
            let alphaS = step < steps ? Self.alpha(times[step + 1]) : 1
            let kappa = step < steps ? Self.kappa(mode, eta: eta, alphaT: alphaT, alphaS: alphaS) : 1
            let logits = try BlockCanvas.logits(of: denoiser, prefix: prompt, canvas: canvas, conditioning: conditioning)
            var next = canvas
            for i in 0 ..< length {
                logits.withRow(i) { r in for u in 0 ..< vocabulary { p[u] = Double(r[u]) } }
                let summary = SoftmaxSummary(p)
                for u in 0 ..< vocabulary { p[u] = summary.probability(of: p[u]); probabilities[i * vocabulary + u] = Float(p[u]) }
                let j = canvas[i]
                let denominator = alphaT * v * p[j] + (1 - alphaT)
                let (ratio, ratioZero) = (alphaT / alphaS, alphaT / 1)  // α_t/α_s for q(x_s|x_t), α_t/1 for q(x_0|x_t)
                for u in 0 ..< vocabulary {
                    let same = u == j ? 1.0 : 0.0
                    let predictor = (alphaT * v * p[u] * same + (ratio - alphaT) * same + (alphaS - alphaT) * p[u]
                                     + (1 - ratio) * (1 - alphaS) / v) / denominator
                    let toZero = (alphaT * v * p[u] * same + (ratioZero - alphaT) * same + (1 - alphaT) * p[u]
                                  + (1 - ratioZero) * (1 - 1) / v) / denominator
                    q[u] = kappa * predictor + (1 - kappa) * (alphaS * toZero + (1 - alphaS) / v)
                }
                let draw = rng.nextOpenUnitDouble()
                var (cumulative, token) = (0.0, 0)
                for u in 0 ..< vocabulary {
                    if cumulative <= draw, q[u] > 0 { token = u }
                    cumulative += q[u]
                }
                next[i] = token
            }
            for i in 0 ..< length where next[i] != canvas[i] { commitStep[i] = step }
            canvas = next
            conditioning = Conditioning(previousProbabilities: Logits(rows: length, vocabularySize: vocabulary, values: probabilities))
            try trace?.record(StepTrace(step: step, positions: Array(0 ..< length), tokens: canvas,
                                        scores: [Double](repeating: kappa, count: length), canvas: canvas))
        }
        return Generation(tokens: canvas, forwardPasses: steps + 1, steps: steps + 1, commitStep: commitStep)
    }
}
