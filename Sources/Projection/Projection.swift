/// Tokens per second of one method at one number of concurrent users.
public struct ProjectionPoint: Sendable, Equatable {
    public var users: Int
    /// Seconds per generated-token cycle for every user: one AR pass; drafts + verify; or a canvas / tokens per canvas.
    public var secondsPerStep: Double
    /// Tokens each user receives per step.
    public var tokensPerStep: Double
    public var bound: PassCost.Bound
    /// Weights + KV caches of all users fit the hardware's memory.
    public var fitsMemory: Bool

    public var perUser: Double { tokensPerStep / secondsPerStep }
    public var total: Double { perUser * Double(users) }
}

public struct ProjectionCurve: Sendable, Equatable {
    public var name: String
    public var method: DecodingMethod
    public var points: [ProjectionPoint]
    public var weightBytes: Double
    /// Largest user count (within the projected range) whose weights and caches fit; 0 when the weights alone do not.
    public var maxUsersInMemory: Int
}

/// Projects methods over concurrent users: AR batches B decode positions per pass, AR+MTP B × (1 + drafts)
/// verify positions plus B-position drafter passes, diffusion B canvases.
public struct Projector: Sendable {
    public var hardware: HardwareProfile
    public var precision: Precision
    /// Positions already in each user's KV cache (prompt plus what was generated so far).
    public var context: Int

    public init(hardware: HardwareProfile, precision: Precision, context: Int) {
        (self.hardware, self.precision, self.context) = (hardware, precision, context)
    }

    public func point(_ spec: MethodSpec, users: Int) throws -> ProjectionPoint {
        let roofline = try Roofline(model: spec.model, hardware: hardware, precision: precision)
        let seconds: Double, tokens: Double, bound: PassCost.Bound, cached: Int
        switch spec.method {
        case .autoregressive:
            let pass = roofline.cost(PassWorkload(sequences: users, tokens: 1, context: context))
            (seconds, tokens, bound, cached) = (pass.seconds, 1, pass.bound, context + 1)
        case .multiTokenPrediction(let drafts, _, let drafter, let layers):
            let verify = roofline.cost(PassWorkload(sequences: users, tokens: 1 + drafts, context: context))
            let draft = roofline.draftCost(parameters: drafter, layers: layers, positions: users)
            (seconds, tokens, bound, cached) = (verify.seconds + Double(drafts) * draft.seconds,
                                                spec.method.tokensPerForward, verify.bound, context + 1 + drafts)
        case .diffusion(let canvas, let tokensPerForward, let commit):
            let step = roofline.cost(PassWorkload(sequences: users, tokens: canvas, context: context,
                                                  selfConditioning: spec.model.selfConditioning))
            let commitSeconds = commit ? roofline.cost(PassWorkload(sequences: users, tokens: canvas, context: context, sampled: false)).seconds : 0
            let steps = Double(canvas) / tokensPerForward
            (seconds, tokens, bound, cached) = (steps * step.seconds + commitSeconds, Double(canvas), step.bound, context + canvas)
        }
        let resident = roofline.residentBytes(users: users, tokens: cached)
        return ProjectionPoint(users: users, secondsPerStep: seconds, tokensPerStep: tokens, bound: bound,
                               fitsMemory: resident.weights + resident.cache <= hardware.memoryBytes)
    }

    public func curve(_ spec: MethodSpec, users: ClosedRange<Int>) throws -> ProjectionCurve {
        let points = try users.map { try point(spec, users: $0) }
        let weights = try Roofline(model: spec.model, hardware: hardware, precision: precision).residentBytes(users: 0, tokens: 0).weights
        let fitting = points.prefix { $0.fitsMemory }.last?.users ?? 0
        return ProjectionCurve(name: spec.name, method: spec.method, points: points, weightBytes: weights, maxUsersInMemory: fitting)
    }
}

/// Where one curve overtakes another in tokens per second per user (the same users count overtakes in total,
/// since total = users × per user).
public enum Crossover {
    /// Every user count at which `challenger` becomes at least as fast per user as `leader`: the first point when it
    /// starts level or ahead, then each point where it was behind one user count before. Empty when it never catches
    /// up in the range. Points are matched by user count.
    public static func overtakes(leader: [ProjectionPoint], challenger: [ProjectionPoint]) -> [Int] {
        let leading = Dictionary(leader.map { ($0.users, $0.perUser) }, uniquingKeysWith: { first, _ in first })
        var result: [Int] = []
        var wasAhead: Bool?
        for point in challenger.sorted(by: { $0.users < $1.users }) {
            guard let other = leading[point.users] else { continue }
            let ahead = point.perUser >= other
            if ahead, wasAhead != true { result.append(point.users) }
            wasAhead = ahead
        }
        return result
    }

    /// The first of `overtakes`: 1 when the challenger is never slower, nil when it never catches up.
    public static func firstOvertake(leader: [ProjectionPoint], challenger: [ProjectionPoint]) -> Int? {
        overtakes(leader: leader, challenger: challenger).first
    }
}
