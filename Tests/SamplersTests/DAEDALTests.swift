import DiffusionCore
import Samplers
import Testing

/// Position 0 prefers token 3 (logit 9); every other row is flat, so EOS (id 2, the first proposable token) is its
/// argmax with probability 1/22, below both EOS thresholds and below DAEDAL's low threshold. Any canvas length.
final class FirstPeakDenoiser: Denoiser {
    let vocabularySize = 24
    let specialTokens = SpecialTokens(mask: 1, endOfSequence: [2], pad: 0)
    let kind = DiffusionKind.masked

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        var values = [Float](repeating: 0, count: canvas.count * vocabularySize)
        values[3] = 9
        return Logits(rows: canvas.count, vocabularySize: vocabularySize, values: values)
    }
}

/// DAEDAL: the canvas length is the sampler's, and the port differs from the reference where an insertion meets the maximum.
@Suite struct DAEDALTests {
    func run(_ parameters: [String: ParameterValue], length: Int) throws -> (Generation, TraceRecorder) {
        var rng = SeededGenerator(seed: 0)
        let recorder = TraceRecorder()
        let generation = try SamplerRegistry().sampler(named: "daedal", parameters: parameters)
            .run(prompt: [5, 9], length: length, steps: length, denoiser: FirstPeakDenoiser(), rng: &rng, trace: recorder)
        return (generation, recorder)
    }

    /// Stage 1 is off (eos_threshold 0): 4 masks and an EOS tail of 2. Pass 1 commits position 0 and turns position 1
    /// into 8 masks (13 positions). Pass 2 has room for 1 more position of the maximum 14: the reference writes all 8
    /// masks for its least probable mask (position 2, after the fallback commit of position 1) and cuts the canvas at
    /// 14, which drops 6 positions including the EOS tail; here the insertion is one mask, and the tail stays.
    @Test func anInsertionAtTheMaximumKeepsTheCanvasEnd() throws {
        let parameters: [String: ParameterValue] = ["initial_length": .int(4), "eos_check_tokens": .int(4), "eos_threshold": .double(0)]
        let (generation, trace) = try run(parameters, length: 14)
        let counts = trace.steps.map(\.canvas.count)
        #expect(counts.prefix(2) == [13, 14], "\(counts)")
        #expect(trace.steps[0].canvas.suffix(2) == [2, 2] && trace.steps[1].canvas.suffix(2) == [2, 2], "the EOS tail stays")
        #expect(generation.tokens.count == 14 && !generation.tokens.contains(1))
        // The reference's second rebuild, transcribed: 2 positions copied, 8 masks written, then only 14 − 10 = 4 of the
        // 10 positions after the expanded one fit.
        let (copied, written, after) = (2, 8, 13 - 3)
        #expect(copied + written + after > 14, "the reference drops \(copied + written + after - 14) positions")
    }

    /// A variable-length run may return fewer tokens than the canvas allows; the guards hold it to at most `length`.
    @Test func theCanvasMayEndShorterThanTheMaximum() throws {
        let parameters: [String: ParameterValue] = ["initial_length": .int(3), "eos_threshold": .double(0), "expand_eos_threshold": .double(0),
                                                    "eos_check_tokens": .int(2)]
        let (generation, trace) = try run(parameters, length: 10)
        #expect(generation.tokens.count == 4 && generation.commitStep.count == 4, "3 masks and an EOS tail of 1")
        #expect(trace.steps.allSatisfy { $0.canvas.count == 4 })
    }

    @Test func declaresItsCapability() throws {
        #expect(try SamplerRegistry().entry(named: "daedal").about.changesLength)
        #expect(try !SamplerRegistry().entry(named: "llada_low_confidence").about.changesLength)
    }
}

/// A variable-length plug-in that grows one position past the maximum, to the model or in its result.
struct Overgrower: Sampler {
    struct Config: SamplerConfig {
        var toModel: Bool?
        init() {}
        static let parameters = [SamplerParameter("to_model", "false", "overgrow the canvas given to the model")]
    }
    static let name = "overgrower"
    static let about = SamplerAbout(summary: "test plug-in", source: "tests", changesLength: true)
    let toModel: Bool
    init(_ config: Config) throws { toModel = config.toModel ?? false }

    func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser, rng: inout SeededGenerator,
                  trace: (any TraceSink)?) throws -> Generation {
        let canvas = [TokenID](repeating: 5, count: length + 1)
        if toModel { _ = try denoiser.logits(prefix: prompt, canvas: canvas, conditioning: nil) }
        return Generation(tokens: canvas, forwardPasses: 0, steps: 0, commitStep: [Int](repeating: 0, count: length + 1))
    }
}

@Suite struct VariableLengthGuardTests {
    @Test(arguments: [false, true])
    func aCanvasPastTheMaximumIsAnError(toModel: Bool) throws {
        var config = Overgrower.Config()
        config.toModel = toModel
        var rng = SeededGenerator(seed: 0)
        #expect(throws: SamplerError.self) {
            try Overgrower(config).run(prompt: [5], length: 4, steps: 4, denoiser: FirstPeakDenoiser(), rng: &rng)
        }
    }
}
