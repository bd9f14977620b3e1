import DiffusionCore
import Samplers
import Testing

/// `ar_greedy` and `ar_mtp` on a scripted autoregressive model (drafts right two times in three): MTP decoding
/// writes exactly greedy's tokens for every k, in fewer forward passes, and records its drafts.
@Suite struct ARSamplerTests {
    let registry = try! SamplerRegistry()

    func run(_ name: String, _ parameters: [String: ParameterValue] = [:], model: any Denoiser, prompt: [TokenID] = [5, 9, 14],
             length: Int = 24) throws -> Generation {
        var rng = SeededGenerator(seed: 1)
        return try registry.sampler(named: name, parameters: parameters)
            .run(prompt: prompt, length: length, steps: length, denoiser: model, rng: &rng)
    }

    @Test func greedyIsOneTokenPerPassAndMatchesFullRecompute() throws {
        let model = ScriptedAutoregressive()
        let greedy = try run("ar_greedy", model: model)
        #expect(greedy.forwardPasses == 24 && greedy.tokens.count == 24)
        // Each token is the argmax of the full-recompute logits of everything before it.
        let rows = try model.logits(prefix: [5, 9, 14], canvas: greedy.tokens, conditioning: nil)
        for (i, token) in greedy.tokens.enumerated() {
            let row = Array(rows.row(i))
            #expect(token == row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) })
        }
    }

    @Test(arguments: 1 ... 4) func mtpEqualsGreedyInFewerPasses(k: Int) throws {
        for prompt in [[5, 9, 14], [3], [7, 7, 7, 7, 20]] {
            let model = ScriptedAutoregressive()
            let greedy = try run("ar_greedy", model: model, prompt: prompt)
            let mtp = try run("ar_mtp", ["k": .int(k)], model: model, prompt: prompt)
            #expect(mtp.tokens == greedy.tokens)
            #expect(mtp.forwardPasses < greedy.forwardPasses)
            #expect(mtp.draftsProposed.count == k && mtp.draftsAccepted.count == k)
            #expect(mtp.draftsAccepted.reduce(0, +) > 0 && mtp.draftsAccepted.reduce(0, +) < mtp.draftsProposed.reduce(0, +))
            // prefill + one verification per round + single-token passes at the canvas end
            #expect(mtp.forwardPasses >= 1 + mtp.draftRounds)
            #expect(zip(mtp.draftsAccepted, mtp.draftsProposed).allSatisfy { $0 <= $1 })
            #expect(zip(mtp.draftsAccepted.dropFirst(), mtp.draftsAccepted).allSatisfy { $0 <= $1 })
        }
    }

    @Test func allDraftsRightOrWrong() throws {
        let right = try run("ar_mtp", ["k": .int(3)], model: ScriptedAutoregressive(wrongOneIn: .max))
        #expect(right.draftsAccepted == right.draftsProposed)
        #expect(right.meanAcceptedPlusOne == 4)  // 24 tokens: 1 pending after prefill, rounds commit 4 each
        let wrong = try run("ar_mtp", ["k": .int(3)], model: ScriptedAutoregressive(wrongOneIn: 1))
        #expect(wrong.draftsAccepted == [0, 0, 0] && wrong.meanAcceptedPlusOne == 1)
        #expect(try run("ar_greedy", model: ScriptedAutoregressive()).tokens == wrong.tokens)
    }

    @Test func wrongModelsAndParametersAreClearErrors() throws {
        #expect(throws: SamplerError.unsupportedModel("ar_greedy needs an autoregressive model; this one is masked")) {
            try run("ar_greedy", model: ScriptedDenoiser())
        }
        #expect(throws: SamplerError.invalidParameter("k must be in 1...4, got 5")) { try registry.sampler(named: "ar_mtp", parameters: ["k": .int(5)]) }
    }
}
