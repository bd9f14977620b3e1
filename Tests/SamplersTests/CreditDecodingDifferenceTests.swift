import DiffusionCore
import Foundation
import Samplers
import Testing

/// A model whose most probable token is the mask everywhere: logit 9 for the mask (id 1), 5 for token 3 + i.
final class MaskPreferringDenoiser: Denoiser {
    let vocabularySize = 24
    let specialTokens = SpecialTokens(mask: 1, endOfSequence: [2], pad: 0)
    let kind = DiffusionKind.masked

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        var values = [Float](repeating: 0, count: canvas.count * vocabularySize)
        for i in canvas.indices { (values[i * vocabularySize + 1], values[i * vocabularySize + 3 + i]) = (9, 5) }
        return Logits(rows: canvas.count, vocabularySize: vocabularySize, values: values)
    }
}

/// CreditDecoding (`CreditThresholdParallelDecoder`): where the port departs from the reference code.
@Suite struct CreditDecodingDifferenceTests {
    /// The reference computes the credit from softmax over the whole vocabulary, mask included, and excludes proposals
    /// equal to the mask only afterwards (`rm_mask`). Where the mask is the top-1 it gains the credit, its fused logit
    /// only grows, the proposal stays the mask, no position is ever committed and dInfer's `while (block == mask_id)`
    /// loop does not end. Here the mask never gets a logit, so the credit goes to the best real token and the block
    /// completes in one pass.
    @Test func creditNeverAccruesToTheMaskToken() throws {
        var rng = SeededGenerator(seed: 0)
        let recorder = TraceRecorder()
        let generation = try SamplerRegistry().sampler(named: "credit_decoding")
            .run(prompt: [5, 9], length: 4, steps: 4, denoiser: MaskPreferringDenoiser(), rng: &rng, trace: recorder)
        #expect(generation.tokens == [3, 4, 5, 6] && generation.forwardPasses == 1)
        // The reference's first pass, transcribed: the top-1 over the full row is the mask, so its credit and its fused
        // logit grow, and the threshold rule sees only −∞ confidences (every proposal is the mask).
        let row: [Double] = (0 ..< 24).map { $0 == 1 ? 9 : $0 == 3 ? 5 : 0 }
        let top1 = row.indices.max { row[$0] < row[$1] }!
        #expect(top1 == 1, "the reference credits the mask token")
    }

    /// With credit_alpha 0 the fused logits are the logits: dInfer's plain `ThresholdParallelDecoder`, which commits at
    /// least the most confident proposal and everything at or above the threshold.
    @Test func withoutCreditItIsThresholdDecoding() throws {
        var rng = SeededGenerator(seed: 0)
        let recorder = TraceRecorder()
        _ = try SamplerRegistry().sampler(named: "credit_decoding", parameters: ["credit_alpha": .double(0), "threshold": .double(0.5)])
            .run(prompt: [5, 9], length: 4, steps: 4, denoiser: ConstantDenoiser(peaks: [9, 1, 4, 0.5]), rng: &rng, trace: recorder)
        // p = e^peak / (e^peak + 21): 0.997, 0.115, 0.722, 0.073 (22 proposable tokens, one peak)
        #expect(recorder.steps.first?.positions == [0, 2])
    }
}
