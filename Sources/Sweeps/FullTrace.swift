import DiffusionCore
import Foundation

/// How much of each generation an experiment keeps (`trace:` in the experiment file).
public enum TraceLevel: String, Sendable, CaseIterable {
    /// The default: the step at which each position was committed (the `commit_steps` column).
    case commits
    /// Also every step's canvas and every position's confidence, in the `traces` table (see `FullTrace`).
    case full
}

/// Every step of one generation: the canvas after the step, and the model's top token and its probability at each
/// position in the forward pass the step acted on.
///
/// Stored compactly (one `traces` row per example, see `ResultsDatabaseTraces.swift`):
/// - `canvases`: [steps, width] token ids as little-endian Int32; -1 where a step's canvas is shorter than `width`
///   (a sampler that grows its canvas, or the first canvases of a file-backed task's canvas-after-canvas decoding).
/// - `predictions`: [steps, width] little-endian Int32, the model's top token (argmax) at each position in the pass
///   the step acted on; -1 = unknown (no pass with one row per canvas position came before the step: autoregressive
///   decoding, or past the canvas).
/// - `confidences`: [steps, width] UInt8, that top token's probability quantised to q = round(254·p), so
///   p = q / 254 within ±1/508 (`confidenceResolution`); 255 = unknown.
/// So a trace takes 9 bytes per step and position: 16 steps over a 16-token canvas are 2304 bytes.
public struct FullTrace: Equatable, Sendable {
    /// The confidence quantisation step (a stored code q stands for q / 254).
    public static let confidenceResolution = 1.0 / 254
    /// The stored code of an unknown confidence.
    public static let unknownConfidence: UInt8 = 255
    /// The stored token id of a position beyond a step's canvas.
    public static let absent: Int32 = -1

    /// Canvas width: the longest canvas of any step.
    public let width: Int
    /// [steps][width] token ids (`absent` past the step's canvas).
    public let canvases: [[Int32]]
    /// [steps][width] the model's top token at each position (`absent` when unknown).
    public let predictions: [[Int32]]
    /// [steps][width] quantised confidences.
    public let confidences: [[UInt8]]

    public var steps: Int { canvases.count }

    public init(width: Int, canvases: [[Int32]], predictions: [[Int32]], confidences: [[UInt8]]) throws {
        guard width >= 0, canvases.count == confidences.count, canvases.count == predictions.count,
              canvases.allSatisfy({ $0.count == width }), predictions.allSatisfy({ $0.count == width }),
              confidences.allSatisfy({ $0.count == width }) else {
            throw FullTraceError("a trace of \(canvases.count) canvases, \(predictions.count) prediction and \(confidences.count) confidence rows does not fit a width of \(width)")
        }
        self.width = width
        self.canvases = canvases
        self.predictions = predictions
        self.confidences = confidences
    }

    /// Quantises a probability (NaN or out of [0, 1]: unknown).
    public static func quantise(_ probability: Double) -> UInt8 {
        guard probability.isFinite, probability >= 0, probability <= 1 else { return unknownConfidence }
        return UInt8((probability * 254).rounded())
    }

    /// The probability a code stands for; nil for unknown.
    public static func probability(_ code: UInt8) -> Double? {
        code == unknownConfidence ? nil : Double(code) / 254
    }

    // MARK: Blobs

    /// `canvases` as little-endian Int32, row after row.
    public var canvasBlob: Data { Self.int32Blob(canvases) }
    public var predictionBlob: Data { Self.int32Blob(predictions) }
    public var confidenceBlob: Data { Data(confidences.joined()) }

    static func int32Blob(_ rows: [[Int32]]) -> Data {
        var data = Data(capacity: rows.count * (rows.first?.count ?? 0) * 4)
        for row in rows {
            for id in row { withUnsafeBytes(of: id.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    /// Reads the blobs back; a length that does not match `steps` × `width` is an error, never a trap.
    public init(steps: Int, width: Int, canvasBlob: Data, predictionBlob: Data, confidenceBlob: Data) throws {
        let cells = steps.multipliedReportingOverflow(by: width)
        guard steps >= 0, width >= 0, !cells.overflow, cells.partialValue <= Int.max / 4, canvasBlob.count == cells.partialValue * 4,
              predictionBlob.count == cells.partialValue * 4, confidenceBlob.count == cells.partialValue else {
            throw FullTraceError("the blobs hold \(canvasBlob.count), \(predictionBlob.count) and \(confidenceBlob.count) bytes, not \(steps) steps × \(width) positions (×4, ×4 and ×1)")
        }
        func rows(_ blob: Data) -> [[Int32]] {
            let ids = blob.withUnsafeBytes { raw in
                (0 ..< steps * width).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
            }
            return (0 ..< steps).map { Array(ids[$0 * width ..< ($0 + 1) * width]) }
        }
        let codes = [UInt8](confidenceBlob)
        try self.init(width: width, canvases: rows(canvasBlob), predictions: rows(predictionBlob),
                      confidences: (0 ..< steps).map { Array(codes[$0 * width ..< ($0 + 1) * width]) })
    }

    // MARK: When the answer appears

    /// The positions of the final answer: those of the last step's canvas that hold a token that is not the mask,
    /// padding or an end-of-sequence token (the generated text itself).
    public func answerPositions(special: SpecialTokens) -> [Int] {
        guard let last = canvases.last else { return [] }
        let ignored = Set([special.mask, special.pad].compactMap { $0 } + special.endOfSequence).map(Int32.init)
        return last.indices.filter { last[$0] != Self.absent && !ignored.contains(last[$0]) }
    }

    /// Whether the answer is on the canvas at `step`: every answer position holds its final token, or is still
    /// masked and the model's top token there (in the pass the step acted on) is that final token. This is Prophet's
    /// question: had decoding stopped here and filled the masks with the model's top tokens, would the answer be the
    /// final one? (A canvas without masks, as a uniform-state model's, is read as it is.)
    func holdsAnswer(at step: Int, positions: [Int], mask: Int32?) -> Bool {
        guard let last = canvases.last else { return false }
        let canvas = canvases[step], predicted = predictions[step]
        return positions.allSatisfy { p in canvas[p] == last[p] || (canvas[p] == mask && predicted[p] == last[p]) }
    }

    /// The first step (0-based) at which the final answer is on the canvas (see `holdsAnswer`); nil when the trace
    /// or the answer is empty.
    public func answerStep(special: SpecialTokens) -> Int? {
        let positions = answerPositions(special: special)
        guard !positions.isEmpty else { return nil }
        let mask = special.mask.map(Int32.init)
        return canvases.indices.first { holdsAnswer(at: $0, positions: positions, mask: mask) }
    }

    /// The first step from which the final answer is on the canvas at every later step too (later than
    /// `answerStep` when the model changes its mind, or a sampler re-masks a token it had written).
    public func answerStableStep(special: SpecialTokens) -> Int? {
        let positions = answerPositions(special: special)
        guard !positions.isEmpty else { return nil }
        let mask = special.mask.map(Int32.init)
        var step = canvases.count - 1
        while step > 0, holdsAnswer(at: step - 1, positions: positions, mask: mask) { step -= 1 }
        return step
    }
}

public struct FullTraceError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// An example's full trace with the steps at which its final answer appeared, as the `traces` table stores them
/// (the steps are computed once, when the row is written, so a query needs no blob decoding).
public struct ExampleTrace: Equatable, Sendable {
    public var trace: FullTrace
    /// `FullTrace.answerStep` and `.answerStableStep` for the model's special tokens.
    public var answerStep: Int?
    public var answerStableStep: Int?

    public init(_ trace: FullTrace, special: SpecialTokens) {
        self.init(trace, answerStep: trace.answerStep(special: special), answerStableStep: trace.answerStableStep(special: special))
    }

    public init(_ trace: FullTrace, answerStep: Int?, answerStableStep: Int?) {
        self.trace = trace
        self.answerStep = answerStep
        self.answerStableStep = answerStableStep
    }
}
