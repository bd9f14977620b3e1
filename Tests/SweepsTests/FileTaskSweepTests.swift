import Foundation
import GRDB
import Testing
@testable import Sweeps
import Tasks

/// A file-backed task in a sweep and in `dlab sample`, end to end on the shipped tiny model: addition problems written
/// as a JSONL benchmark (the tiny model's vocabulary), scored by two scores.
@Suite(.serialized) struct FileTaskSweepTests {
    /// An experiment folder: the spec, tasks/sums.yaml and data/sums.jsonl.
    func experiment(answers: [String] = ["11512", "00003", "10000", "05555"]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-filetask-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tasks"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        let prompts = ["A8652+2860=", "A0001+0002=", "A5000+5000=", "A1234+4321="]
        let lines = zip(prompts, answers).map { "{\"problem\": \"\($0)\", \"sum\": \"\($1)\"}" }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("data/sums.jsonl"), atomically: true, encoding: .utf8)
        try """
            name: sums
            data: {eval: ../data/sums.jsonl}
            prompt: {template: "{{problem}}", target: "{{sum}}"}
            generation_length: 5
            scores:
              - {name: exact, extractor: whole_output, scorer: exact_match}
              - {name: last-number, extractor: gsm8k_flexible, scorer: gsm8k_exact_match}
            """.write(to: folder.appendingPathComponent("tasks/sums.yaml"), atomically: true, encoding: .utf8)
        try """
            name: filetask
            models: [\(FileTaskPaths.tinyModel)]
            tasks:
              - {name: sums, examples: 4}
            samplers:
              - name: llada_low_confidence
            steps: [5]
            """.write(to: folder.appendingPathComponent("filetask.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func bothScoresAreStoredAndAChangedFileStartsNewRuns() throws {
        let folder = try experiment()
        let specFile = folder.appendingPathComponent("filetask.yaml")
        let spec = try ExperimentSpec(contentsOf: specFile)
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        #expect(try runner.run().examplesWritten == 4)
        let rows = try ResultsDatabase(spec.database).allResults()
        #expect(rows.count == 4)
        for row in rows {
            let scores = try #require(row.scores.flatMap { try? JSONDecoder().decode([String: Double].self, from: Data($0.utf8)) })
            #expect(Set(scores.keys) == ["exact", "last-number"])
            #expect(scores["exact"] == row.score)
            #expect(row.task == "sums" && row.taskVersion == spec.tasks[0].task.version)
        }
        // The tiny model was trained on addition: most answers are right.
        #expect(rows.filter { $0.score == 1 }.count >= 3)
        let named = try ResultsDatabase(spec.database).namedScoreAggregates()
        #expect(named.map(\.name) == ["exact", "last-number"] && named.allSatisfy { $0.examples == 4 })
        #expect(named[0].sum == rows.reduce(0) { $0 + $1.score })
        #expect(formatNamedScoreTable(named).contains("last-number"))

        // A changed data file is a new task version: new runs, the old rows stay as they were.
        let changed = try String(contentsOf: folder.appendingPathComponent("data/sums.jsonl"), encoding: .utf8)
            .replacingOccurrences(of: "05555", with: "05556")
        try changed.write(to: folder.appendingPathComponent("data/sums.jsonl"), atomically: true, encoding: .utf8)
        let respec = try ExperimentSpec(contentsOf: specFile)
        #expect(respec.tasks[0].task.version != spec.tasks[0].task.version)
        var rerun = SweepRunner(spec: respec, database: try ResultsDatabase(respec.database))
        rerun.gitCommit = "test"
        #expect(try rerun.run().examplesWritten == 4)
        let all = try ResultsDatabase(spec.database).allResults()
        #expect(all.count == 8 && Set(all.map(\.taskVersion)).count == 2)
        // Reports and figures read the current version only: 4 examples per point, not 8, and the 4 older rows are
        // counted as left out.
        let database = try ResultsDatabase(spec.database)
        #expect(try database.aggregates().allSatisfy { $0.examples == 4 })
        #expect(try database.namedScoreAggregates().allSatisfy { $0.examples == 4 })
        #expect(try database.staleTaskVersionRows().values.reduce(0, +) == 4)
        let point = try #require(try database.aggregates().first)
        let rowsOfPoint = try database.results(task: point.task, samplerConfig: point.samplerConfig, stepBudget: point.stepBudget)
        #expect(rowsOfPoint.count == 4 && rowsOfPoint.allSatisfy { $0.taskVersion == respec.tasks[0].task.version })
    }

    @Test func canvasAfterCanvasUntilAStopString() throws {
        let folder = try experiment()
        let definition = folder.appendingPathComponent("tasks/sums.yaml")
        // The task generates up to 15 tokens in canvases of 5 (the spec's generation_length); any digit stops it.
        try (try String(contentsOf: definition, encoding: .utf8))
            .replacingOccurrences(of: "generation_length: 5", with: "generation_length: 15\nstop: [\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\"]")
            .write(to: definition, atomically: true, encoding: .utf8)
        let specFile = folder.appendingPathComponent("filetask.yaml")
        try (try String(contentsOf: specFile, encoding: .utf8)).replacingOccurrences(of: "steps: [5]", with: "steps: [5]\ngeneration_length: 5")
            .write(to: specFile, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: specFile)
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        try runner.run()
        let rows = try ResultsDatabase(spec.database).allResults()
        #expect(rows.count == 4 && rows.filter { $0.output.contains(where: \.isNumber) }.count >= 3)
        for row in rows where row.output.contains(where: \.isNumber) {
            // A digit in the first canvas: no second canvas, 5 steps of one canvas.
            #expect(row.commitSteps.count == 5 && row.nfe == 5, "\(row.output)")
        }
        // The stop string cuts the scored text: everything from the first digit on is gone, so nothing is right.
        #expect(rows.allSatisfy { $0.score == 0 })
    }

    @Test func specErrorsNameTheTaskEntry() throws {
        let folder = try experiment()
        let specFile = folder.appendingPathComponent("filetask.yaml")
        let text = try String(contentsOf: specFile, encoding: .utf8)
        try text.replacingOccurrences(of: "examples: 4", with: "examples: 5").write(to: specFile, atomically: true, encoding: .utf8)
        #expect(throws: SpecError.self) { try ExperimentSpec(contentsOf: specFile) }
        do {
            _ = try ExperimentSpec(contentsOf: specFile)
        } catch {
            #expect("\(error)".contains("tasks[0].examples: task 'sums' has 4 eval examples, fewer than 5"))
        }
        try text.replacingOccurrences(of: "name: sums", with: "name: tasks/nope.yaml").write(to: specFile, atomically: true, encoding: .utf8)
        do {
            _ = try ExperimentSpec(contentsOf: specFile)
            Issue.record("a missing definition must be an error")
        } catch {
            #expect("\(error)".contains("tasks[0].name: unknown task 'tasks/nope.yaml'"), "\(error)")
        }
        // A code task needs allow_code_execution on its entry.
        try FileManager.default.copyItem(at: FileTaskPaths.definitions.appendingPathComponent("humaneval.yaml"),
                                         to: folder.appendingPathComponent("tasks/humaneval.yaml"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tasks/data/humaneval"), withIntermediateDirectories: true)
        try #"{"task_id": "t", "prompt": "def f():\n", "canonical_solution": "    return 1\n", "test": "def check(c):\n    assert c() == 1\n", "entry_point": "f"}"#
            .write(to: folder.appendingPathComponent("tasks/data/humaneval/HumanEval.jsonl"), atomically: true, encoding: .utf8)
        try text.replacingOccurrences(of: "{name: sums, examples: 4}", with: "{name: humaneval, examples: 1}")
            .write(to: specFile, atomically: true, encoding: .utf8)
        do {
            _ = try ExperimentSpec(contentsOf: specFile)
            Issue.record("a code task without allow_code_execution must be an error")
        } catch {
            #expect("\(error)".contains("add allow_code_execution: true"), "\(error)")
        }
        try text.replacingOccurrences(of: "{name: sums, examples: 4}", with: "{name: humaneval, examples: 1, allow_code_execution: true}")
            .write(to: specFile, atomically: true, encoding: .utf8)
        #expect(try ExperimentSpec(contentsOf: specFile).tasks[0].task.name == "humaneval")
    }

    @Test func dlabSampleAndTasksScoreOnAFileTask() throws {
        let folder = try experiment()
        func dlab(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = try dlabExecutable()
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["DLAB_TASKS": folder.appendingPathComponent("tasks").path]) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        let sample = try dlab(["sample", "--model", FileTaskPaths.tinyModel, "--task", "sums", "--index", "3"])
        #expect(sample.status == 0 && sample.output.contains("prompt:  A1234+4321=") && sample.output.contains("exact"), "\(sample.output)")
        let outOfRange = try dlab(["sample", "--model", FileTaskPaths.tinyModel, "--task", "sums", "--index", "4"])
        #expect(outOfRange.status != 0 && outOfRange.output.contains("has 4 eval examples"), "\(outOfRange.output)")
        let predictions = folder.appendingPathComponent("predictions.jsonl")
        try "{\"output\": \"11512\"}\n{\"index\": 3, \"output\": \"The sum is 5555.\"}\n".write(to: predictions, atomically: true, encoding: .utf8)
        let scored = try dlab(["tasks", "score", "sums", "--predictions", predictions.path])
        let lines = scored.output.split(separator: "\n")
        #expect(scored.status == 0 && lines.count == 3, "\(scored.output)")
        #expect(lines.last?.contains(#""mean":{"exact":0.5,"last-number":0.5}"#) == true, "\(scored.output)")
        // Bad predictions: the line is named, the exit status is not 0, and no line is scored.
        try "{\"output\": \"11512\"}\n{\"index\": 9, \"output\": \"1\"}\n".write(to: predictions, atomically: true, encoding: .utf8)
        let bad = try dlab(["tasks", "score", "sums", "--predictions", predictions.path])
        #expect(bad.status != 0 && bad.output.contains("predictions.jsonl:2: task 'sums' has 4 eval examples"), "\(bad.output)")
        #expect(!bad.output.contains("\"scores\""), "\(bad.output)")
        try "{\"output\": \"11512\"}\n{\"output\": \"1\"\n".write(to: predictions, atomically: true, encoding: .utf8)
        let malformed = try dlab(["tasks", "score", "sums", "--predictions", predictions.path])
        #expect(malformed.status != 0 && malformed.output.contains("predictions.jsonl:2: not a JSON object"), "\(malformed.output)")
        let builtIn = try dlab(["tasks", "score", "addition", "--predictions", predictions.path])
        #expect(builtIn.status != 0 && builtIn.output.contains("is a built-in task"), "\(builtIn.output)")
        // A sweep on the task, then `dlab report`: the accuracy table and every named score.
        let sweep = try dlab(["sweep", folder.appendingPathComponent("filetask.yaml").path, "--quiet"])
        #expect(sweep.status == 0, "\(sweep.output)")
        let report = try dlab(["report", folder.appendingPathComponent("filetask.yaml").path])
        #expect(report.status == 0 && report.output.contains("Every score of tasks that report several")
            && report.output.contains("last-number") && report.output.contains("exact"), "\(report.output)")
        let listed = try dlab(["tasks", "list"])
        #expect(listed.output.contains("sums "), "\(listed.output)")
    }
}

enum FileTaskPaths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let definitions = repository.appendingPathComponent("Experiments/tasks")
    /// The shipped tiny model, trained on addition (the parity fixture model has random weights).
    static let tinyModel = repository.appendingPathComponent("Experiments/models/tiny-llada-moe").path
}
