import DiffusionCore

/// `countdown`: reach a target from three digits in two steps, `C3,5,7>22=` → e.g. `3*5=15,15+7=22`.
///
/// The answer layout is fixed at 14 characters, `d?d=NN,NN?d=NN`: the first equation combines two of the given
/// numbers, the second combines its result with the remaining number. Operators are `+ - *`; results are
/// zero-padded to two digits and must stay in 0…99 (no negatives). Several answers are usually valid
/// (commutativity, other pairs), which gives the task the multimodality that makes step counts matter.
///
/// The given numbers are sorted in the prompt, so one multiset and target is one canonical problem (one split).
/// Generation draws three digits 1–9, an ordered pair of them and two operators, and takes the result as the
/// target; a candidate with an out-of-range intermediate or result is redrawn.
public struct CountdownTask: EvaluationTask {
    public static let name = "countdown"
    public let version = 1
    public let summary = "reach a target from 3 digits with + - *: C3,5,7>22= -> 3*5=15,15+7=22 (any valid)"
    public let promptLength = 10
    public let answerLength = 14

    static let operators: [UInt8] = Array("+-*".utf8)

    public init() {}

    public func example(split: Split, index: Int, seed: UInt64) -> TaskExample {
        drawExample(split: split, index: index, seed: seed) { rng in
            while true {
                let numbers = (0 ..< 3).map { _ in 1 + rng.nextInt(below: 9) }.sorted()
                let first = rng.nextInt(below: 3)
                let second = (first + 1 + rng.nextInt(below: 2)) % 3
                let rest = 3 - first - second
                let op1 = Self.operators[rng.nextInt(below: 3)]
                let op2 = Self.operators[rng.nextInt(below: 3)]
                let (a, b, c) = (numbers[first], numbers[second], numbers[rest])
                guard let r1 = Self.apply(op1, a, b), let r2 = Self.apply(op2, r1, c) else { continue }
                let prompt = "C\(numbers[0]),\(numbers[1]),\(numbers[2])>" + Layout.padded(r2, width: 2) + "="
                let answer =
                    Self.equation("\(a)", op1, b, r1) + "," + Self.equation(Layout.padded(r1, width: 2), op2, c, r2)
                return (prompt, answer)
            }
        }
    }

    public func score(prompt: String, output: String) -> Double {
        guard let (given, target) = Self.problem(of: prompt),
            let o = Layout.bytes(output, length: 14), o[3] == UInt8(ascii: "="), o[6] == UInt8(ascii: ","),
            o[11] == UInt8(ascii: "="),
            let a = Layout.digit(o[0]), let b = Layout.digit(o[2]), let r1 = Layout.number(o[4 ..< 6]),
            let left = Layout.number(o[7 ..< 9]), let c = Layout.digit(o[10]), let r2 = Layout.number(o[12 ..< 14]),
            Self.apply(o[1], a, b) == r1, left == r1, Self.apply(o[9], r1, c) == r2, r2 == target,
            [a, b, c].sorted() == given
        else { return 0 }
        return 1
    }

    /// `x op y` if `op` is one of `+ - *` and the result is in 0…99; nil otherwise.
    static func apply(_ op: UInt8, _ x: Int, _ y: Int) -> Int? {
        let result: Int
        switch op {
        case UInt8(ascii: "+"): result = x + y
        case UInt8(ascii: "-"): result = x - y
        case UInt8(ascii: "*"): result = x * y
        default: return nil
        }
        return (0 ... 99).contains(result) ? result : nil
    }

    /// `left op digit=NN`; the left operand comes already formatted (one digit first, two digits second).
    static func equation(_ left: String, _ op: UInt8, _ digit: Int, _ result: Int) -> String {
        left + String(decoding: [op], as: UTF8.self) + "\(digit)=" + Layout.padded(result, width: 2)
    }

    /// The sorted given numbers and the target of a well-formed prompt.
    static func problem(of prompt: String) -> (given: [Int], target: Int)? {
        guard let p = Layout.bytes(prompt, length: 10, head: "C", tail: "="), p[2] == UInt8(ascii: ","),
            p[4] == UInt8(ascii: ","), p[6] == UInt8(ascii: ">"),
            let x = Layout.digit(p[1]), let y = Layout.digit(p[3]), let z = Layout.digit(p[5]),
            let target = Layout.number(p[7 ..< 9])
        else { return nil }
        return ([x, y, z].sorted(), target)
    }
}
