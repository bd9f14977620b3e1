import DiffusionCore

/// What every block-wise sampler with a loop of its own checks before its first pass: the model has a mask token,
/// the canvas splits into whole blocks, and (for samplers with a per-block step schedule) the steps split evenly
/// over the blocks. One place, so every sampler words these errors the same way.
enum BlockCanvas {
    /// The model's mask token, or the error a sampler that unmasks gives on a model without one.
    static func maskToken(of denoiser: any Denoiser, sampler: String) throws -> TokenID {
        guard let mask = denoiser.specialTokens.mask else {
            throw SamplerError.unsupportedModel("\(sampler) needs a masked model (this one has no mask token)")
        }
        return mask
    }

    /// Checks that `length` is positive and a multiple of `block`; with `stepsPerBlock`, that `steps` is positive
    /// and divides evenly over the blocks.
    static func check(length: Int, block: Int, steps: Int? = nil) throws {
        guard let steps else {
            try require(length > 0, "canvas length must be positive, got \(length)")
            try require(length % block == 0, "canvas length \(length) is not a multiple of block_length \(block)")
            return
        }
        try require(length > 0 && steps > 0, "canvas length and steps must be positive, got \(length) and \(steps)")
        try require(length % block == 0, "canvas length \(length) is not a multiple of block_length \(block)")
        try require(steps % (length / block) == 0, "steps \(steps) do not divide into the \(length / block) blocks of length \(block)")
    }

    /// One forward pass over the whole canvas, checked to return one row of the model's vocabulary per position
    /// (a wrapped or plug-in denoiser that does not is an error, not an out-of-bounds read later). Block-wise samplers
    /// take their passes from `CachedBlockPasses.pass`, which comes here for every full pass under `cache: none`.
    static func logits(of denoiser: any Denoiser, prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        let logits = try denoiser.logits(prefix: prefix, canvas: canvas, conditioning: conditioning)
        try CachedBlockPasses.check(logits, rows: canvas.count, vocabulary: denoiser.vocabularySize)
        return logits
    }
}
