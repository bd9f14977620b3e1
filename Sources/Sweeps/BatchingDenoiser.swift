import DiffusionCore
import Foundation

/// Gathers the forward calls of several examples, each run by an unchanged sampler on its own thread, and serves
/// them with one batched pass of the model.
///
/// Each running example holds a `BatchSlot` (its denoiser). A call blocks its thread until the pass that carries
/// it is done; the pass runs as soon as every live example has submitted a call or finished, on the thread whose
/// call (or finish) completed the set. So a pass carries one call of each running example, and the samplers see
/// exactly the logits they would see alone (the model attends each sequence only to itself).
public final class BatchingDenoiser: @unchecked Sendable {
    public let model: any BatchDenoiser
    private let condition = NSCondition()
    private var live = 0
    private var pending: [(ticket: Int, request: BatchRequest)] = []
    private var served: [Int: (result: Result<Logits, any Error>, share: Double)] = [:]
    private var nextTicket = 0
    /// Batched passes run, and calls served by them (their ratio is the mean batch).
    public private(set) var passes = 0
    public private(set) var callsServed = 0

    public init(_ model: any BatchDenoiser) {
        self.model = model
    }

    /// An example starts on the calling thread: until it `leave`s, passes wait for its calls.
    public func enter() {
        condition.lock()
        live += 1
        condition.unlock()
    }

    /// The example of the calling thread is done (or failed): passes no longer wait for it.
    public func leave() {
        condition.lock()
        live -= 1
        serveIfComplete()
        condition.unlock()
    }

    /// Submits one call and waits for its logits; `share` is this call's part of the pass time (pass seconds over
    /// the calls it carried).
    func submit(_ request: BatchRequest) -> (result: Result<Logits, any Error>, share: Double) {
        condition.lock()
        defer { condition.unlock() }
        let ticket = nextTicket
        nextTicket += 1
        pending.append((ticket, request))
        serveIfComplete()
        while served[ticket] == nil { condition.wait() }
        return served.removeValue(forKey: ticket)!  // present: the loop above waited for it
    }

    /// Runs the pass when every live example has a call waiting. Called with the lock held.
    private func serveIfComplete() {
        guard !pending.isEmpty, pending.count >= live else { return }
        let batch = pending
        pending = []
        let start = ContinuousClock.now
        // Plain calls in one batched pass, block-cache passes (refresh or cached) in another.
        let calls = batch.compactMap { item -> (ticket: Int, call: DenoiserCall)? in
            if case .call(let call) = item.request { return (item.ticket, call) }
            return nil
        }
        let blocks = batch.compactMap { item -> (ticket: Int, pass: BlockPass)? in
            if case .block(let pass) = item.request { return (item.ticket, pass) }
            return nil
        }
        let results = Array(zip(calls.map(\.ticket), serve(calls.map(\.call)))) + zip(blocks.map(\.ticket), serve(blocks.map(\.pass)))
        let share = seconds(since: start) / Double(batch.count)
        for (ticket, result) in results { served[ticket] = (result, share) }
        passes += 1
        callsServed += batch.count
        condition.broadcast()
    }

    /// Plain calls in one batched pass of the model.
    private func serve(_ calls: [DenoiserCall]) -> [Result<Logits, any Error>] {
        guard !calls.isEmpty else { return [] }
        do {
            return try model.logits(batch: calls).map { .success($0) }
        } catch {
            // A bad call fails the whole pass: serve each alone, so that only its example gets the error.
            return calls.map { call in
                Result {
                    if let block = call.shadowBlock {
                        guard let shadowed = model.shadowBlock else { throw BatchShadowError() }
                        return .joiningShadow(try shadowed.logitsWithShadow(prefix: call.prefix, canvas: call.canvas, block: block))
                    }
                    return try model.logits(prefix: call.prefix, canvas: call.canvas, conditioning: call.conditioning)
                }
            }
        }
    }

    /// Block-cache passes in one batched pass of the model (`BatchBlockCachingDenoiser`).
    private func serve(_ passes: [BlockPass]) -> [Result<Logits, any Error>] {
        guard !passes.isEmpty else { return [] }
        guard let caching = model as? any BatchBlockCachingDenoiser else {
            return passes.map { _ in .failure(BlockCacheError("\(String(describing: type(of: model))) cannot serve block caches in a batched pass")) }
        }
        do {
            return try caching.blockPasses(passes).map { .success($0) }
        } catch {
            // As for plain calls: each alone, so that only the example whose pass is bad gets the error.
            return passes.map { pass in Result { try caching.blockPasses([pass])[0] } }
        }
    }
}

/// The denoiser one running example sees: each call is one forward pass of the example (1 NFE), served within a
/// batched pass. It keeps the time the example spent waiting for passes and its share of their cost, so that
/// the example's wall time can be stated without the other examples' work.
public final class BatchSlot: Denoiser {
    public let batcher: BatchingDenoiser
    /// Seconds blocked in `logits`, and this example's share of the passes' time (pass time / calls in the pass).
    public private(set) var waitingSeconds = 0.0
    public private(set) var passShareSeconds = 0.0

    public init(_ batcher: BatchingDenoiser) {
        self.batcher = batcher
    }

    public var vocabularySize: Int { batcher.model.vocabularySize }
    public var specialTokens: SpecialTokens { batcher.model.specialTokens }
    public var kind: DiffusionKind { batcher.model.kind }

    public func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        try submit(DenoiserCall(prefix: prefix, canvas: canvas, conditioning: conditioning))
    }

    /// The model's shadow-block pass (WINO), served within a batched pass like any other call.
    public var shadowBlock: (any ShadowBlockModel)? {
        batcher.model.shadowBlock == nil ? nil : SlotShadowBlock(slot: self)
    }

    func submit(_ call: DenoiserCall) throws -> Logits {
        try submit(.call(call))
    }

    func submit(_ request: BatchRequest) throws -> Logits {
        let start = ContinuousClock.now
        let (result, share) = batcher.submit(request)
        waitingSeconds += seconds(since: start)
        passShareSeconds += share
        return try result.get()
    }
}

/// A batch slot's shadow-block pass: its call carries the block, and its rows come back as canvas then shadow.
final class SlotShadowBlock: ShadowBlockModel {
    let slot: BatchSlot

    init(slot: BatchSlot) {
        self.slot = slot
    }

    func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits) {
        let rows = try slot.submit(DenoiserCall(prefix: prefix, canvas: canvas, conditioning: nil, shadowBlock: block))
        guard rows.rows == canvas.count + block.count else {
            throw BatchShadowError(description: "the batched pass returned \(rows.rows) rows for \(canvas.count) canvas and \(block.count) shadow positions")
        }
        return rows.splitShadow(canvasRows: canvas.count)
    }
}

/// What a running example asks of a batched pass: a plain forward call, or a pass of one of its block caches.
enum BatchRequest {
    case call(DenoiserCall)
    case block(BlockPass)
}

struct BatchShadowError: Error, CustomStringConvertible {
    var description = "a shadow-block call reached a model that cannot run one"
}
