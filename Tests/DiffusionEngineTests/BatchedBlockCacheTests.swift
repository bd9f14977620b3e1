import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// Block caches served in one batched pass (`LLaDAMoEModel.blockPasses`, LLaDAMoECachedPasses.swift) against each
/// cache run alone: the refresh passes and the cached passes of several sequences (different prompts, canvases,
/// blocks and cache modes) give each sequence's logits. Not bitwise in general, as for plain batched passes
/// (BatchedForwardTests): the stacked sgemms may round a row differently, bounded by the same 1e-4 relative to the
/// largest logit; a batch of one is the pass alone, bit for bit. Whole sweeps compare tokens exactly
/// (BatchedCacheSweepTests).
@Suite struct BatchedBlockCacheTests {
    static let tolerance: Float = 1e-4

    /// A sequence: a prompt, a canvas of 4 blocks of 6 with block `b` half filled, and the cache mode.
    struct Sequence {
        let prefix: [TokenID]
        var canvas: [TokenID]
        let block: Range<Int>
        let mode: CacheMode
    }

    static func sequences(_ model: LLaDAMoEModel) -> [Sequence] {
        var generator = SeededGenerator(seed: 21)
        let vocabulary = model.vocabularySize
        let mask = model.config.maskTokenID ?? 1
        return [(5, 0, CacheMode.prefix), (12, 2, .dual), (1, 3, .prefix), (9, 1, .dual), (7, 1, .prefix)].map { length, b, mode in
            let prefix = (0 ..< length).map { _ in 3 + generator.nextInt(below: vocabulary - 3) }
            var canvas = [TokenID](repeating: mask, count: 24)
            for p in 0 ..< 6 * b + 3 { canvas[p] = 3 + generator.nextInt(below: vocabulary - 3) }
            return Sequence(prefix: prefix, canvas: canvas, block: 6 * b ..< 6 * (b + 1), mode: mode)
        }
    }

    func expectClose(_ batched: Logits, _ alone: Logits, _ what: String) {
        #expect(batched.rows == alone.rows && batched.vocabularySize == alone.vocabularySize, "\(what)")
        let scale = max(1, alone.values.reduce(Float(0)) { max($0, abs($1)) })
        let error = maxAbsDifference(batched.values, alone.values)
        #expect(error <= Self.tolerance * scale, "\(what): off by \(error) at logits up to \(scale)")
    }

    @Test func batchedCachePassesMatchCachesAlone() throws {
        MatMul.setThreads(1)
        for (name, model) in try BlockCacheTests.models() {
            var sequences = Self.sequences(model)
            let alone = try sequences.map { try model.beginBlock(prefix: $0.prefix, canvas: $0.canvas, block: $0.block, mode: $0.mode) }
            let caches = try sequences.map { try model.emptyBlockCache(prefix: $0.prefix, canvas: $0.canvas, block: $0.block, mode: $0.mode) }
            let refreshed = try model.blockPasses(caches.map { BlockPass(cache: $0, canvas: nil) })
            for i in sequences.indices { expectClose(refreshed[i], alone[i].logits, "\(name) sequence \(i): refresh") }
            // Three cached steps, each filling one more block position, served together.
            for step in 0 ..< 3 {
                for i in sequences.indices {
                    let mask = model.config.maskTokenID ?? 1
                    if let open = sequences[i].block.first(where: { sequences[i].canvas[$0] == mask }) {
                        sequences[i].canvas[open] = 3 + (open * 7 + step) % (model.vocabularySize - 3)
                    }
                }
                let batched = try model.blockPasses(zip(caches, sequences).map { BlockPass(cache: $0, canvas: $1.canvas) })
                for i in sequences.indices {
                    let single = try alone[i].cache.blockLogits(canvas: sequences[i].canvas)
                    #expect(batched[i].rows == sequences[i].block.count)
                    expectClose(batched[i], single, "\(name) sequence \(i) (\(sequences[i].mode)): cached step \(step)")
                }
            }
        }
    }

    @Test func batchOfOneIsThePassAlone() throws {
        MatMul.setThreads(1)
        let model = try BlockCacheTests.models()[0].1
        let sequence = Self.sequences(model)[1]
        let alone = try model.beginBlock(prefix: sequence.prefix, canvas: sequence.canvas, block: sequence.block, mode: .dual)
        let cache = try model.emptyBlockCache(prefix: sequence.prefix, canvas: sequence.canvas, block: sequence.block, mode: .dual)
        #expect(try model.blockPasses([BlockPass(cache: cache, canvas: nil)])[0].values == alone.logits.values)
        #expect(try model.blockPasses([BlockPass(cache: cache, canvas: sequence.canvas)])[0].values
            == (try alone.cache.blockLogits(canvas: sequence.canvas)).values)
    }

    @Test func badBatchesAreRefusedByName() throws {
        let model = try BlockCacheTests.models()[0].1
        let sequences = Self.sequences(model)
        let caches = try sequences.map { try model.emptyBlockCache(prefix: $0.prefix, canvas: $0.canvas, block: $0.block, mode: $0.mode) }
        // A cached pass before its refresh pass, the same cache twice, a changed token outside the computed positions.
        #expect(throws: ModelInputError.self) { _ = try model.blockPasses([BlockPass(cache: caches[0], canvas: sequences[0].canvas)]) }
        #expect(throws: ModelInputError.self) {
            _ = try model.blockPasses([BlockPass(cache: caches[0], canvas: nil), BlockPass(cache: caches[0], canvas: nil)])
        }
        _ = try model.blockPasses(caches.map { BlockPass(cache: $0, canvas: nil) })
        var changed = sequences[1].canvas
        changed[0] = 3 + (changed[0] + 1 - 3) % (model.vocabularySize - 3)  // before sequence 1's dual block
        #expect(throws: ModelInputError.self) {
            _ = try model.blockPasses([BlockPass(cache: caches[0], canvas: sequences[0].canvas), BlockPass(cache: caches[1], canvas: changed)])
        }
    }
}
