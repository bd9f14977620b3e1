/// A model that can verify a block in the same forward pass that predicts the canvas: WINO's shadow block
/// (`decoding_wino` in https://github.com/Feng-Hong/WINO-DLLM `LLaDA/decoding.py`). The sequence is prompt + canvas + a
/// copy of the block made of mask tokens at the block's position ids; no canvas position attends to the copy, and copy
/// position i attends to the prompt, the canvas except block position i, and the copy. Its row i is the model's
/// distribution at block position i with that position's own token hidden (leave-one-out), so a decoded token can be
/// re-checked. One call is one forward pass (1 NFE).
///
/// An optional capability of a `Denoiser` (`Denoiser.shadowBlock`, nil for models without it), like its
/// autoregressive interface: wrappers (the forward-pass counter, the run guard, a batch slot) hand out a wrapper that
/// counts the pass, so samplers reach it the same way whatever wraps the model.
public protocol ShadowBlockModel: AnyObject {
    /// Canvas rows [canvas.count, V] and shadow rows [block.count, V] of one forward pass over prefix + canvas + the
    /// block's shadow; `block` is a range of canvas positions.
    func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits)
}

/// A shadow-block pass that calls `onPass` (count, check) before each pass, for wrappers of a denoiser.
public final class CountedShadowBlock: ShadowBlockModel {
    public let base: any ShadowBlockModel
    private let onPass: (_ prefix: [TokenID], _ canvas: [TokenID]) throws -> Void

    public init(_ base: any ShadowBlockModel, onPass: @escaping (_ prefix: [TokenID], _ canvas: [TokenID]) throws -> Void) {
        self.base = base
        self.onPass = onPass
    }

    public func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits) {
        try onPass(prefix, canvas)
        return try base.logitsWithShadow(prefix: prefix, canvas: canvas, block: block)
    }
}

extension Logits {
    /// Rows [canvasRows + shadow, V] of a shadow-block pass as its canvas rows and its shadow rows.
    public func splitShadow(canvasRows: Int) -> (canvas: Logits, shadow: Logits) {
        let canvas = min(max(canvasRows, 0), rows)
        let cut = canvas * vocabularySize
        return (Logits(rows: canvas, vocabularySize: vocabularySize, values: Array(values[..<cut])),
                Logits(rows: rows - canvas, vocabularySize: vocabularySize, values: Array(values[cut...])))
    }

    /// The canvas rows then the shadow rows, as one `Logits` (how a batched pass returns a shadowed call).
    public static func joiningShadow(_ pass: (canvas: Logits, shadow: Logits)) -> Logits {
        Logits(rows: pass.canvas.rows + pass.shadow.rows, vocabularySize: pass.canvas.vocabularySize,
               values: pass.canvas.values + pass.shadow.values)
    }
}
