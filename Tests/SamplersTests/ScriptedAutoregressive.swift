import DiffusionCore

/// A deterministic autoregressive model for sampler tests: the logits after a sequence are SplitMix64 hashes of the
/// whole sequence (so every token changes every later row), and MTP module k's draft is what the main model would
/// say after the sequence so far, except when a hash of that sequence says "wrong" (then a different token), so
/// drafts are accepted and rejected at every depth.
final class ScriptedAutoregressive: Denoiser, AutoregressiveModel {
    let vocabularySize = 24
    let specialTokens = SpecialTokens(mask: nil, endOfSequence: [2], pad: 0)
    let kind = DiffusionKind.autoregressive
    let draftDepth = 4
    /// A draft is wrong when its sequence hashes to 0 modulo this.
    let wrongOneIn: UInt64
    private(set) var cached: [TokenID] = []

    init(wrongOneIn: UInt64 = 3) {
        self.wrongOneIn = wrongOneIn
    }

    var autoregressive: (any AutoregressiveModel)? { self }
    var cachedCount: Int { cached.count }

    static func hash(_ tokens: [TokenID]) -> UInt64 {
        tokens.reduce(0) { ScriptedDenoiser.mix($0 ^ UInt64($1)) }
    }

    /// The main model's logits after `sequence`, [V]; ids 0 and 2 (pad, EOS) stay low so canvases fill.
    func row(after sequence: [TokenID]) -> [Float] {
        let h = Self.hash(sequence)
        return (0 ..< vocabularySize).map { v in
            v == 0 || v == 2 ? -10 : Float(Int64(ScriptedDenoiser.mix(h ^ UInt64(v) &* 7919) >> 44)) / Float(1 << 17)
        }
    }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        let all = prefix + canvas
        let values = (0 ..< canvas.count).flatMap { row(after: Array(all[..<(prefix.count + $0)])) }
        return Logits(rows: canvas.count, vocabularySize: vocabularySize, values: values)
    }

    func prefill(_ tokens: [TokenID]) throws -> Logits {
        cached = []
        return try decode(tokens)
    }

    func decode(_ tokens: [TokenID]) throws -> Logits {
        let start = cached.count
        cached += tokens
        let values = (0 ..< tokens.count).flatMap { row(after: Array(cached[..<(start + $0 + 1)])) }
        return Logits(rows: tokens.count, vocabularySize: vocabularySize, values: values)
    }

    func truncate(to length: Int) throws {
        cached.removeLast(cached.count - length)
    }

    func draft(next: TokenID, count: Int, choose: (Logits) throws -> TokenID) throws -> (tokens: [TokenID], logits: [Logits]) {
        var sequence = cached + [next]
        var drafts: [TokenID] = []
        var logits: [Logits] = []
        for _ in 0 ..< count {
            var values = row(after: sequence)
            if Self.hash(sequence + [99]) % wrongOneIn == 0, let best = values.indices.max(by: { values[$0] < values[$1] }) {
                values[best] = -20  // the draft misses the main model's choice
            }
            let draftLogits = Logits(rows: 1, vocabularySize: vocabularySize, values: values)
            let token = try choose(draftLogits)
            drafts.append(token)
            logits.append(draftLogits)
            sequence.append(token)
        }
        return (drafts, logits)
    }
}
