import DiffusionCore

/// `decomp` ("write n as a+b"): `D850=` → any `aaa+bbb` with a + b = n, e.g. `014+836`.
///
/// n is in 0…999 and both parts are zero-padded to 3 digits. A prompt has n + 1 valid answers, so the answer is
/// strongly multimodal: one parallel step mixes digits of different solutions, and the unmasking order matters
/// more than the step count (tiny-model-spike §5). The reference answer picks a uniformly in 0…n.
/// Only 1000 distinct prompts exist (about 125 in eval); training repeats them, which is fine for this task.
public struct DecompositionTask: EvaluationTask {
    public static let name = "decomp"
    public let version = 1
    public let summary = "write n as a+b, 3-digit parts: D850= -> 014+836 (any a+b=n)"
    public let promptLength = 5
    public let answerLength = 7

    public init() {}

    public func example(split: Split, index: Int, seed: UInt64) -> TaskExample {
        drawExample(split: split, index: index, seed: seed) { rng in
            let n = rng.nextInt(below: 1000)
            let a = rng.nextInt(below: n + 1)
            let answer = Layout.padded(a, width: 3) + "+" + Layout.padded(n - a, width: 3)
            return ("D" + Layout.padded(n, width: 3) + "=", answer)
        }
    }

    public func score(prompt: String, output: String) -> Double {
        guard let p = Layout.bytes(prompt, length: 5, head: "D", tail: "="), let n = Layout.number(p[1 ..< 4]),
            let o = Layout.bytes(output, length: 7), o[3] == UInt8(ascii: "+"),
            let a = Layout.number(o[0 ..< 3]), let b = Layout.number(o[4 ..< 7])
        else { return 0 }
        return a + b == n ? 1 : 0
    }
}
