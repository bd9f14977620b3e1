import DiffusionCore

/// The deterministic scripted model of the sampler fixtures, identical to `ScriptedModel` in
/// Experiments/models/tools/sampler_trajectories.py: logits are SplitMix64 hashes of the whole token sequence
/// (prefix + canvas) and the absolute position, exact in Float32 (21-bit integers / 2^17), so every committed token
/// changes every row and a port that commits in a different order diverges at once.
final class ScriptedDenoiser: Denoiser {
    let vocabularySize: Int
    let specialTokens: SpecialTokens
    let kind: DiffusionKind
    private(set) var calls: [(prefix: [TokenID], canvas: [TokenID])] = []

    init(vocabularySize: Int = 24, kind: DiffusionKind = .masked) {
        self.vocabularySize = vocabularySize
        self.kind = kind
        specialTokens = SpecialTokens(mask: kind == .masked ? 1 : nil, endOfSequence: [2], pad: 0)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        calls.append((prefix, canvas))
        var hash: UInt64 = 0
        for token in prefix + canvas { hash = Self.mix(hash ^ UInt64(token)) }
        var values = [Float](repeating: 0, count: canvas.count * vocabularySize)
        for i in 0 ..< canvas.count {
            let a = UInt64(prefix.count + i)
            for v in 0 ..< vocabularySize {
                let k = Int64(Self.mix(hash ^ (a &* 1_000_003 &+ UInt64(v) &* 7919 &+ 17)) >> 43) - (1 << 20)
                values[i * vocabularySize + v] = Float(k) / Float(1 << 17)
            }
            let peak = Int(Self.mix(hash ^ (a &* 31 &+ 5)) % UInt64(vocabularySize))
            values[i * vocabularySize + peak] += Float(Self.mix(a &* 131 &+ hash) % 8)
        }
        return Logits(rows: canvas.count, vocabularySize: vocabularySize, values: values)
    }
}
