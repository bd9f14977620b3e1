import Foundation
import Samplers
import Testing
@testable import Sweeps

/// The random-weight parity fixture: it cannot solve tasks, but it runs, and its vocabulary covers the prompts of
/// `addition` and `decomp`.
let fixtureModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("DiffusionEngineTests/Fixtures/llada-moe-parity").path

func spec(_ yaml: String, file: String = "spec.yaml") throws -> ExperimentSpec {
    try ExperimentSpec(yaml: yaml, file: URL(fileURLWithPath: "/tmp/\(file)"))
}

func specError(_ yaml: String) -> SpecError? {
    do {
        _ = try spec(yaml)
        return nil
    } catch let error as SpecError {
        return error
    } catch {
        return nil
    }
}

@Suite struct SpecTests {
    static let valid = """
        # comments are fine
        name: small
        models: [\(fixtureModel)]
        tasks:
          - {name: addition, examples: 3, seed: 7}
          - name: decomp
            examples: 2
            steps: [1, 100]
        samplers:
          - name: llada_low_confidence
        steps: [1, 2, 8]
        seeds: [0, 1]
        repeats: 2
        """

    @Test func validSpecExpandsToTheGrid() throws {
        let spec = try spec(Self.valid)
        #expect(spec.name == "small" && spec.tasks.count == 2 && spec.samplers.map(\.label) == ["llada_low_confidence"])
        #expect(spec.database.path == "/tmp/results/small.sqlite")
        let runs = spec.runs()
        // addition (length 5): budgets 1, 2, 5 (8 clamped); decomp (length 7): 1, 7; × 2 seeds.
        #expect(runs.map(\.stepBudget) == [1, 1, 2, 2, 5, 5, 1, 1, 7, 7])
        #expect(runs.map(\.index) == Array(0 ..< 10))
        #expect(Set(runs.map(\.key)).count == runs.count)
        #expect(runs[0].exampleCount == 6)
        #expect(runs[0].key == "llada-moe-parity|addition@v1/eval/seed7|llada_low_confidence{}|steps1|seed0|len5|blockall")
    }

    @Test func shardsPartitionTheGrid() throws {
        let runs = try spec(Self.valid).runs()
        let shards = try (0 ..< 3).map { try Shard("\($0)/3") }
        let slices = shards.map { shard in runs.filter(shard.contains).map(\.index) }
        #expect(slices.flatMap { $0 }.sorted() == runs.map(\.index))
        #expect(slices.map(\.count) == [4, 3, 3])
        #expect(throws: (any Error).self) { try Shard("3/3") }
        #expect(throws: (any Error).self) { try Shard("1") }
    }

    @Test func errorsNameFileLineAndKey() {
        let unknownKey = specError(Self.valid.replacingOccurrences(of: "repeats: 2", with: "repeats: 2\nrepeat: 3"))
        #expect(unknownKey?.description == "/tmp/spec.yaml:14: repeat: unknown key 'repeat'; allowed here: name, description, models, model, tasks, samplers, steps, generation_length, block_length, seeds, repeats, results, trace")

        let sampler = specError(Self.valid.replacingOccurrences(of: "- name: llada_low_confidence", with: "- name: fast-dllm"))
        #expect(sampler?.line == 10 && sampler?.key == "samplers[0].name")
        #expect(sampler?.message.contains("unknown sampler 'fast-dllm'") == true)

        let task = specError(Self.valid.replacingOccurrences(of: "name: decomp", with: "name: decompose"))
        #expect(task?.line == 6 && task?.key == "tasks[1].name" && task?.message.contains("unknown task 'decompose'") == true)

        let badValue = specError(Self.valid.replacingOccurrences(of: "steps: [1, 2, 8]", with: "steps: [1, zero, 8]"))
        #expect(badValue?.line == 11 && badValue?.key == "steps[1]")

        let negative = specError(Self.valid.replacingOccurrences(of: "examples: 3", with: "examples: -3"))
        #expect(negative?.line == 5 && negative?.key == "tasks[0].examples" && negative?.message == "must be positive, got -3")

        let parameter = specError(Self.valid.replacingOccurrences(
            of: "- name: llada_low_confidence", with: "- name: llada_low_confidence\n    parameters: {threshold: [0.5, 0.9]}"))
        #expect(parameter?.line == 11 && parameter?.key == "samplers[0].parameters.threshold")

        let missing = specError(Self.valid.replacingOccurrences(of: "steps: [1, 2, 8]\n", with: ""))
        #expect(missing?.key == "steps" && missing?.message == "missing key 'steps'")

        let syntax = specError("name: x\ntasks: [addition\nsamplers: []\n")
        #expect(syntax?.line != nil && syntax?.message.hasPrefix("YAML") == true)

        let model = specError(Self.valid.replacingOccurrences(of: fixtureModel, with: "no/such/model"))
        #expect(model?.line == 3 && model?.key == "models[0]")
    }

    @Test func gridParametersExpandAndLabel() throws {
        let catalog = SamplerCatalog(names: ["toy"]) { name, parameters, _ in
            SweepSampler(name: name, parameters: parameters) { _, _, _, _, _, _ in fatalError("not run") }
        }
        let spec = try ExperimentSpec(yaml: """
            name: grid
            models: [\(fixtureModel)]
            tasks: [{name: addition, examples: 1}]
            samplers:
              - name: toy
                parameters: {threshold: [0.5, 0.9], order: left, temperature: [0, 1]}
            steps: [1]
            """, file: URL(fileURLWithPath: "/tmp/grid.yaml"), catalog: catalog)
        #expect(spec.samplers.map(\.label) == [
            "toy threshold=0.5 temperature=0", "toy threshold=0.5 temperature=1",
            "toy threshold=0.9 temperature=0", "toy threshold=0.9 temperature=1",
        ])
        #expect(spec.samplers[0].parameters == ["threshold": .double(0.5), "order": .string("left"), "temperature": .int(0)])
        #expect(try canonicalJSON(spec.samplers[0].parameters) == #"{"order":"left","temperature":0,"threshold":0.5}"#)
        #expect(spec.samplers[0].parametersJSON == #"{"order":"left","temperature":0,"threshold":0.5}"#)
    }

    /// No fallback text for parameters JSON cannot hold: two such configurations would share a run key.
    @Test func parametersJSONCannotHoldAreAnError() {
        #expect(throws: (any Error).self) { try canonicalJSON(["threshold": .double(.infinity)]) }
        #expect(throws: (any Error).self) { try canonicalJSON(["threshold": .double(.nan)]) }
    }
}
