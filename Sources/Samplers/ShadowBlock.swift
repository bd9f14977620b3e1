import DiffusionCore

/// A model that can verify a block in the same forward pass that predicts the canvas (WINO's shadow block,
/// `decoding_wino` in Feng-Hong/WINO-DLLM `LLaDA/decoding.py`): the sequence is prompt + canvas + a copy of the block
/// made of mask tokens at the block's positions; no canvas position attends to the copy, and copy position i attends
/// to the prompt, the canvas except block position i, and the copy. Its row i is the model's distribution at block
/// position i with that position's own token hidden (leave-one-out), so a decoded token can be re-checked.
/// One call is one forward pass. The engine's models do not implement it yet; a sampler that needs it reports the
/// model as unsupported.
public protocol ShadowBlockDenoiser: Denoiser {
    /// Canvas rows [canvas.count, V] and shadow rows [block.count, V] of one forward pass.
    func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits)
}

extension GuardedDenoiser: ShadowBlockDenoiser {
    /// Counts and checks the pass like `logits`, then forwards it if the model can run it.
    func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits) {
        guard let shadowed = base as? any ShadowBlockDenoiser else {
            throw SamplerError.unsupportedModel("\(sampler) needs a model that can run a shadow-block verification pass (WINO); this one cannot")
        }
        try count(prefix: prefix, canvas: canvas)
        return try shadowed.logitsWithShadow(prefix: prefix, canvas: canvas, block: block)
    }
}
