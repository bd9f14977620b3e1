import Foundation
import Testing
@testable import Sweeps

/// The shipped comparison `Experiments/diffusion-vs-ar.yaml` treats the AR model as one more model: one sweep runs the
/// diffusion samplers on both diffusion models and ar_greedy / ar_mtp on the AR model, and lists every pair a sampler
/// cannot drive. Run here on 2 examples per task (the file's text with its example counts lowered).
@Suite(.serialized) struct DiffusionVsARSpecTests {
    static let experiments = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments")

    @Test func everyModelKindRunsInOneSweep() throws {
        let shipped = try String(contentsOf: Self.experiments.appendingPathComponent("diffusion-vs-ar.yaml"), encoding: .utf8)
        #expect(shipped.contains("examples: 200"))
        let text = shipped.replacingOccurrences(of: "examples: 200", with: "examples: 2")
            .replacingOccurrences(of: "models/tiny-", with: Self.experiments.appendingPathComponent("models").path + "/tiny-")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-dva-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("diffusion-vs-ar.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let spec = try ExperimentSpec(contentsOf: file)
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(spec.database))
        runner.gitCommit = "test"
        runner.batchSize = 1
        let summary = try runner.run()
        // 17 sampler configurations × 3 models × 4 tasks = 204 cells; per task the masked model runs 13, the
        // uniform-state model 3 (DiffusionGemma's sampler), the AR model 5 (greedy, MTP k = 1...4): 21 × 4 = 84.
        #expect(summary.runs == 84)
        #expect(summary.examplesWritten == 168)
        // Skipped pairs, listed once each: 5 AR samplers on the masked model, 15 samplers on the uniform-state one
        // (mask-token and AR ones), 13 diffusion samplers on the AR model.
        #expect(summary.notApplicable.count == 33, "\(summary.notApplicable)")
        #expect(summary.notApplicable.contains { $0.hasPrefix("ar_mtp k=4 × tiny-llada-moe") })
        #expect(summary.notApplicable.contains { $0.hasPrefix("eb_sampler gamma=0.1 × tiny-ar-mtp") })
        let rows = try ResultsDatabase(spec.database).allResults()
        #expect(Set(rows.map(\.model)) == ["tiny-llada-moe", "tiny-diffusiongemma", "tiny-ar-mtp"])
        // MTP drafting changes the passes, never the answer: every ar_mtp row writes greedy's output.
        let greedy = rows.filter { $0.sampler == "ar_greedy" }
        for row in rows where row.sampler == "ar_mtp" {
            #expect(row.output == greedy.first { $0.task == row.task && $0.exampleIndex == row.exampleIndex }?.output)
            #expect(row.nfe <= greedy.first { $0.task == row.task && $0.exampleIndex == row.exampleIndex }?.nfe ?? 0)
        }
    }
}
