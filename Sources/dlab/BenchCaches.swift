import DiffusionCore
import DiffusionEngine
import Foundation

/// `dlab bench --caches`: milliseconds per denoising step of a LLaDA-MoE model without a cache and with Fast-dLLM's
/// prefix and dual caches (LLaDAMoECache.swift), at a prompt of 4× the block length and a canvas of 1 and 4 blocks: for
/// each block, the median of a full pass (what every step costs uncached, and what the block's first, refreshing
/// step costs cached) and of a cached pass over the block's computed positions; ratios against the full pass of the
/// same run. Each time is given as the median thread CPU time (steady on a busy machine; the whole cost with one BLAS
/// thread, which `--threads 1` gives) and the median wall time. Then the same steps of 8 sequences stacked in one
/// pass, as a batched sweep serves them (`LLaDAMoEModel.blockPasses`), uncached and cached.
struct CacheBench {
    static let blockLength = 32
    /// Sequences per batched pass in the batched timing (a sweep's default batch for a 32-position canvas is 8).
    static let batchSequences = 8

    let repeats: Int

    func time(_ model: LLaDAMoEModel, name: String) throws {
        for blocks in [1, 4] { try time(model, name: name, blocks: blocks) }
    }

    private func time(_ model: LLaDAMoEModel, name: String, blocks: Int) throws {
        let block = Self.blockLength
        var generator = SeededGenerator(seed: 7)
        let vocabulary = model.vocabularySize
        let mask = model.config.maskTokenID ?? 0
        let prompt = (0 ..< 4 * block).map { _ in generator.nextInt(below: vocabulary) }
        let length = blocks * block
        guard prompt.count + length <= model.config.maxPositions else {
            print("\(name): \(prompt.count + length) positions exceed its context; no cache timing")
            return
        }
        print("\(name): prompt \(prompt.count) = 4 × block \(block), canvas \(length) (\(blocks) block\(blocks == 1 ? "" : "s")); ms per step, medians of \(repeats)")
        print("  block   none ms cpu (wall)   prefix ms cpu (wall)  × none   dual ms cpu (wall)  × none")
        var sums = (none: 0.0, prefix: 0.0, dual: 0.0)
        for b in 0 ..< blocks {
            // Earlier blocks decoded, this one half decoded, later ones masked: the canvas of a step inside block b.
            var canvas = [TokenID](repeating: mask, count: length)
            for p in 0 ..< b * block + block / 2 { canvas[p] = generator.nextInt(below: vocabulary) }
            let range = b * block ..< (b + 1) * block
            let none = try medians { _ = try model.logits(prefix: prompt, canvas: canvas, conditioning: nil) }
            let prefix = try cachedStep(model, prompt, canvas, range, .prefix)
            let dual = try cachedStep(model, prompt, canvas, range, .dual)
            sums = (sums.none + none.cpu, sums.prefix + prefix.cpu, sums.dual + dual.cpu)
            print(String(format: "  %5d %11.2f (%6.2f) %12.2f (%6.2f) %6.2f× %10.2f (%6.2f) %6.2f×", b, none.cpu * 1e3, none.wall * 1e3,
                         prefix.cpu * 1e3, prefix.wall * 1e3, none.cpu / prefix.cpu, dual.cpu * 1e3, dual.wall * 1e3, none.cpu / dual.cpu))
        }
        let n = Double(blocks)
        print(String(format: "  mean  %11.2f %21.2f %15.2f× %10.2f %15.2f×", sums.none / n * 1e3, sums.prefix / n * 1e3,
                     sums.none / sums.prefix, sums.dual / n * 1e3, sums.none / sums.dual))
        try timeBatched(model, prompt: prompt, length: length, blocks: blocks)
    }

    /// Sequences stacked in one pass, as a batched sweep runs them: the same steps as above for `batchSequences`
    /// sequences at once (block b of sequence b mod blocks), ms per sequence-step, uncached and cached.
    private func timeBatched(_ model: LLaDAMoEModel, prompt: [TokenID], length: Int, blocks: Int) throws {
        let count = Self.batchSequences
        var generator = SeededGenerator(seed: 11)
        let vocabulary = model.vocabularySize
        let mask = model.config.maskTokenID ?? 0
        let steps = (0 ..< count).map { s -> (canvas: [TokenID], block: Range<Int>) in
            let b = s % blocks
            var canvas = [TokenID](repeating: mask, count: length)
            for p in 0 ..< b * Self.blockLength + Self.blockLength / 2 { canvas[p] = generator.nextInt(below: vocabulary) }
            return (canvas, b * Self.blockLength ..< (b + 1) * Self.blockLength)
        }
        let calls = steps.map { DenoiserCall(prefix: prompt, canvas: $0.canvas, conditioning: nil) }
        let none = try medians { _ = try model.logits(batch: calls) }.cpu / Double(count)
        func cached(_ mode: CacheMode) throws -> Double {
            let caches = try steps.map { try model.beginBlock(prefix: prompt, canvas: $0.canvas, block: $0.block, mode: mode).cache }
            let passes = zip(caches, steps).map { BlockPass(cache: $0, canvas: $1.canvas) }
            return try medians { _ = try model.blockPasses(passes) }.cpu / Double(count)
        }
        let (prefix, dual) = (try cached(.prefix), try cached(.dual))
        print(String(format: "  ×%d batched, ms cpu per sequence-step: none %.2f, prefix %.2f (%.2f×), dual %.2f (%.2f×)",
                     count, none * 1e3, prefix * 1e3, none / prefix, dual * 1e3, none / dual))
    }

    /// Median seconds of a cached pass (the cache filled once, outside the timing).
    private func cachedStep(_ model: LLaDAMoEModel, _ prompt: [TokenID], _ canvas: [TokenID], _ block: Range<Int>,
                            _ mode: CacheMode) throws -> (cpu: Double, wall: Double) {
        let cache = try model.beginBlock(prefix: prompt, canvas: canvas, block: block, mode: mode).cache
        return try medians { _ = try cache.blockLogits(canvas: canvas) }
    }

    /// Median thread CPU seconds and median wall seconds of `repeats` runs after one warm-up run.
    private func medians(_ body: () throws -> Void) throws -> (cpu: Double, wall: Double) {
        try body()
        var (cpu, wall) = ([Double](), [Double]())
        for _ in 0 ..< max(repeats, 1) {
            let startCPU = Self.threadCPUSeconds()
            wall.append(try Stopwatch.seconds(body))
            cpu.append(Self.threadCPUSeconds() - startCPU)
        }
        return (cpu.sorted()[cpu.count / 2], wall.sorted()[wall.count / 2])
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
