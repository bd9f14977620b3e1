import GRDB

/// One row of the results database: one generation for one task example, with everything needed to
/// aggregate it, plot it, and reproduce it (ARCHITECTURE.md, Rules: sampler, task version, seed and git commit in every row).
public struct ExampleResult: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    /// The run this example belongs to (model × task × sampler config × step budget × seed), see `Run.key`.
    public var runKey: String
    public var experiment: String
    public var model: String
    public var task: String
    public var taskVersion: Int
    public var split: String
    /// Seed of the task's example stream.
    public var taskSeed: Int
    public var exampleIndex: Int
    /// Sampler registry name and its parameters as canonical JSON (sorted keys).
    public var sampler: String
    public var samplerParameters: String
    /// The sampler configuration's label: the name plus its parameters; one series per label in the plots.
    public var samplerConfig: String
    /// The step budget; 0 for a budget-free sampler's row (`budgetFree`), which ran once, not once per budget.
    public var stepBudget: Int
    /// Seed of the sampler's random generator.
    public var seed: Int
    /// Which of the spec's `repeats` this generation is (0-based).
    public var repeatIndex: Int
    public var generationLength: Int
    public var blockLength: Int?
    public var prompt: String
    public var output: String
    /// The task's reference answer (a task may accept others; `score` is the verifier's verdict).
    public var reference: String
    public var score: Double
    /// Every score of a task that defines several (GSM8K strict-match and flexible-extract), as a JSON object
    /// name → score; `score` is the first. nil for tasks with one score.
    public var scores: String?
    /// Forward passes, as counted by `CountingDenoiser`.
    public var nfe: Int
    public var stepsRun: Int
    public var tokensPerForward: Double
    public var wallSeconds: Double
    /// For each canvas position, the step at which it was committed (-1: never); stored as a JSON array.
    public var commitSteps: [Int]
    public var gitCommit: String
    public var dlabVersion: String
    /// The machine's side of the timing: OpenBLAS's kernels (`openblas_get_corename`) and threads; nil in rows
    /// written before they were recorded.
    public var blasCore: String? = nil
    public var blasThreads: Int? = nil
    /// Examples run together (their forward calls served by one batched pass); `wallSeconds` is then the example's
    /// own time plus its share of each pass (pass time over the calls in it). nil in rows written before.
    public var batchSize: Int? = nil
    /// Lanes that ran at once, each a copy of the model on its own core with its own batched passes
    /// (`SweepRunner.lanes`); `wallSeconds` stays the example's time on its lane. nil in rows written before.
    public var lanes: Int? = nil
    /// Self-speculative drafting: per draft position, drafts proposed and accepted (`Generation.draftsProposed`,
    /// `.draftsAccepted`); nil for samplers that do not draft.
    public var draftsProposed: [Int]? = nil
    public var draftsAccepted: [Int]? = nil
    /// The masked-diffusion block cache the passes used ("none", "prefix", "dual"; `CountingDenoiser.cacheMode`) and
    /// the positions they ran through the model (`positionsComputed`; nil when no diffusion pass ran, as for AR
    /// samplers). nil in rows written before they were recorded.
    public var cacheMode: String? = nil
    public var positionsComputed: Int? = nil
    /// A budget-free sampler's row (`StepBudgetUse.unused`): run once per seed with no budget, `stepBudget` 0.
    /// False in rows written before budget-free runs existed (every sampler was run once per budget).
    public var budgetFree: Bool = false

    /// Every step's canvas and confidence (experiments with `trace: full`); written to the `traces` table with the
    /// row, in the same transaction. Not a column of `examples`, and not read back with the row.
    public var trace: ExampleTrace? = nil

    /// The columns of `examples`: every stored property but `trace` (a test checks that none is left out).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case runKey, experiment, model, task, taskVersion, split, taskSeed, exampleIndex, sampler, samplerParameters
        case samplerConfig, stepBudget, seed, repeatIndex, generationLength, blockLength, prompt, output, reference, score
        case scores, nfe, stepsRun, tokensPerForward, wallSeconds, commitSteps, gitCommit, dlabVersion, blasCore
        case blasThreads, batchSize, lanes, draftsProposed, draftsAccepted, cacheMode, positionsComputed, budgetFree
    }

    public static let databaseTableName = "examples"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Identity of a row: no two rows share it.
    public var key: ExampleKey { ExampleKey(runKey: runKey, exampleIndex: exampleIndex, repeatIndex: repeatIndex) }

    public init(runKey: String, experiment: String, model: String, task: String, taskVersion: Int, split: String,
                taskSeed: Int, exampleIndex: Int, sampler: String, samplerParameters: String, samplerConfig: String,
                stepBudget: Int, seed: Int, repeatIndex: Int, generationLength: Int, blockLength: Int?,
                prompt: String, output: String, reference: String, score: Double, nfe: Int, stepsRun: Int,
                tokensPerForward: Double, wallSeconds: Double, commitSteps: [Int], gitCommit: String,
                dlabVersion: String, scores: String? = nil) {
        self.runKey = runKey
        self.experiment = experiment
        self.model = model
        self.task = task
        self.taskVersion = taskVersion
        self.split = split
        self.taskSeed = taskSeed
        self.exampleIndex = exampleIndex
        self.sampler = sampler
        self.samplerParameters = samplerParameters
        self.samplerConfig = samplerConfig
        self.stepBudget = stepBudget
        self.seed = seed
        self.repeatIndex = repeatIndex
        self.generationLength = generationLength
        self.blockLength = blockLength
        self.prompt = prompt
        self.output = output
        self.reference = reference
        self.score = score
        self.scores = scores
        self.nfe = nfe
        self.stepsRun = stepsRun
        self.tokensPerForward = tokensPerForward
        self.wallSeconds = wallSeconds
        self.commitSteps = commitSteps
        self.gitCommit = gitCommit
        self.dlabVersion = dlabVersion
    }
}

/// The identity of one example row.
public struct ExampleKey: Hashable, Sendable {
    public var runKey: String
    public var exampleIndex: Int
    public var repeatIndex: Int

    public init(runKey: String, exampleIndex: Int, repeatIndex: Int) {
        self.runKey = runKey
        self.exampleIndex = exampleIndex
        self.repeatIndex = repeatIndex
    }
}
