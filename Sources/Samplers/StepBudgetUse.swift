/// What a sampler does with the step budget it is handed (`Sampler.generate(…, steps:)`), declared in its
/// `SamplerAbout`: a sweep runs a budget-free sampler once per seed instead of once per budget, and its figures
/// draw it as a point on the NFE and time axes instead of a flat line across the budgets it never read.
public enum StepBudgetUse: String, Sendable, CaseIterable {
    /// The budget is the number of steps (uniform counts, timestep grids): more budget, more passes.
    case schedule
    /// The budget is the most steps the sampler takes (and may shape its schedule), and its own rule can stop
    /// earlier: the reference has such a cap (DiffusionGemma's `max_denoising_steps`, Prophet's `steps`).
    case cap
    /// The budget is not read: an adaptive rule decides how many steps to take (thresholds, entropy bounds,
    /// one token per step, autoregressive decoding).
    case unused

    /// One line for `dlab samplers show`.
    public var explanation: String {
        switch self {
        case .schedule: "uses the step budget: it is the number of steps"
        case .cap: "uses the step budget as a cap: at most that many steps, its own rule may stop earlier"
        case .unused: "budget-free: the step budget is not used (a sweep runs it once per seed)"
        }
    }
}
