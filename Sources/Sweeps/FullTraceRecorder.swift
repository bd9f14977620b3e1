import DiffusionCore
import Foundation

/// Records a `FullTrace` while a sampler runs: the sampler's `StepTrace`s give each step's canvas, and a
/// `ConfidenceTap` under the forward-pass counter gives the model's top token and its probability at each position
/// in the pass before the step. Samplers need not change: every sampler that traces its steps gets full traces.
final class FullTraceRecorder: TraceSink {
    let tap: ConfidenceTap
    /// Tokens of the canvases finished before the current one (canvas-after-canvas decoding of file-backed tasks):
    /// a traced canvas is written after them, so each step shows everything generated so far.
    var earlier: [TokenID] = []
    private var canvases: [[TokenID]] = []
    private var predictions: [[Int32]] = []
    private var confidences: [[UInt8]] = []

    /// Wraps `base` in the tap this recorder reads; run the sampler on the returned tap (under the counter).
    init(base: any Denoiser) {
        tap = ConfidenceTap(base)
    }

    func record(_ step: StepTrace) throws {
        let canvas = step.canvas
        var codes = [UInt8](repeating: FullTrace.unknownConfidence, count: earlier.count + canvas.count)
        var tops = [Int32](repeating: FullTrace.absent, count: earlier.count + canvas.count)
        // The pass the step acted on covers its canvas when it returned one row per position (or one more: with
        // shift_logits the loop prepends the prompt's last token and reads the first rows).
        if let last = tap.lastTop, last.count == canvas.count || last.count == canvas.count + 1 {
            for i in canvas.indices {
                codes[earlier.count + i] = FullTrace.quantise(last[i].probability)
                tops[earlier.count + i] = last[i].token
            }
        }
        canvases.append(earlier + canvas)
        predictions.append(tops)
        confidences.append(codes)
    }

    /// The trace so far, each step padded to the longest canvas with `FullTrace.absent` (and unknown confidence).
    func trace() throws -> FullTrace {
        let width = canvases.map(\.count).max() ?? 0
        return try FullTrace(
            width: width,
            canvases: canvases.map { $0.map(Int32.init) + [Int32](repeating: FullTrace.absent, count: width - $0.count) },
            predictions: predictions.map { $0 + [Int32](repeating: FullTrace.absent, count: width - $0.count) },
            confidences: confidences.map { $0 + [UInt8](repeating: FullTrace.unknownConfidence, count: width - $0.count) })
    }
}

/// A denoiser that passes every call on and keeps, of the last forward pass, each row's top token and its
/// probability (the softmax maximum). Forwards the model's autoregressive interface untouched (its passes are not tapped).
final class ConfidenceTap: Denoiser {
    let base: any Denoiser
    /// Per returned row of the last `logits` call, argmax and max_v softmax(row)_v; nil before the first call.
    fileprivate(set) var lastTop: [(token: Int32, probability: Double)]?

    init(_ base: any Denoiser) {
        self.base = base
    }

    var vocabularySize: Int { base.vocabularySize }
    var specialTokens: SpecialTokens { base.specialTokens }
    var kind: DiffusionKind { base.kind }
    var autoregressive: (any AutoregressiveModel)? { base.autoregressive }

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        let logits = try base.logits(prefix: prefix, canvas: canvas, conditioning: conditioning)
        lastTop = Self.top(logits)
        return logits
    }

    /// A shadow-block pass is tapped by its canvas rows.
    var shadowBlock: (any ShadowBlockModel)? {
        base.shadowBlock.map { model in TappedShadowBlock(model, tap: self) }
    }

    final class TappedShadowBlock: ShadowBlockModel {
        let base: any ShadowBlockModel
        unowned let tap: ConfidenceTap

        init(_ base: any ShadowBlockModel, tap: ConfidenceTap) {
            self.base = base
            self.tap = tap
        }

        func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits) {
            let pass = try base.logitsWithShadow(prefix: prefix, canvas: canvas, block: block)
            tap.lastTop = ConfidenceTap.top(pass.canvas)
            return pass
        }
    }

    /// Per row, the argmax (lowest id on ties) and the max softmax 1 / Σ_v exp(l_v − max l) in Double (a row
    /// without a finite maximum: token -1, probability NaN, both unknown).
    static func top(_ logits: Logits) -> [(token: Int32, probability: Double)] {
        (0 ..< logits.rows).map { r in
            logits.withRow(r) { row in
                var (best, top) = (-1, -Float.infinity)
                for (v, value) in row.enumerated() where value > top { (best, top) = (v, value) }
                guard top.isFinite else { return (FullTrace.absent, .nan) }
                var sum = 0.0
                for v in row { sum += exp(Double(v - top)) }
                return (Int32(best), 1 / sum)
            }
        }
    }
}
