import DiffusionCore
import DiffusionEngine
import Foundation
import GRDB
import Testing
@testable import Sweeps

/// Full traces (`trace: full`): the blob encoding, the answer-step rule on known traces, the round trip through the
/// database, a sweep's traces (size, agreement with the rows), resumption, merging, and the spec key.
@Suite(.serialized) struct FullTraceTests {
    static let special = SpecialTokens(mask: 9, endOfSequence: [8], pad: 7)

    /// A known trace of a re-masking sampler over 4 positions (mask 9, EOS 8): the final answer is "1 2 3" (+EOS).
    /// Step 0: position 2 is masked and the model's top token there is 5, not 3. Step 1: still masked, but the top
    /// token is now 3: the answer is on the canvas. Step 3 re-masks position 1 and the model prefers 4 there; step 4
    /// writes 2 again.
    static func remaskingTrace() throws -> FullTrace {
        let canvases: [[Int32]] = [[1, 9, 9, 9], [1, 2, 9, 8], [1, 2, 3, 8], [1, 9, 3, 8], [1, 2, 3, 8]]
        let predictions: [[Int32]] = [[1, 2, 5, 8], [1, 2, 3, 8], [1, 2, 3, 8], [1, 4, 3, 8], [1, 2, 3, 8]]
        return try FullTrace(width: 4, canvases: canvases, predictions: predictions,
                             confidences: canvases.indices.map { step in (0 ..< 4).map { UInt8(10 * step + $0) } })
    }

    static func unknown(_ steps: Int, _ width: Int) -> [[Int32]] { Array(repeating: Array(repeating: -1, count: width), count: steps) }

    @Test func answerStepIsTheFirstStepTheFinalAnswerIsOnTheCanvas() throws {
        let trace = try Self.remaskingTrace()
        #expect(trace.answerPositions(special: Self.special) == [0, 1, 2])  // EOS is not part of the answer
        #expect(trace.answerStep(special: Self.special) == 1)
        #expect(trace.answerStableStep(special: Self.special) == 4)
        // Without the model's predictions only written tokens count: the answer appears when it is written.
        let written = try FullTrace(width: 4, canvases: trace.canvases, predictions: Self.unknown(5, 4), confidences: trace.confidences)
        #expect(written.answerStep(special: Self.special) == 2 && written.answerStableStep(special: Self.special) == 4)
        // A sampler that never takes a token back, whose model knew the answer from the first pass.
        let monotone = try FullTrace(width: 3, canvases: [[9, 5, 9], [4, 5, 9], [4, 5, 6]],
                                     predictions: Array(repeating: [4, 5, 6], count: 3), confidences: Array(repeating: [0, 0, 0], count: 3))
        #expect(monotone.answerStep(special: Self.special) == 0 && monotone.answerStableStep(special: Self.special) == 0)
        // Padding past a shorter canvas (absent = -1) is not part of the answer; an empty answer has no step.
        let grown = try FullTrace(width: 3, canvases: [[4, -1, -1], [4, 5, -1]], predictions: Self.unknown(2, 3),
                                  confidences: Array(repeating: [0, 0, 0], count: 2))
        #expect(grown.answerPositions(special: Self.special) == [0, 1] && grown.answerStep(special: Self.special) == 1)
        let empty = try FullTrace(width: 2, canvases: [[9, 9], [8, 7]], predictions: Self.unknown(2, 2),
                                  confidences: Array(repeating: [0, 0], count: 2))
        #expect(empty.answerStep(special: Self.special) == nil && empty.answerStableStep(special: Self.special) == nil)
    }

    @Test func blobsRoundTripAndHaveTheStatedSize() throws {
        let trace = try Self.remaskingTrace()
        #expect(trace.canvasBlob.count == 5 * 4 * 4 && trace.predictionBlob.count == 5 * 4 * 4 && trace.confidenceBlob.count == 5 * 4)
        // Little-endian Int32: the second id of the first step (a mask, 9) at bytes 4..<8.
        #expect(Array(trace.canvasBlob[4 ..< 8]) == [9, 0, 0, 0])
        let back = try FullTrace(steps: 5, width: 4, canvasBlob: trace.canvasBlob, predictionBlob: trace.predictionBlob,
                                 confidenceBlob: trace.confidenceBlob)
        #expect(back == trace)
        #expect(throws: FullTraceError.self) {
            try FullTrace(steps: 5, width: 4, canvasBlob: trace.canvasBlob.dropLast(), predictionBlob: trace.predictionBlob,
                          confidenceBlob: trace.confidenceBlob)
        }
        #expect(throws: FullTraceError.self) {
            try FullTrace(steps: Int.max, width: 4, canvasBlob: Data(), predictionBlob: Data(), confidenceBlob: Data())
        }
        #expect(throws: FullTraceError.self) {
            try FullTrace(width: 4, canvases: [[1, 2, 3]], predictions: [[0, 0, 0, 0]], confidences: [[0, 0, 0, 0]])
        }
    }

    @Test func confidenceQuantisationHasTheStatedResolution() {
        for i in 0 ... 1000 {
            let p = Double(i) / 1000
            let code = FullTrace.quantise(p)
            #expect(code != FullTrace.unknownConfidence)
            #expect(abs((FullTrace.probability(code) ?? -1) - p) <= FullTrace.confidenceResolution / 2 + 1e-12)
        }
        #expect(FullTrace.quantise(.nan) == FullTrace.unknownConfidence && FullTrace.quantise(1.5) == FullTrace.unknownConfidence)
        #expect(FullTrace.probability(FullTrace.unknownConfidence) == nil)
    }

    /// The recorder reads the tap's last pass for the traced canvas (one row per position, or one more with
    /// shift_logits), writes a canvas after the earlier canvases' tokens, and leaves other confidences unknown.
    @Test func recorderAlignsConfidencesWithTheCanvas() throws {
        final class Fixed: Denoiser {
            let vocabularySize = 2
            let specialTokens = FullTraceTests.special
            let kind = DiffusionKind.masked
            func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
                // Row r: logits (0, r): top probability 1 / (1 + e^-r) for r > 0, 0.5 for r = 0.
                Logits(rows: canvas.count, vocabularySize: 2, values: canvas.indices.flatMap { [0, Float($0)] })
            }
        }
        let recorder = FullTraceRecorder(base: Fixed())
        try recorder.record(StepTrace(step: 0, positions: [], tokens: [], scores: [], canvas: [9, 9]))  // no pass yet
        _ = try recorder.tap.logits(prefix: [1], canvas: [9, 9], conditioning: nil)
        try recorder.record(StepTrace(step: 1, positions: [0], tokens: [4], scores: [0.5], canvas: [4, 9]))
        _ = try recorder.tap.logits(prefix: [], canvas: [1, 4, 9], conditioning: nil)  // shift_logits: one row more
        try recorder.record(StepTrace(step: 2, positions: [1], tokens: [5], scores: [0.7], canvas: [4, 5]))
        recorder.earlier = [4, 5]
        try recorder.record(StepTrace(step: 0, positions: [0], tokens: [6], scores: [0.7], canvas: [6]))  // rows ≠ canvas
        let trace = try recorder.trace()
        let u = FullTrace.unknownConfidence
        let half = FullTrace.quantise(0.5), high = FullTrace.quantise(1 / (1 + exp(-1.0)))
        #expect(trace.width == 3)
        #expect(trace.canvases == [[9, 9, -1], [4, 9, -1], [4, 5, -1], [4, 5, 6]])
        #expect(trace.predictions == [[-1, -1, -1], [0, 1, -1], [0, 1, -1], [-1, -1, -1]])  // ties: the lowest id
        #expect(trace.confidences == [[u, u, u], [half, high, u], [half, high, u], [u, u, u]])
    }

    /// `ExampleResult` lists its columns to leave `trace` out: a stored property added later without its coding key
    /// would silently not be written, so every property but `trace` must be a coding key.
    @Test func everyPropertyOfARowButItsTraceIsAColumn() {
        let row = ExampleResult(
            runKey: "r", experiment: "e", model: "m", task: "t", taskVersion: 1, split: "eval", taskSeed: 0, exampleIndex: 0,
            sampler: "s", samplerParameters: "{}", samplerConfig: "s", stepBudget: 1, seed: 0, repeatIndex: 0,
            generationLength: 1, blockLength: nil, prompt: "p", output: "o", reference: "o", score: 1, nfe: 1, stepsRun: 1,
            tokensPerForward: 1, wallSeconds: 0, commitSteps: [0], gitCommit: "g", dlabVersion: "v")
        let properties = Set(Mirror(reflecting: row).children.compactMap(\.label))
        #expect(properties.subtracting(["trace"]) == Set(ExampleResult.CodingKeys.allCases.map(\.stringValue)))
    }

    @Test func traceRoundTripsThroughTheDatabaseWithItsRow() throws {
        let folder = try temporaryFolder()
        let database = try ResultsDatabase(folder.appendingPathComponent("t.sqlite"))
        var row = ExampleResult(
            runKey: "r", experiment: "e", model: "m", task: "t", taskVersion: 1, split: "eval", taskSeed: 0, exampleIndex: 3,
            sampler: "s", samplerParameters: "{}", samplerConfig: "s", stepBudget: 5, seed: 0, repeatIndex: 0,
            generationLength: 4, blockLength: nil, prompt: "p", output: "o", reference: "o", score: 1, nfe: 5, stepsRun: 5,
            tokensPerForward: 0.8, wallSeconds: 0.1, commitSteps: [0, 1, 2, 1], gitCommit: "g", dlabVersion: "v")
        let stored = ExampleTrace(try Self.remaskingTrace(), special: Self.special)
        row.trace = stored
        #expect(try database.insert(row))
        #expect(try database.trace(of: row.key) == stored)
        #expect(try database.trace(of: ExampleKey(runKey: "r", exampleIndex: 4, repeatIndex: 0)) == nil)
        // A second write of the row is ignored, and so is its trace (no duplicate, no error).
        #expect(try !database.insert(row))
        #expect(try database.traceCount() == 1)
        // The view answers the question without decoding blobs.
        let view = try #require(try database.read { db in
            try Row.fetchOne(db, sql: "SELECT answer_step, answer_stable_step, answer_fraction FROM trace_answer_steps")
        })
        #expect(try view.decode(Int.self, forColumn: "answer_step") == 1 && view.decode(Int.self, forColumn: "answer_stable_step") == 4)
        #expect(try view.decode(Double.self, forColumn: "answer_fraction") == 0.4)
        // A damaged blob is an error naming the file, not a trap.
        _ = try DatabaseQueue(path: database.url.path).write { db in try db.execute(sql: "UPDATE traces SET width = 5") }
        #expect(throws: ResultsDatabaseError.self) { try ResultsDatabase(database.url).trace(of: row.key) }
    }

    /// The medians `dlab report` prints, on known answer steps: per series, over its traced examples.
    @Test func reportMediansOfKnownAnswerSteps() throws {
        let database = try ResultsDatabase(try temporaryFolder().appendingPathComponent("m.sqlite"))
        let trace = try Self.remaskingTrace()  // 5 steps
        for (index, (config, step)) in [("a", 1), ("a", 4), ("a", 2), ("b", 0), ("b", 3)].enumerated() {
            var row = ExampleResult(
                runKey: config, experiment: "e", model: "m", task: "t", taskVersion: 1, split: "eval", taskSeed: 0,
                exampleIndex: index, sampler: config, samplerParameters: "{}", samplerConfig: config, stepBudget: 5, seed: 0,
                repeatIndex: 0, generationLength: 4, blockLength: nil, prompt: "p", output: "o", reference: "o", score: 1,
                nfe: 5, stepsRun: 5, tokensPerForward: 0.8, wallSeconds: 0.1, commitSteps: [0, 1, 2, 1], gitCommit: "g", dlabVersion: "v")
            row.trace = ExampleTrace(trace, answerStep: step, answerStableStep: 4)
            try database.insert(row)
        }
        let medians = try database.answerStepMedians()
        #expect(medians.map(\.series.samplerConfig) == ["a", "b"] && medians.map(\.examples) == [3, 2])
        #expect(medians.map(\.medianStep) == [3, 2.5])  // 1-based: {2, 5, 3} and {1, 4}
        #expect(medians.map(\.medianFraction) == [0.6, 0.5])
        let table = formatAnswerStepTable(medians)
        #expect(table.contains("median answer step") && table.contains("60%") && table.contains("2.5"), "\(table)")
    }

    /// A sweep with `trace: full` on the fixture model: one trace per row, its last canvas the row's tokens, its
    /// size 9 bytes per step and position, and the view's answer steps those computed here from the blobs.
    @Test func sweepStoresOneCompactTracePerRow() throws {
        let file = try writeTracedSpec(examples: 6)
        let spec = try ExperimentSpec(contentsOf: file)
        #expect(spec.trace == .full)
        try spec.createResultsFolder()
        let database = try ResultsDatabase(spec.database)
        var runner = SweepRunner(spec: spec, database: database)
        runner.gitCommit = "test"
        try runner.run()
        let rows = try database.allResults()
        let traced = try database.traceCount()
        #expect(!rows.isEmpty && traced == rows.count)
        let special = try SpecialTokensOfFixture.read()
        var bytes = 0
        for row in rows {
            let stored = try #require(try database.trace(of: row.key))
            let trace = stored.trace
            #expect(trace.steps == row.stepsRun && trace.width == row.generationLength)
            // Every position committed by the last step, at the step the row records.
            for (position, step) in row.commitSteps.enumerated() where step >= 0 {
                #expect(trace.canvases[step][position] != Int32(special.mask ?? -2))
                if step > 0 { #expect(trace.canvases[step - 1][position] == Int32(special.mask ?? -2)) }
            }
            // The masked loop's pass covers the canvas: every prediction and confidence is known.
            #expect(trace.confidences.allSatisfy { !$0.contains(FullTrace.unknownConfidence) })
            #expect(trace.predictions.allSatisfy { !$0.contains(FullTrace.absent) })
            #expect(stored.answerStep == trace.answerStep(special: special))
            #expect(stored.answerStableStep == trace.answerStableStep(special: special))
            let size = trace.canvasBlob.count + trace.predictionBlob.count + trace.confidenceBlob.count
            bytes += size
            #expect(size == 9 * row.stepsRun * row.generationLength)
        }
        let stored = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT SUM(LENGTH(canvases) + LENGTH(predictions) + LENGTH(confidences)) FROM traces") ?? 0
        }
        #expect(stored == bytes)
        let medians = try database.answerStepMedians()
        #expect(!medians.isEmpty && medians.allSatisfy { $0.medianStep >= 1 && $0.medianFraction > 0 && $0.medianFraction <= 1 })
        let report = try runDLab(["report", file.path])
        #expect(report.status == 0 && report.output.contains("When the final answer first appears"), "\(report.errors)")
    }

    /// A sweep stopped by a failing example and resumed ends with the traces of an uninterrupted sweep: every row
    /// has its trace, none twice, each identical.
    @Test func resumedSweepHasTheTracesOfAnUninterruptedOne() throws {
        final class Calls: @unchecked Sendable {
            let lock = NSLock()
            var count = 0
            var failAt: Int?
            func next() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
        }
        let calls = Calls()
        let builtIn = SamplerCatalog.builtIn
        let flaky = SamplerCatalog(names: builtIn.names) { name, parameters, block in
            let real = try builtIn.make(name, parameters, block)
            return SweepSampler(name: real.name, parameters: real.parameters, modelKinds: real.modelKinds) {
                prompt, length, steps, denoiser, rng, trace in
                if calls.next() == calls.failAt { throw SamplerSeamError("stopped on purpose") }
                return try real.generate(prompt, length, steps, denoiser, &rng, trace)
            }
        }
        let whole = try writeTracedSpec(examples: 6, name: "whole")
        let wholeSpec = try ExperimentSpec(contentsOf: whole)
        try wholeSpec.createResultsFolder()
        try SweepRunner(spec: wholeSpec, database: try ResultsDatabase(wholeSpec.database)).run()

        let file = try writeTracedSpec(examples: 6, name: "resumed")
        let spec = try ExperimentSpec(contentsOf: file, catalog: flaky)
        try spec.createResultsFolder()
        calls.failAt = 11
        var stopped = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        stopped.batchSize = 1  // one example at a time: exactly the 10 before the failure are written
        #expect(throws: RunError.self) { try stopped.run() }
        let partial = try ResultsDatabase(spec.database)
        #expect(try partial.count() == 10 && partial.traceCount() == 10)
        calls.failAt = nil
        try SweepRunner(spec: spec, database: partial).run()

        let reference = try ResultsDatabase(wholeSpec.database)
        let keys = try reference.existingKeys()
        #expect(try partial.existingKeys() == keys && partial.traceCount() == keys.count)
        for key in keys { #expect(try partial.trace(of: key) == reference.trace(of: key)) }
        // Merging carries the traces along.
        let merged = try ResultsDatabase(file.deletingLastPathComponent().appendingPathComponent("merged.sqlite"))
        _ = try merged.merge(from: [spec.database])
        #expect(try merged.traceCount() == keys.count)
        for key in keys { #expect(try merged.trace(of: key) == reference.trace(of: key)) }
    }

    /// A file-backed task decoded canvas after canvas: each traced step shows everything generated so far (the
    /// finished canvases, then the current one), so the last step holds the whole output.
    @Test func canvasAfterCanvasTracesTheWholeOutput() throws {
        let folder = try FileTaskSweepTests().experiment()
        let definition = folder.appendingPathComponent("tasks/sums.yaml")
        try (try String(contentsOf: definition, encoding: .utf8)).replacingOccurrences(of: "generation_length: 5", with: "generation_length: 15")
            .write(to: definition, atomically: true, encoding: .utf8)
        let specFile = folder.appendingPathComponent("filetask.yaml")
        try (try String(contentsOf: specFile, encoding: .utf8))
            .replacingOccurrences(of: "steps: [5]", with: "steps: [5]\ngeneration_length: 5\ntrace: full")
            .write(to: specFile, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: specFile)
        let database = try ResultsDatabase(spec.database)
        try SweepRunner(spec: spec, database: database).run()
        let rows = try database.allResults()
        #expect(rows.count == 4 && rows.contains { $0.commitSteps.count > 5 }, "no example needed a second canvas")
        for row in rows {
            let trace = try #require(try database.trace(of: row.key)).trace
            let total = row.commitSteps.count
            #expect(trace.steps == row.stepsRun && trace.width == total)
            let last = try #require(trace.canvases.last)
            #expect(!last.contains(FullTrace.absent))
            for (step, canvas) in trace.canvases.enumerated() {
                // Canvas k (5 steps each) shows 5·(k+1) tokens, the finished canvases as they ended.
                let shown = 5 * (step / 5 + 1)
                #expect(canvas.prefix(shown).allSatisfy { $0 != FullTrace.absent } && canvas.dropFirst(shown).allSatisfy { $0 == FullTrace.absent })
                #expect(Array(canvas.prefix(5 * (step / 5))) == Array(last.prefix(5 * (step / 5))))
            }
        }
    }

    @Test func specKeyTakesCommitsOrFull() throws {
        let base = "name: t\nmodels: [\(fixtureModel)]\ntasks: [{name: addition, examples: 2}]\nsamplers: [{name: llada_low_confidence}]\nsteps: [2]\n"
        #expect(try spec(base).trace == .commits)
        #expect(try spec(base + "trace: commits\n").trace == .commits)
        #expect(try spec(base + "trace: full\n").trace == .full)
        let error = specError(base + "trace: everything\n")
        #expect(error?.key == "trace" && error?.line == 6)
        #expect(error?.message.contains("'full'") == true && error?.message.contains("everything") == true)
    }
}

/// The special tokens of the fixture model, read the way a sweep reads them.
enum SpecialTokensOfFixture {
    static func read() throws -> SpecialTokens {
        try ModelFolder(URL(fileURLWithPath: fixtureModel)).denoiser.specialTokens
    }
}

func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-trace-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// A small sweep with full traces on the fixture model.
func writeTracedSpec(examples: Int, name: String = "traced") throws -> URL {
    let folder = try temporaryFolder()
    let file = folder.appendingPathComponent("\(name).yaml")
    try """
        name: \(name)
        models: [\(fixtureModel)]
        tasks:
          - {name: addition, examples: \(examples), seed: 3}
        samplers:
          - name: llada_low_confidence
        steps: [2, 5]
        trace: full
        """.write(to: file, atomically: true, encoding: .utf8)
    return file
}
