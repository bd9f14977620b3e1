import DiffusionCore
import Samplers
import Testing

/// Plug-ins that break the contract of `Sampler`; `run` must turn each into a clear error, never a hang or a trap.
struct Misbehaving: Sampler {
    enum Fault: String, Codable, Sendable { case stall, outOfRange, recommit, wrongLength, tooManySteps, wrongCanvasToModel }
    struct Config: SamplerConfig {
        var fault: Fault?
        init() {}
        init(_ fault: Fault) { self.fault = fault }
        static let parameters = [SamplerParameter("fault", "none", "what to break")]
        func validate() throws {}
    }
    static let name = "misbehaving"
    static let about = SamplerAbout(summary: "test plug-in", source: "tests")
    let fault: Fault
    init(_ config: Config) throws { fault = config.fault ?? .stall }

    func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser, rng: inout SeededGenerator,
                  trace: (any TraceSink)?) throws -> Generation {
        var canvas = Canvas(length: length, mask: denoiser.specialTokens.mask!)
        switch fault {
        case .stall:
            while true { _ = try denoiser.logits(prefix: prompt, canvas: canvas.tokens, conditioning: nil) }
        case .outOfRange:
            try canvas.commit(length, 5, step: 0, sampler: Self.name)
        case .recommit:
            try canvas.commit(0, 5, step: 0, sampler: Self.name)
            try canvas.commit(0, 6, step: 1, sampler: Self.name)
        case .wrongLength:
            return Generation(tokens: [5], forwardPasses: 0, steps: 0, commitStep: [0])
        case .tooManySteps:
            for step in 0 ..< 10 * length {
                try trace?.record(StepTrace(step: step, positions: [], tokens: [], scores: [], canvas: canvas.tokens))
            }
        case .wrongCanvasToModel:
            _ = try denoiser.logits(prefix: prompt, canvas: canvas.tokens + [1], conditioning: nil)
        }
        return Generation(tokens: canvas.tokens, forwardPasses: 0, steps: 0, commitStep: canvas.commitStep)
    }
}

/// Calls the model with a fresh canvas each time, forever: only the pass budget stops it.
struct Spinner: Sampler {
    static let name = "spinner"
    static let about = SamplerAbout(summary: "test plug-in", source: "tests")
    init(_ config: NoParameters) throws {}
    func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser, rng: inout SeededGenerator,
                  trace: (any TraceSink)?) throws -> Generation {
        var canvas = [TokenID](repeating: 1, count: length)
        while true {
            canvas[rng.nextInt(below: length)] = 3 + rng.nextInt(below: 20)
            _ = try denoiser.logits(prefix: prompt, canvas: canvas, conditioning: nil)
        }
    }
}

@Suite struct MisbehaviourTests {
    func failure(_ fault: Misbehaving.Fault, length: Int = 4) -> String {
        var rng = SeededGenerator(seed: 0)
        do {
            _ = try Misbehaving(.init(fault)).run(prompt: [5, 6], length: length, steps: length, denoiser: ScriptedDenoiser(), rng: &rng,
                                                  trace: TraceRecorder())
            return "no error"
        } catch let error as SamplerError {
            return error.description
        } catch {
            return "other error \(error)"
        }
    }

    @Test func commitsNothingForTooManySteps() {
        #expect(failure(.stall, length: 20) == "sampler 'misbehaving' misbehaved: committed nothing for 16 forward passes in a row")
    }

    @Test func outOfRangePosition() {
        #expect(failure(.outOfRange) == "sampler 'misbehaving' misbehaved: committed position 4, outside the canvas 0..<4")
    }

    @Test func alreadyCommittedPosition() {
        #expect(failure(.recommit).hasPrefix("sampler 'misbehaving' misbehaved: committed position 0 again at step 1"))
    }

    @Test func wrongCanvasLength() {
        #expect(failure(.wrongLength) == "sampler 'misbehaving' misbehaved: returned 1 tokens for a canvas of 4")
        #expect(failure(.wrongCanvasToModel) == "sampler 'misbehaving' misbehaved: gave the model 2 + 5 tokens; prompt + canvas is 6")
    }

    @Test func stepBudgetExceeded() {
        #expect(failure(.tooManySteps) == "sampler 'misbehaving' misbehaved: exceeded its budget of 4 steps")
        var rng = SeededGenerator(seed: 0)
        #expect(throws: SamplerError.misbehaved(sampler: "spinner", "exceeded its budget of 8 forward passes")) {
            try Spinner(NoParameters()).run(prompt: [5], length: 4, steps: 4, denoiser: ScriptedDenoiser(), rng: &rng)
        }
    }

    @Test func traceGuardRejectsBadPositions() throws {
        struct Liar: Sampler {
            static let name = "liar"
            static let about = SamplerAbout(summary: "", source: "")
            init(_ config: NoParameters) throws {}
            func generate(prompt: [TokenID], length: Int, steps: Int, denoiser: any Denoiser, rng: inout SeededGenerator,
                          trace: (any TraceSink)?) throws -> Generation {
                try trace?.record(StepTrace(step: 0, positions: [7], tokens: [3], scores: [1], canvas: [1, 1, 1]))
                return Generation(tokens: [1, 1, 1], forwardPasses: 0, steps: 1, commitStep: [0, 0, 0])
            }
        }
        var rng = SeededGenerator(seed: 0)
        #expect(throws: SamplerError.misbehaved(sampler: "liar", "committed position 7, outside the canvas 0..<3")) {
            try Liar(NoParameters()).run(prompt: [], length: 3, steps: 3, denoiser: ScriptedDenoiser(), rng: &rng)
        }
    }
}
