// Shared pieces of the samplers of autoregressive models (`ar_greedy`, `ar_mtp`): the greedy pick and the canvas
// that grows left to right.
import DiffusionCore
import Foundation

enum ARDecoding {
    /// The model's left-to-right interface, or `SamplerError.unsupportedModel` naming the sampler.
    static func model(_ denoiser: any Denoiser, sampler: String) throws -> any AutoregressiveModel {
        guard denoiser.kind == .autoregressive, let model = denoiser.autoregressive else {
            throw SamplerError.unsupportedModel("\(sampler) needs an autoregressive model; this one is \(denoiser.kind.rawValue)")
        }
        return model
    }

    /// Argmax of `row` of `logits` (lowest id on ties), never a token of `specialTokens.neverGenerated`, with its
    /// probability (the trace's score).
    static func greedy(_ logits: Logits, row: Int, specialTokens: SpecialTokens) -> (token: TokenID, probability: Double) {
        let banned = Set(specialTokens.neverGenerated)
        return logits.withRow(row) { values in
            var best = -1
            for (id, value) in values.enumerated() where !banned.contains(id) && (best < 0 || value > values[best]) { best = id }
            guard best >= 0 else { return (0, 0) }
            let top = Double(values[best])
            var total = 0.0
            for (id, value) in values.enumerated() where !banned.contains(id) { total += exp(Double(value) - top) }
            return (best, 1 / total)
        }
    }

    /// The canvas of a left-to-right sampler: committed tokens, then pad (or 0) where nothing is written yet.
    struct Canvas {
        let length: Int
        let filler: TokenID
        let endOfSequence: Set<TokenID>
        private(set) var tokens: [TokenID] = []
        private(set) var commitStep: [Int] = []
        private var step = 0

        init(length: Int, specialTokens: SpecialTokens) {
            self.length = length
            filler = specialTokens.pad ?? 0
            endOfSequence = Set(specialTokens.endOfSequence)
        }

        var remaining: Int { length - tokens.count }
        /// True once the canvas is full or ends with an end-of-sequence token.
        var finished: Bool { remaining == 0 || tokens.last.map(endOfSequence.contains) == true }

        /// Appends `new` (up to the first end-of-sequence token and the canvas end) as one traced step.
        mutating func commit(_ new: [TokenID], scores: [Double], trace: (any TraceSink)?) throws {
            var taken: [TokenID] = []
            for token in new where taken.count < remaining && !(taken.last.map(endOfSequence.contains) ?? false) { taken.append(token) }
            guard !taken.isEmpty else { return }
            let positions = Array(tokens.count ..< tokens.count + taken.count)
            tokens += taken
            commitStep += Array(repeating: step, count: taken.count)
            try trace?.record(StepTrace(step: step, positions: positions, tokens: taken, scores: Array(scores.prefix(taken.count)),
                                        canvas: tokens + Array(repeating: filler, count: remaining)))
            step += 1
        }

        /// The finished canvas: after an end-of-sequence token, the rest is that token (written without a pass).
        func generation(forwardPasses: Int) -> Generation {
            let tail = Array(repeating: tokens.last.flatMap { endOfSequence.contains($0) ? $0 : nil } ?? filler, count: remaining)
            return Generation(tokens: tokens + tail, forwardPasses: forwardPasses, steps: step,
                              commitStep: commitStep + Array(repeating: -1, count: remaining))
        }
    }
}
