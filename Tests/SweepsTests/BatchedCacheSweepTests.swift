import DiffusionCore
import Foundation
import GRDB
import Samplers
import Testing
@testable import Sweeps

/// Cached runs batched must not change results: every built-in sampler that takes `cache`, with `prefix` and with
/// `dual`, on the tiny LLaDA-MoE model, gives the same rows (tokens, score, NFE, steps, commit steps, positions
/// computed: every column but timing and batch size) one example at a time and with examples running together,
/// their refresh and cached passes served by batched passes (BatchSlotCache.swift).
@Suite(.serialized) struct BatchedCacheSweepTests {
    func spec(sampler: String, cache: CacheMode) throws -> ExperimentSpec? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-batch-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("results"), withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("batched-cache.yaml")
        try """
            name: batched-cache
            models: [\(BatchedSweepTests.tinyModel)]
            tasks:
              - {name: sudoku4, examples: 5, seed: 1}
              - {name: sorting, examples: 4, seed: 2}
            samplers:
              - name: \(sampler)
                parameters: {cache: \(cache.rawValue)}
            block_length: 4
            steps: [4, 16]
            seeds: [0]
            """.write(to: file, atomically: true, encoding: .utf8)
        do {
            return try ExperimentSpec(contentsOf: file)
        } catch is SpecError {
            return nil  // a sampler that does not take `cache` (or `block_length`)
        }
    }

    @Test(arguments: [CacheMode.prefix, .dual])
    func everyCachingSamplerGivesTheSameRowsBatched(cache: CacheMode) throws {
        var compared: [String] = []
        for name in SamplerCatalog.builtIn.names {
            guard let spec = try spec(sampler: name, cache: cache) else { continue }
            var rows: [Int: [[DatabaseValue]]] = [:]
            do {
                for batch in [1, 4, 32] {
                    let url = spec.database.deletingLastPathComponent().appendingPathComponent("batch-\(batch).sqlite")
                    var runner = SweepRunner(spec: spec, database: try ResultsDatabase(url))
                    runner.gitCommit = "test"
                    runner.batchSize = batch
                    let summary = try runner.run()
                    if summary.examplesWritten == 0 { break }  // a sampler for other models only
                    rows[batch] = try deterministicRows(url)
                    let (sizes, modes) = try ResultsDatabase(url).read { db in
                        (try Int.fetchAll(db, sql: "SELECT DISTINCT batch_size FROM examples ORDER BY 1"),
                         try String.fetchAll(db, sql: "SELECT DISTINCT cache_mode FROM examples"))
                    }
                    #expect(modes == [cache.rawValue], "\(name)")
                    // The runs really ran batched (5 sudoku4 examples per run, and consecutive runs of the model and
                    // canvas share passes: batches of at least one run's examples).
                    #expect(sizes.allSatisfy { $0 <= batch } && (sizes.max() ?? 0) >= min(batch, 5), "\(name): batch sizes \(sizes)")
                }
            } catch let error as RunError where error.underlying is SamplerError || error.underlying is ParameterError {
                continue
            }
            guard rows[1] != nil else { continue }
            compared.append(name)
            #expect(rows[4] == rows[1], "\(name) \(cache): batch 4")
            #expect(rows[32] == rows[1], "\(name) \(cache): batch 32")
        }
        print("batched \(cache.rawValue)-cached runs compared: \(compared.joined(separator: ", "))")
        #expect(compared.count >= 5, "compared only \(compared)")
        #expect(compared.contains("llada_low_confidence") && compared.contains("fast_dllm_threshold"), "compared \(compared)")
    }
}
