import DiffusionCore

/// How every built-in task assigns problems to splits and seeds its examples.
///
/// The split of a problem is a function of its canonical prompt alone, so train and eval are disjoint by
/// construction: no seed, count or index can put the same prompt on both sides. Generators rejection-sample
/// until a candidate lands in the requested split.
public enum SplitAssignment {
    /// One problem in `evalModulus` goes to eval, the rest to train.
    public static let evalModulus: UInt64 = 8

    /// FNV-1a 64 over the UTF-8 bytes: tiny, stable across platforms and Swift versions (unlike `Hasher`).
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The split `prompt` belongs to.
    ///
    /// FNV-1a's low bits depend only on the low bits of each byte (the prime is odd), so `hash % 8` of a digit
    /// string would only see each digit mod 8 and carve a structured eval set. A murmur3 finaliser spreads every
    /// input bit over the low bits first.
    public static func split(of prompt: String) -> Split {
        var h = fnv1a64(prompt)
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h % evalModulus == 0 ? .eval : .train
    }

    /// The generator of example `index` of (`task`, `split`, `seed`): one independent stream per example, so an
    /// example does not depend on how many were asked for, and the two splits and the tasks do not share streams.
    public static func generator(task: String, split: Split, seed: UInt64, index: Int) -> SeededGenerator {
        precondition(index >= 0, "example index must be non-negative")
        let splitSalt: UInt64 = split == .eval ? 0x5EED_E7A1_0000_0001 : 0
        return SeededGenerator(seed: seed ^ fnv1a64(task) ^ splitSalt, stream: UInt64(index))
    }
}

extension EvaluationTask {
    /// The registry key, reachable from an existential (`any EvaluationTask`).
    public var name: String { Self.name }

    /// `count` consecutive examples starting at `start`, as an array (for small counts: `dlab tasks` walks indices
    /// one at a time instead); indices are clamped to `0 ..< ExampleIndex.limit`.
    public func examples(split: Split, seed: UInt64, count: Int, start: Int = 0) -> [TaskExample] {
        ExampleIndex.range(start: start, count: count).map { example(split: split, index: $0, seed: seed) }
    }

    /// Draws candidates from example `index`'s own stream until one lands in `split` (about 8 draws for eval).
    func drawExample(
        split: Split, index: Int, seed: UInt64,
        draw: (inout SeededGenerator) -> (prompt: String, answer: String)
    ) -> TaskExample {
        var rng = SplitAssignment.generator(task: Self.name, split: split, seed: seed, index: index)
        while true {
            let candidate = draw(&rng)
            if SplitAssignment.split(of: candidate.prompt) == split {
                return TaskExample(
                    task: Self.name, version: version, split: split, index: index,
                    prompt: candidate.prompt, answer: candidate.answer)
            }
        }
    }
}

/// Byte-level helpers for fixed layouts. Parsing never traps: anything unexpected gives nil.
enum Layout {
    static let zero = UInt8(ascii: "0")

    /// `value` (≥ 0) in decimal, left-padded with zeros to `width` characters.
    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The value of one ASCII digit.
    static func digit(_ byte: UInt8) -> Int? {
        (zero ... zero + 9).contains(byte) ? Int(byte - zero) : nil
    }

    /// A run of 1–9 ASCII digits as a number (short enough that it cannot overflow).
    static func number<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard let d = digit(byte) else { return nil }
            value = value * 10 + d
        }
        return value
    }

    /// The bytes of `text` if it has exactly `length` of them and starts with `head` and ends with `tail`.
    static func bytes(_ text: String, length: Int, head: String = "", tail: String = "") -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count == length, bytes.starts(with: head.utf8), bytes.reversed().starts(with: tail.utf8.reversed())
        else { return nil }
        return bytes
    }
}
