import Foundation
import GRDB
import Testing
@testable import Sweeps

/// Experiment files that used to fail late or unclearly: each is now a file:line:key error when it is read.
@Suite(.serialized) struct SpecBadInputTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func readError(_ data: Data) throws -> SpecError? {
        let file = try folder().appendingPathComponent("x.yaml")
        try data.write(to: file)
        do {
            _ = try ExperimentSpec(contentsOf: file)
            return nil
        } catch let error as SpecError {
            return error
        }
    }

    @Test func notUTF8NamesTheLine() throws {
        var data = Data("name: x\nmodels: [\(fixtureModel)]\n# caf".utf8)
        data.append(contentsOf: [0xE9, 0x0A])
        let error = try Self.readError(data)
        #expect(error?.line == 3 && error?.message.contains("is not UTF-8 text: byte 0xE9 at column 6") == true, "\(String(describing: error))")
    }

    @Test func aFolderIsNotASpec() throws {
        let folder = try Self.folder()
        #expect(throws: SpecError(file: folder.path, line: nil, key: nil, message: "is a folder; give an experiment file (YAML), e.g. Experiments/quickstart.yaml")) {
            try ExperimentSpec(contentsOf: folder)
        }
    }

    static let base = """
        name: shapes
        models: [\(fixtureModel)]
        tasks:
          - {name: sorting, examples: 2}
        """

    @Test func blockLengthThatDoesNotDivideTheCanvasIsFoundAtItsLine() {
        let error = specError(Self.base + "\nsamplers: [{name: llada_low_confidence}]\nsteps: [8]\nblock_length: 3\n")
        #expect(error?.key == "block_length" && error?.line == 7, "\(String(describing: error))")
        #expect(error?.message.contains("canvas length 8 is not a multiple of block_length 3") == true)
        let own = specError(Self.base + "\nsamplers:\n  - name: llada_low_confidence\n    parameters: {block_length: [4, 5]}\nsteps: [8]\n")
        #expect(own?.key == "samplers[0].parameters.block_length" && own?.line == 7, "\(String(describing: own))")
    }

    @Test func stepBudgetsThatDoNotDivideIntoBlocksAreFoundAtTheirLine() {
        let error = specError(Self.base + "\nsamplers: [{name: llada_low_confidence}]\nsteps: [1, 2, 8]\nblock_length: 4\n")
        #expect(error?.key == "steps" && error?.line == 6, "\(String(describing: error))")
        #expect(error?.message.contains("steps 1 do not divide into the 2 blocks of length 4") == true)
    }

    @Test func parameterErrorsPointAtTheirKey() {
        let error = specError(Self.base + "\nsamplers:\n  - name: llada_low_confidence\n    parameters:\n      temperature: 0\n      block_length: 2.5\nsteps: [8]\n")
        #expect(error?.key == "samplers[0].parameters.block_length" && error?.line == 9, "\(String(describing: error))")
        #expect(error?.message.contains("parameter 'block_length' must be an integer, got '2.5'") == true)
    }

    @Test func countsAreBounded() {
        let error = specError("""
            name: big
            models: [\(fixtureModel)]
            tasks: [{name: addition, examples: 9223372036854775807}]
            samplers: [{name: llada_low_confidence}]
            steps: [1]
            """)
        #expect(error?.key == "tasks[0].examples" && error?.message.contains("must be at most 1099511627776") == true, "\(String(describing: error))")
    }

    @Test func resultsFolderMustExist() {
        let error = specError(Self.base + "\nsamplers: [{name: llada_low_confidence}]\nsteps: [8]\nresults: /no/such/folder/x.sqlite\n")
        #expect(error?.key == "results" && error?.line == 7, "\(String(describing: error))")
        #expect(error?.message.contains("the folder /no/such/folder does not exist") == true)
    }

    /// A billion examples start at once: rows appear while nothing has been listed up front.
    @Test func aBillionExamplesStartAtOnceAndCanBeStopped() throws {
        let folder = try Self.folder()
        let file = folder.appendingPathComponent("huge.yaml")
        try """
            name: huge
            models: [\(fixtureModel)]
            tasks: [{name: addition, examples: 1000000000}]
            samplers: [{name: llada_low_confidence}]
            steps: [1]
            """.write(to: file, atomically: true, encoding: .utf8)
        let process = try startSweep(file)
        let database = folder.appendingPathComponent("results/huge.sqlite")
        let start = Date()
        while rowCount(database) < 3 && Date().timeIntervalSince(start) < 60 && process.isRunning { usleep(50_000) }
        let seconds = Date().timeIntervalSince(start)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(rowCount(database) >= 3, "no rows after \(seconds) s")
    }

    /// An example past --timeout stops the sweep with an error naming the run, and keeps what was written.
    @Test func exampleTimeoutStopsTheSweepClearly() throws {
        let file = try writeSweepSpec(examples: 2)
        let spec = try ExperimentSpec(contentsOf: file)
        try spec.createResultsFolder()
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        runner.exampleTimeout = 1e-9
        let error = #expect(throws: RunError.self) { try runner.run() }
        #expect(error?.underlying is ExampleTimeout, "\(String(describing: error))")
        #expect(try ResultsDatabase(spec.database).count() == 0)
        let outcome = try runDLab(["sweep", file.path, "--quiet", "--timeout", "0.000000001"])
        #expect(outcome.exited && outcome.status != 0 && outcome.errors.contains("exceeded the time limit"), "\(outcome.errors)")
        let bad = try runDLab(["sweep", file.path, "--quiet", "--timeout", "-1"])
        #expect(bad.status != 0 && bad.errors.contains("--timeout must be > 0"), "\(bad.errors)")
    }

    /// The generation length is checked against the model before the first example.
    @Test func generationLengthBeyondTheContextIsRefusedAtStart() throws {
        let folder = try Self.folder()
        let file = folder.appendingPathComponent("long.yaml")
        try """
            name: long
            models: [\(fixtureModel)]
            tasks: [{name: addition, examples: 1}]
            samplers: [{name: llada_low_confidence}]
            steps: [1]
            generation_length: 100000
            """.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try runDLab(["sweep", file.path, "--quiet"])
        #expect(outcome.exited && outcome.status != 0 && outcome.errors.contains("exceed the model's context"), "\(outcome.errors)")
        #expect(outcome.errors.contains("\(file.path):6: generation_length: model llada-moe-parity:"), "\(outcome.errors)")
    }
}
