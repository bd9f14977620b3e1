import DiffusionCore
import ExperimentSamplers
import Samplers
import Testing

/// A model that prefers token `favourite` everywhere with a huge logit (a mask, an EOS, …), else the scripted logits.
final class FavouriteDenoiser: Denoiser {
    let base: ScriptedDenoiser
    let favourites: [TokenID]
    let specialTokens: SpecialTokens
    init(favourites: [TokenID], endOfSequence: [TokenID] = [2]) {
        base = ScriptedDenoiser()
        self.favourites = favourites
        specialTokens = SpecialTokens(mask: 1, endOfSequence: endOfSequence, pad: 0)
    }
    var vocabularySize: Int { base.vocabularySize }
    var kind: DiffusionKind { .masked }
    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        var logits = try base.logits(prefix: prefix, canvas: canvas, conditioning: conditioning)
        for row in 0 ..< canvas.count {
            for (rank, token) in favourites.enumerated() { logits.values[row * vocabularySize + token] = 100 - Float(rank) }
        }
        return logits
    }
}

@Suite struct CatalogueTests {
    let registry = try! SamplerRegistry(SamplerRegistry.builtIn + ExperimentSamplers.entries)

    func generate(_ name: String, _ parameters: [String: ParameterValue] = [:], length: Int = 8, steps: Int = 8,
                  model: any Denoiser = ScriptedDenoiser()) throws -> Generation {
        var rng = SeededGenerator(seed: 3)
        return try registry.sampler(named: name, parameters: parameters)
            .run(prompt: [5, 9, 14], length: length, steps: steps, denoiser: model, rng: &rng)
    }

    @Test func uniformScheduleIsLLaDAs() {
        #expect(UniformCount.schedule(masked: 10, steps: 4) == [3, 3, 2, 2])
        #expect(UniformCount.schedule(masked: 8, steps: 8) == Array(repeating: 1, count: 8))
    }

    /// The defaults `dlab samplers show` prints are the defaults the code uses, and every listed key decodes.
    @Test(arguments: SamplerRegistry.builtIn.map(\.name) + ExperimentSamplers.entries.map(\.name))
    func listedDefaultsAreTheDefaults(_ name: String) throws {
        let entry = try registry.entry(named: name)
        var values: [String: ParameterValue] = [:]
        for parameter in entry.parameters where parameter.defaultValue != "none" {
            values[parameter.key] = ParameterValue(parsing: parameter.defaultValue)
        }
        let model: any Denoiser = entry.about.modelKinds == [.autoregressive] ? ScriptedAutoregressive()
            : entry.name == EntropyBoundRenoise.name || !entry.about.modelKinds.contains(.masked) ? ScriptedDenoiser(kind: .uniform) : ScriptedDenoiser()
        #expect(try generate(name, values, model: model) == generate(name, model: model))
    }

    @Test func badNamesKeysAndValuesAreClearErrors() {
        #expect(throws: SamplerError.unknownSampler(name: "fast", known: registry.names)) { try registry.entry(named: "fast") }
        // Parameter errors carry the sampler, the key and the value as data.
        #expect(throws: ParameterError(sampler: "fast_dllm_threshold", key: "treshold", value: "0.9", problem: "is not a parameter of this sampler (known: temperature, threshold, block_length, cfg_scale, shift_logits, suppress_eos, stop_at_eos, cache)")) {
            try registry.sampler(named: "fast_dllm_threshold", parameters: ["treshold": .double(0.9)])
        }
        #expect(throws: ParameterError(sampler: "fast_dllm_threshold", key: "threshold", value: "high", problem: "must be a number")) {
            try registry.sampler(named: "fast_dllm_threshold", parameters: ["threshold": .string("high")])
        }
        #expect(throws: ParameterError(sampler: "fast_dllm_threshold", key: "threshold", value: "1.5", problem: "must be in [0, 1]")) {
            try registry.sampler(named: "fast_dllm_threshold", parameters: ["threshold": .double(1.5)])
        }
        let schedule = #expect(throws: ParameterError.self) {
            try registry.sampler(named: "mdlm_ancestral", parameters: ["schedule": .string("cosin")])
        }
        #expect(schedule?.key == "schedule" && schedule?.value == "cosin" && schedule?.problem.hasPrefix("has an invalid value") == true)
        // A number that does not fit an integer parameter: Foundation's error may not name the key; the registry does.
        #expect(throws: ParameterError(sampler: "llada_low_confidence", key: "block_length", value: "2.5", problem: "must be an integer")) {
            try registry.sampler(named: "llada_low_confidence", parameters: ["block_length": .double(2.5), "temperature": .double(0)])
        }
        #expect(throws: ParameterError(sampler: "llada_low_confidence", key: "block_length", value: "-2", problem: "must be positive")) {
            try registry.sampler(named: "llada_low_confidence", parameters: ["block_length": .int(-2)])
        }
        #expect(throws: SamplerError.invalidParameter("two samplers are registered as 'autoregressive'")) {
            try SamplerRegistry(SamplerRegistry.builtIn + [SamplerEntry(Autoregressive.self)])
        }
    }

    @Test func blocksThatDoNotDivideAreClearErrors() {
        #expect(throws: SamplerError.invalidParameter("canvas length 8 is not a multiple of block_length 3")) {
            try generate("llada_low_confidence", ["block_length": .int(3)])
        }
        #expect(throws: SamplerError.invalidParameter("steps 5 do not divide into the 2 blocks of length 4")) {
            try generate("llada_low_confidence", ["block_length": .int(4)], steps: 5)
        }
    }

    @Test func maskedSamplersRefuseUniformModels() {
        #expect(throws: SamplerError.unsupportedModel("dream_entropy needs a masked model (this one has no mask token)")) {
            try generate("dream_entropy", model: ScriptedDenoiser(kind: .uniform))
        }
    }

    @Test func maskAndPadAreNeverProposed() throws {
        for name in registry.names where try registry.entry(named: name).about.modelKinds.contains(.masked) {
            let tokens = try generate(name, model: FavouriteDenoiser(favourites: [1, 0])).tokens
            #expect(!tokens.contains(1) && !tokens.contains(0), "\(name): \(tokens)")
        }
    }

    /// LLaDA's `confidence_eos_eot_inf` writes `logits_with_noise[..., EOS] = logits[..., EoT] = -inf`, so each
    /// tensor loses one of the two ids; `suppress_eos` here removes every EOS/EoT id the model names from both.
    @Test func suppressEOSRemovesEveryEndToken() throws {
        let model = FavouriteDenoiser(favourites: [2, 3], endOfSequence: [2, 3])
        let plain = try generate("llada_low_confidence", model: model).tokens
        #expect(plain.allSatisfy { $0 == 2 })
        let suppressed = try generate("llada_low_confidence", ["suppress_eos": .bool(true)], model: model).tokens
        #expect(!suppressed.contains(2) && !suppressed.contains(3), "\(suppressed)")
    }

    @Test func stopAtEOSFillsTheRestAndSavesPasses() throws {
        let model = FavouriteDenoiser(favourites: [2])
        let generation = try generate("autoregressive", ["stop_at_eos": .bool(true)], model: model)
        #expect(generation.tokens == Array(repeating: 2, count: 8))
        #expect(generation.forwardPasses == 1)
    }

    /// Fast-dLLM's `get_transfer_index_dynamic` commits the last candidate too when only it fails its bound
    /// (`if top_i == 0 or top_i == len(threshs) - 1: top_i += 1`); the paper's rule commits the passing prefix.
    @Test func factorRuleIsThePapersNotTheReferencesOffByOne() {
        func candidates(_ scores: [Double]) -> [Candidate] {
            scores.enumerated().map { Candidate(position: $0.offset, token: 3, score: $0.element,
                                                pick: RowPick(token: 3, probability: $0.element, top1: $0.element, top2: 0, entropy: 0)) }
        }
        func reference(_ scores: [Double], factor: Double) -> Int {  // the published loop, transcribed
            let sorted = scores.sorted(by: >)
            var thresholds = (1 ... sorted.count).map { 1 - factor / Double($0 + 1) }
            thresholds[0] = -1
            var top = 0
            for i in 0 ..< thresholds.count { top = i; if sorted[i] < thresholds[i] { break } }
            return top == 0 || top == thresholds.count - 1 ? top + 1 : top
        }
        var rng = SeededGenerator(seed: 0)
        let step = BlockStep(step: 0, steps: 2, maskedAtStart: 2, masked: 2)
        #expect(FactorRule(factor: 1).select(candidates([0.99, 0.2]), at: step, rng: &rng).count == 1)
        #expect(reference([0.99, 0.2], factor: 1) == 2)
        #expect(FactorRule(factor: 1).select(candidates([0.99, 0.9, 0.2]), at: step, rng: &rng).count == 2)
    }

    @Test func renoiseRunsOnMaskedModelsByRemasking() throws {
        let generation = try generate(EntropyBoundRenoise.name, steps: 24)
        #expect(!generation.tokens.contains(1) && generation.tokens.count == 8)
        #expect(generation.forwardPasses <= 24)
    }

    @Test func workedExamplePlugInRuns() throws {
        let recorder = TraceRecorder()
        var rng = SeededGenerator(seed: 0)
        let generation = try registry.sampler(named: "decaying_threshold", parameters: ["start": .double(0.99)])
            .run(prompt: [5, 9], length: 12, steps: 12, denoiser: ScriptedDenoiser(), rng: &rng, trace: recorder)
        #expect(!generation.tokens.contains(1))
        #expect(generation.forwardPasses < 12)  // the threshold decays, so later steps commit several tokens
        #expect(recorder.steps.map(\.positions.count).reduce(0, +) == 12)
    }
}
