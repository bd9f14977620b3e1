import DiffusionCore
import Foundation
import Samplers
import Testing

/// The same logits at every pass: position i prefers token 3 + i with logit `peaks[i]` (all others 0).
final class ConstantDenoiser: Denoiser {
    let vocabularySize = 24
    let specialTokens = SpecialTokens(mask: 1, endOfSequence: [2], pad: 0)
    let kind = DiffusionKind.masked
    let peaks: [Float]
    init(peaks: [Float]) { self.peaks = peaks }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        var values = [Float](repeating: 0, count: canvas.count * vocabularySize)
        for i in canvas.indices { values[i * vocabularySize + 3 + i] = peaks[i] }
        return Logits(rows: canvas.count, vocabularySize: vocabularySize, values: values)
    }
}

/// Where the second catalogue implements the paper rather than a bug of the reference code, the difference is shown here.
@Suite struct SecondCatalogueDifferenceTests {
    func run(_ name: String, _ parameters: [String: ParameterValue], model: any Denoiser, length: Int, steps: Int,
             seed: UInt64 = 0) throws -> (Generation, TraceRecorder) {
        var rng = SeededGenerator(seed: seed)
        let recorder = TraceRecorder()
        let generation = try SamplerRegistry().sampler(named: name, parameters: parameters)
            .run(prompt: [5, 9], length: length, steps: steps, denoiser: model, rng: &rng, trace: recorder)
        return (generation, recorder)
    }

    /// KLASS (`stable_confident_decode`): once a step finds a ready set it commits only that set, even if it is smaller
    /// than the scheduled count, so a block can run out of steps with masks left, which no later block fills. Here 9
    /// masks in 3 steps (schedule 3, 3, 3) on a model whose distributions never change: steps 0 and 1 commit the 3 most
    /// probable each (the first KL, against the zero-initialised previous distribution, is still in the history of 2);
    /// at step 2 every KL is 0 and exactly one of the 3 left is confident, so the reference commits 1 and returns 2
    /// masks. The paper completes the block; this port commits every mask left at the block's last step.
    @Test func klassCompletesTheBlockWhereTheReferenceLeavesMasks() throws {
        let peaks: [Float] = [9, 9, 9, 9, 9, 9, 8, 1, 1]  // p ≈ 0.997 (×6), 0.993, 0.115, 0.115
        let parameters: [String: ParameterValue] = ["conf_threshold": .double(0.9), "kl_threshold": .double(0.01)]
        let (generation, trace) = try run("klass", parameters, model: ConstantDenoiser(peaks: peaks), length: 9, steps: 3)
        #expect(trace.steps.map(\.positions.count) == [3, 3, 3])
        #expect(!generation.tokens.contains(1))

        // The reference's step 2, transcribed: ready = masked ∧ KL-stable ∧ p > τ; a non-empty ready set is all it commits.
        let left = [6, 7, 8]
        let probability = { (i: Int) in Double(exp(peaks[i]) / (exp(peaks[i]) + 21)) }  // 22 proposable tokens, one peak
        let ready = left.filter { probability($0) > 0.9 }
        #expect(ready == [6])
        #expect(left.count - ready.count == 2, "the reference leaves 2 masks in the block")
    }

    /// KLASS with temperature > 0: the reference overwrites `logits` with the Gumbel-perturbed exp(ℓ)/(−ln u)^τ and
    /// reads confidence (and KL) from the softmax of those values; the paper's confidence is the model's probability of
    /// the token, which is what this port records.
    @Test func klassConfidenceIsTheModelsProbabilityUnderTemperature() throws {
        let peaks: [Float] = [3, 2, 1, 0.5]
        let (_, trace) = try run("klass", ["temperature": .double(1)], model: ConstantDenoiser(peaks: peaks), length: 4,
                                 steps: 4, seed: 5)
        for step in trace.steps {
            for (position, (token, score)) in zip(step.positions, zip(step.tokens, step.scores)) {
                let logit = token == 3 + position ? Double(peaks[position]) : 0
                let expected = exp(logit) / (exp(Double(peaks[position])) + 21)
                #expect(abs(score - expected) < 1e-12, "position \(position) token \(token)")
            }
        }
        // The reference's "probability" of the same token: softmax over exp(ℓ_v)/g_v, e.g. with all g_v = 1 the
        // softmax of exp(ℓ): for a peak of 3 that is e^{e^3} / (e^{e^3} + 21e) ≈ 1.0, not e^3 / (e^3 + 21) ≈ 0.49.
        let referenceLike = exp(exp(3.0)) / (exp(exp(3.0)) + 21 * exp(1.0))
        #expect(referenceLike > 0.999 && exp(3.0) / (exp(3.0) + 21) < 0.5)
    }

    /// LLaDA 2's blocks are aligned to absolute positions: with a 5-token prompt and blocks of 4, the canvas's first
    /// block is its first 3 positions (the prompt fills the rest of absolute block 1), and the last one is cut at the end.
    @Test func llada2BlocksAreAlignedToAbsolutePositions() {
        #expect(BlockRefinementLoop.blocks(promptLength: 5, length: 12, blockLength: 4) == [0 ..< 3, 3 ..< 7, 7 ..< 11, 11 ..< 12])
        #expect(BlockRefinementLoop.blocks(promptLength: 8, length: 8, blockLength: 4) == [0 ..< 4, 4 ..< 8])
        #expect(BlockRefinementLoop.blocks(promptLength: 3, length: 5, blockLength: 32) == [0 ..< 5])
    }

    /// LLaDA 2.1 edits a filled token when the model's proposal there differs with p > edit_threshold; with
    /// edit_threshold 1 nothing can be edited and it is LLaDA 2.0's rule with threshold 0.7 (one editing pass per block
    /// finds nothing to change).
    @Test func llada21WithoutPassableEditsIsThresholdDecoding() throws {
        let model = ScriptedDenoiser()
        let (editing, _) = try run("llada21_editing", ["edit_threshold": .double(1), "block_length": .int(4)], model: model,
                                   length: 12, steps: 12)
        let (threshold, _) = try run("llada2_threshold", ["threshold": .double(0.7), "block_length": .int(4)], model: model,
                                     length: 12, steps: 12)
        #expect(editing.tokens == threshold.tokens)
        #expect(editing.forwardPasses == threshold.forwardPasses + 4)  // 4 blocks (prompt 2: 2 + 4 + 4 + 2)
    }

    /// PC-Sampler's background table is a file; a missing or malformed one is an error naming it, before any pass.
    @Test func pcSamplerBackgroundErrorsNameTheFile() throws {
        for path in ["/nonexistent/P_baseline.json", #filePath] {
            do {
                _ = try SamplerRegistry().sampler(named: "pc_sampler", parameters: ["background": .string(path)])
                Issue.record("\(path) was accepted")
            } catch let error as SamplerError {
                #expect("\(error)".contains(path))
            }
        }
    }

    /// Prophet is LLaDA low-confidence decoding until its exit fires: with thresholds no gap reaches, the same tokens in
    /// the same passes; with a reachable one, fewer passes and every mask filled at the exit.
    @Test func prophetIsLLaDAUntilItExits() throws {
        let model = ScriptedDenoiser()
        let never: [String: ParameterValue] = ["early": .double(1e9), "mid": .double(1e9), "late": .double(1e9), "block_length": .int(4)]
        let (prophet, _) = try run("prophet", never, model: model, length: 12, steps: 6)
        let (llada, _) = try run("llada_low_confidence", ["block_length": .int(4)], model: model, length: 12, steps: 6)
        #expect(prophet.tokens == llada.tokens && prophet.forwardPasses == llada.forwardPasses)
        let (early, trace) = try run("prophet", ["early": .double(0), "block_length": .int(4)], model: model, length: 12, steps: 6)
        #expect(early.forwardPasses == 1 && trace.steps.count == 1 && !early.tokens.contains(1))
    }

    /// WINO's verification needs the shadow-block pass; a model without it is a clear error before any pass.
    @Test func winoNeedsTheShadowBlockPass() throws {
        do {
            _ = try run("wino", [:], model: ConstantDenoiser(peaks: [3, 3, 3, 3]), length: 4, steps: 4)
            Issue.record("wino ran without a shadow-block pass")
        } catch SamplerError.unsupportedModel(let message) {
            #expect(message.contains("shadow-block"))
        }
    }

    /// ReMDM-LLaDA (`llada_remdm_sample`) starts its loop at pass int(B/8·7), B the block length, which is 7/8 of the
    /// block's s steps only when s = B. With blocks of 8 and s = 4 steps (2 tokens a step) it runs 7 commit passes
    /// before the loop: 14 commits for 8 masks, so its top-k lands on positions that are not masks, stores −∞ confidence
    /// there, and the loop re-masks those first (prompt tokens, earlier blocks). This port starts the loop at pass
    /// ⌊7s/8⌋ = 3 and re-masks only the current block's tokens.
    @Test func remdmLLaDALoopStartsAtSevenEighthsOfTheBlocksSteps() throws {
        let (block, blockSteps, perStep) = (8, 4, 2)
        let referenceLoopStart = Int(Double(block) / 8 * 7)
        #expect(min(referenceLoopStart, 2 * blockSteps) * perStep > block, "the reference asks for more commits than masks")

        let (generation, trace) = try run("remdm_llada", ["block_length": .int(block), "temperature": .double(0)],
                                          model: ScriptedDenoiser(), length: 16, steps: 8)
        #expect(trace.steps.count == 2 * 2 * blockSteps && !generation.tokens.contains(1))
        let firstBlock = Array(trace.steps[2 * blockSteps - 1].canvas[0 ..< block])
        #expect(!firstBlock.contains(1))
        for step in trace.steps[(2 * blockSteps)...] {
            #expect(Array(step.canvas[0 ..< block]) == firstBlock, "step \(step.step) touched the finished block")
        }
        // the loop phase re-masks: some pass of each block re-commits a position it had committed before
        let positions = trace.steps.prefix(2 * blockSteps).flatMap(\.positions)
        #expect(Set(positions).count < positions.count)
    }
}
