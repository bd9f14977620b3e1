import DiffusionCore
import DiffusionEngine
import Foundation
import GRDB
import Samplers
import Testing
@testable import Sweeps

/// A sampler that does not read the step budget (`StepBudgetUse.unused`) runs once per seed, not once per budget:
/// its rows carry `budget_free` and no budget, the aggregates give it one point with a nil budget, and a second
/// sweep skips it like every other run.
@Suite(.serialized) struct BudgetFreeSweepTests {
    func writeSpec() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-budget-free-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("free.yaml")
        try """
            name: free
            models: [\(fixtureModel)]
            tasks:
              - {name: addition, examples: 3, seed: 3}
            samplers:
              - name: llada_low_confidence
              - name: fast_dllm_threshold
                parameters: {threshold: [0.5, 0.9]}
            steps: [1, 2, 4, 8]
            seeds: [0, 1]
            """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func aBudgetFreeSamplerRunsOncePerSeed() throws {
        let spec = try ExperimentSpec(contentsOf: writeSpec())
        let runs = spec.runs()
        // addition's canvas is 5: budgets 1, 2, 4, 5 for LLaDA; one budget-free run per threshold and seed.
        let budgeted = runs.filter { $0.sampler.name == "llada_low_confidence" }
        let free = runs.filter { $0.sampler.name == "fast_dllm_threshold" }
        #expect(budgeted.map(\.stepBudget) == [1, 1, 2, 2, 4, 4, 5, 5])
        #expect(free.count == 2 * 2 && free.allSatisfy { $0.stepBudget == nil && $0.steps == 5 })
        #expect(free.allSatisfy { $0.key.contains("|budget-free|") })
        #expect(Set(runs.map(\.key)).count == runs.count)

        try spec.createResultsFolder()
        let database = try ResultsDatabase(spec.database)
        var runner = SweepRunner(spec: spec, database: database)
        runner.gitCommit = "test"
        let first = try runner.run()
        #expect(first.runs == 12 && first.examplesWritten == 12 * 3)
        let rows = try database.allResults()
        #expect(rows.filter(\.budgetFree).count == 4 * 3)
        #expect(rows.filter(\.budgetFree).allSatisfy { $0.sampler == "fast_dllm_threshold" && $0.stepBudget == 0 })
        #expect(rows.filter { !$0.budgetFree }.allSatisfy { $0.sampler == "llada_low_confidence" && $0.stepBudget > 0 })

        let points = try database.aggregates()
        let freePoints = points.filter { $0.stepBudget == nil }
        #expect(freePoints.map(\.samplerConfig).sorted() == ["fast_dllm_threshold threshold=0.5", "fast_dllm_threshold threshold=0.9"])
        #expect(freePoints.allSatisfy { $0.examples == 2 * 3 && $0.sampler == "fast_dllm_threshold" && $0.generationLength == 5 })
        #expect(formatAggregateTable(points).contains(" free "))
        // The heatmap's query finds the budget-free rows by their marker.
        #expect(try database.results(task: "addition", samplerConfig: "fast_dllm_threshold threshold=0.5", stepBudget: nil).count == 2 * 3)

        // Resume: nothing left to do, nothing written twice.
        let second = try runner.run()
        #expect(second.examplesWritten == 0 && second.examplesSkipped == first.examplesWritten)
        #expect(try database.count() == first.examplesWritten)
    }

    /// The declaration is checked against behaviour: every sampler of the catalogue that says it does not read the
    /// budget makes the same canvas, passes and commit steps at two different budgets.
    @Test func budgetFreeDeclarationsHoldOnTheFixtureModel() throws {
        let registry = try SamplerRegistry()
        let folder = try ModelFolder(URL(fileURLWithPath: fixtureModel)).denoiser
        let prompt = [3, 5, 7]
        let length = 8
        var checked: [String] = []
        for entry in registry.entries where entry.about.stepBudget == .unused && entry.about.modelKinds.contains(.masked) {
            let sampler = try entry.make()
            func generate(_ steps: Int) throws -> Generation {
                var rng = SeededGenerator(seed: 11)
                return try sampler.run(prompt: prompt, length: length, steps: steps, denoiser: folder, rng: &rng)
            }
            // WINO needs a shadow-block verification pass the engine's models do not run yet.
            if entry.name == "wino" { continue }
            let (few, many) = (try generate(2), try generate(length))
            #expect(few.tokens == many.tokens && few.forwardPasses == many.forwardPasses && few.commitStep == many.commitStep,
                    "\(entry.name) declares the step budget unused, yet its run depends on it")
            checked.append(entry.name)
        }
        #expect(checked.count >= 12, "\(checked)")
        // And the budget-using ones are not budget-free: the budget changes their passes.
        for name in ["llada_low_confidence", "dream_maskgit_plus", "mdlm_ancestral", "klass", "pc_sampler", "remdm_cap"] {
            let sampler = try registry.sampler(named: name)
            var (a, b) = (SeededGenerator(seed: 11), SeededGenerator(seed: 11))
            let few = try sampler.run(prompt: prompt, length: length, steps: 2, denoiser: folder, rng: &a)
            let many = try sampler.run(prompt: prompt, length: length, steps: length, denoiser: folder, rng: &b)
            #expect(few.forwardPasses != many.forwardPasses || few.tokens != many.tokens, "\(name) ignores its budget")
        }
    }
}

/// A sampler entry may give its own step budgets (a sampler whose canvas must divide into its steps, say).
@Suite struct OwnStepsTests {
    @Test func anEntrysStepsReplaceTheTasks() throws {
        let spec = try spec("""
            name: own
            models: [\(fixtureModel)]
            tasks:
              - {name: decomp, examples: 2}
            samplers:
              - name: llada_low_confidence
              - name: remdm_llada
                steps: [1, 7, 9]
            steps: [1, 2, 4, 7]
            """)
        let runs = spec.runs()
        #expect(runs.filter { $0.sampler.name == "llada_low_confidence" }.map(\.stepBudget) == [1, 2, 4, 7])
        #expect(runs.filter { $0.sampler.name == "remdm_llada" }.map(\.stepBudget) == [1, 7])
        let error = specError("""
            name: own
            models: [\(fixtureModel)]
            tasks:
              - {name: decomp, examples: 2}
            samplers:
              - name: llada_low_confidence
                parameters: {block_length: 7}
                steps: [0]
            steps: [1]
            """)
        #expect(error?.key == "samplers[0].steps[0]" && error?.line == 8, "\(String(describing: error))")
    }
}

/// The area under the accuracy-parallelism staircase, worked by hand.
@Suite struct ParallelismAreaTests {
    @Test func areaOfAStaircase() {
        // Canvas 16 (ln 16 = 4 ln 2). Points: 100% at 1 token/pass, 80% at 4, 50% at 16.
        // A(ρ) = 0.8 on [1, 4] (the best at ≥ ρ), 0.5 on (4, 16]: area = (0.8·2 + 0.5·2) / 4 = 0.65.
        let area = ParallelismArea.area([(1, 1.0), (4, 0.8), (16, 0.5)], canvasLength: 16)
        #expect(abs(area - 0.65) < 1e-12)
        // A dominated point changes nothing; one past the canvas counts as the canvas.
        #expect(abs(ParallelismArea.area([(1, 1.0), (4, 0.8), (2, 0.3), (40, 0.5)], canvasLength: 16) - 0.65) < 1e-12)
        // One token per pass has no parallelism; a canvas of one token has none to measure.
        #expect(ParallelismArea.area([(1, 1.0)], canvasLength: 16) == 0)
        #expect(ParallelismArea.area([(1, 1.0)], canvasLength: 1) == 0)
        // Full accuracy with the whole canvas in one pass is 1.
        #expect(abs(ParallelismArea.area([(16, 1.0)], canvasLength: 16) - 1) < 1e-12)
    }

    @Test func onePerSamplerPoolingItsConfigurations() {
        func point(_ config: String, _ sampler: String, _ budget: Int?, _ tpf: Double, _ accuracy: Double) -> Aggregate {
            Aggregate(model: "m", task: "t", samplerConfig: config, stepBudget: budget, sampler: sampler, generationLength: 16,
                      examples: 10, correct: 10 * accuracy, meanNFE: 16 / tpf, tokensPerForward: tpf, msPerExample: 1)
        }
        let areas = ParallelismArea.of([
            point("llada", "llada", 16, 1, 1.0), point("llada", "llada", 4, 4, 0.8),
            point("fast τ=0.9", "fast", nil, 2, 1.0), point("fast τ=0.5", "fast", nil, 16, 0.5),
        ])
        #expect(areas.map(\.sampler) == ["llada", "fast"] && areas.map(\.points) == [2, 2])
        #expect(abs(areas[0].area - 0.4) < 1e-12)  // 0.8 on [1, 4]: 0.8 · 2 / 4
        #expect(abs(areas[1].area - 0.625) < 1e-12)  // 1.0 on [1, 2], 0.5 on (2, 16]: (1 + 0.5 · 3) / 4
        #expect(formatParallelismAreaTable(areas).contains("0.625"))
    }
}
