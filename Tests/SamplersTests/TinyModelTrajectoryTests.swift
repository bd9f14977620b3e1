import DiffusionCore
import Foundation
import Samplers
import Testing

/// The reference ports run on the shipped tiny model (Experiments/models/tiny-llada-moe) by
/// `sampler_trajectories.py --tiny-model`, with every forward pass recorded: the sequence it saw and its logits.
/// Replaying the tape needs no engine; a sampler that asks for a different sequence than the reference did fails.
struct TinyModelFixture: Decodable {
    struct Call: Decodable {
        let tokens: [TokenID]
        let logits: String  // base64 Float32, little-endian, [canvas, V]
        var shadow: String? = nil  // the shadow block's rows [block, V] of a WINO pass (ShadowBlockModel)
    }

    struct Case: Decodable {
        let task: String
        let sampler: String
        let params: [String: ParameterValue]
        let prompt: [TokenID]
        let length: Int
        let steps: Int
        let seed: UInt64
        let trajectory: [[TokenID]]
        let tokens: [TokenID]
        let tape: [Call]
    }

    let vocabulary: Int
    let mask: TokenID
    let eos: TokenID
    let pad: TokenID
    let cases: [Case]

    static let shared: TinyModelFixture? = Bundle.module.url(forResource: "Fixtures/tiny_model_trajectories", withExtension: "json")
        .map { try! JSONDecoder().decode(TinyModelFixture.self, from: Data(contentsOf: $0)) }
}

/// Replays a recorded tape of forward passes.
final class TapeDenoiser: Denoiser {
    struct Mismatch: Error, CustomStringConvertible {
        let description: String
    }

    let vocabularySize: Int
    let specialTokens: SpecialTokens
    let kind = DiffusionKind.masked
    let tape: [TinyModelFixture.Call]
    private var next = 0

    init(_ fixture: TinyModelFixture, tape: [TinyModelFixture.Call]) {
        vocabularySize = fixture.vocabulary
        specialTokens = SpecialTokens(mask: fixture.mask, endOfSequence: [fixture.eos], pad: fixture.pad)
        self.tape = tape
    }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        guard next < tape.count else { throw Mismatch(description: "forward pass \(next + 1): the reference ran only \(tape.count)") }
        let call = tape[next]
        guard call.tokens == prefix + canvas else {
            throw Mismatch(description: "forward pass \(next + 1) saw \(prefix + canvas); the reference saw \(call.tokens)")
        }
        next += 1
        let bytes = Data(base64Encoded: call.logits)!
        let values = bytes.withUnsafeBytes { raw in
            (0 ..< bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        return Logits(rows: canvas.count, vocabularySize: vocabularySize, values: values)
    }
}

@Suite struct TinyModelTrajectoryTests {
    static let cases = (TinyModelFixture.shared?.cases.indices).map(Array.init) ?? []

    @Test(arguments: cases)
    func reproducesReferenceOnTinyModel(_ index: Int) throws {
        let fixture = TinyModelFixture.shared!
        let reference = fixture.cases[index]
        let sampler = try SamplerRegistry().sampler(named: reference.sampler, parameters: reference.params)
        var rng = SeededGenerator(seed: reference.seed)
        let recorder = TraceRecorder()
        let generation = try sampler.run(prompt: reference.prompt, length: reference.length, steps: reference.steps,
                                         denoiser: TapeDenoiser(fixture, tape: reference.tape), rng: &rng, trace: recorder)
        let label = "\(reference.task) \(reference.sampler) \(reference.params)"
        #expect(recorder.trajectory == reference.trajectory, "\(label)")
        #expect(generation.tokens == reference.tokens, "\(label)")
        #expect(generation.forwardPasses == reference.tape.count, "\(label)")
    }
}
