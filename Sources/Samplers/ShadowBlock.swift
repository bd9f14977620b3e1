import DiffusionCore

extension GuardedDenoiser {
    /// The model's shadow-block pass (`ShadowBlockModel`, WINO), counted and checked like `logits`.
    var shadowBlock: (any ShadowBlockModel)? {
        base.shadowBlock.map { model in
            CountedShadowBlock(model) { [unowned self] prefix, canvas in try count(prefix: prefix, canvas: canvas) }
        }
    }
}
