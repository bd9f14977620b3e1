import Foundation
import Tasks

/// One cell of the grid: model × task × sampler configuration × step budget × seed. Its examples and repeats
/// are the rows it writes.
public struct Run: Sendable {
    /// Position in the grid's deterministic order (what `--shard` slices).
    public var index: Int
    public var model: ExperimentSpec.Model
    public var task: ExperimentSpec.TaskEntry
    public var sampler: ExperimentSpec.SamplerConfiguration
    /// The step budget; nil for a budget-free sampler (`StepBudgetUse.unused`), which runs once per seed.
    public var stepBudget: Int?
    public var seed: Int
    public var repeats: Int
    public var generationLength: Int
    public var blockLength: Int?

    /// Names the run in the database. Everything that changes its results is in it (so changing the spec starts
    /// new runs), except the number of examples: raising it reuses the examples already done.
    public var key: String {
        let block = blockLength.map(String.init) ?? "all"
        return "\(model.label)|\(task.task.name)@v\(task.task.version)/\(task.split.rawValue)/seed\(task.seed)"
            + "|\(sampler.name)\(sampler.parametersJSON)|\(stepBudget.map { "steps\($0)" } ?? "budget-free")|seed\(seed)"
            + "|len\(generationLength)|block\(block)"
    }

    public var exampleCount: Int { task.examples * repeats }

    /// The steps handed to the sampler: the budget, or for a budget-free sampler (which does not read it) one step
    /// per canvas position, the most any canvas needs.
    public var steps: Int { stepBudget ?? generationLength }

    /// The budget as the progress line writes it.
    public var budgetText: String { stepBudget.map { "\($0) steps" } ?? "budget-free" }
}

/// A deterministic slice of the grid: run `index` belongs to shard `index % count`.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// Parses "i/n" with 0 ≤ i < n (0-based, like `SLURM_ARRAY_TASK_ID` with `--array=0-(n-1)`).
    public init(_ text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0, (0 ..< count).contains(index)
        else { throw SamplerSeamError("--shard takes i/n with 0 ≤ i < n, e.g. 0/4; got '\(text)'") }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(_ run: Run) -> Bool { run.index % count == index }
}

extension ExperimentSpec {
    /// Every run, in a fixed order: model, task, sampler configuration, step budget, seed. Step budgets above a
    /// task's canvas length are clamped to it (one token per step) and repeated budgets dropped. A sampler entry's
    /// own `steps` replace the task's; a budget-free sampler (one that does not read the budget) gets one run per
    /// seed, with no budget.
    public func runs() -> [Run] {
        var runs: [Run] = []
        for model in models {
            for task in tasks {
                let length = generationLength ?? task.task.answerLength
                for sampler in samplers {
                    var budgets: [Int] = []
                    for budget in (sampler.steps ?? task.steps).map({ min($0, length) }) where !budgets.contains(budget) {
                        budgets.append(budget)
                    }
                    let samplerBudgets: [Int?] = sampler.sampler.stepBudget == .unused ? [nil] : budgets
                    for budget in samplerBudgets {
                        for seed in seeds {
                            runs.append(Run(
                                index: runs.count, model: model, task: task, sampler: sampler, stepBudget: budget,
                                seed: seed, repeats: repeats, generationLength: length, blockLength: blockLength))
                        }
                    }
                }
            }
        }
        return runs
    }

    /// The database of one shard, beside the experiment's: `results/<name>.shard-<i>-of-<n>.sqlite`.
    public func database(for shard: Shard?) -> URL {
        guard let shard else { return database }
        return database.deletingLastPathComponent()
            .appendingPathComponent("\(name).shard-\(shard.index)-of-\(shard.count).sqlite")
    }

    /// Creates `results/` beside the spec file when the database is the default one there and that folder is
    /// missing: the one folder dlab ever creates (the spec's own folder exists, and nothing above it is made). A
    /// database given by `results:` or `--database` must have its folder already.
    public func createResultsFolder() throws {
        guard usesDefaultDatabase else { return }
        let folder = database.deletingLastPathComponent()
        guard !FileManager.default.fileExists(atPath: folder.path) else { return }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw SpecError(file: file.path, line: nil, key: nil, message: "cannot create the results folder \(folder.path) (\(error.localizedDescription))")
        }
    }

    /// Shard databases present beside the experiment's database.
    public func shardDatabases() -> [URL] {
        let folder = database.deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("\(name).shard-") && $0.hasSuffix(".sqlite") }.sorted()
            .map { folder.appendingPathComponent($0) }
    }
}
