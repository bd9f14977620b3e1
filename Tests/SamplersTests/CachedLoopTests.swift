import DiffusionCore
import Testing
@testable import Samplers

/// The loops' side of the block caches (`CachedBlockPasses`): over an exact cache (its cached passes return the full
/// pass's rows of the block) every block sampler must follow the uncached trajectory token for token, with the same
/// NFE, a refresh pass at the start of every block and cached passes for the block's other steps. So the cached rows
/// are read at the right positions and every pass is counted once.
@Suite struct CachedLoopTests {
    @Test(arguments: [("llada_low_confidence", [String: ParameterValue]()), ("fast_dllm_threshold", ["threshold": .double(0.5)]),
                      ("dream_entropy", [:]), ("llada2_threshold", [:]), ("llada21_editing", [:])])
    func exactCacheFollowsTheUncachedTrajectory(sampler name: String, parameters: [String: ParameterValue]) throws {
        let registry = try SamplerRegistry()
        for mode in [CacheMode.prefix, .dual] {
            var (plainParameters, cachedParameters) = (parameters, parameters)
            plainParameters["block_length"] = .int(4)
            cachedParameters["block_length"] = .int(4)
            cachedParameters["cache"] = .string(mode.rawValue)
            let prompt: [TokenID] = [3, 4, 5, 6, 7, 8, 9, 10]
            var (rngA, rngB) = (SeededGenerator(seed: 4), SeededGenerator(seed: 4))
            let plain = try registry.sampler(named: name, parameters: plainParameters)
                .run(prompt: prompt, length: 12, steps: 12, denoiser: ScriptedDenoiser(), rng: &rngA)
            let exact = ExactCachingDenoiser()
            let cached = try registry.sampler(named: name, parameters: cachedParameters)
                .run(prompt: prompt, length: 12, steps: 12, denoiser: exact, rng: &rngB)
            #expect(cached == plain, "\(name) \(mode)")
            #expect(exact.refreshes == 3, "\(name) \(mode): one refresh per block, got \(exact.refreshes)")
            #expect(exact.refreshes + exact.cachedPasses == cached.forwardPasses && exact.cachedPasses > 0)
            #expect(exact.modes == [mode])
        }
    }
}

/// A scripted model whose cache is exact: a cached pass is the full pass, sliced to the block's rows.
private final class ExactCachingDenoiser: BlockCachingDenoiser {
    let scripted = ScriptedDenoiser()
    var vocabularySize: Int { scripted.vocabularySize }
    var specialTokens: SpecialTokens { scripted.specialTokens }
    var kind: DiffusionKind { scripted.kind }
    private(set) var refreshes = 0, cachedPasses = 0
    private(set) var modes: Set<CacheMode> = []

    func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
        try scripted.logits(prefix: prefix, canvas: canvas, conditioning: conditioning)
    }

    func beginBlock(prefix: [TokenID], canvas: [TokenID], block: Range<Int>, mode: CacheMode) throws -> (logits: Logits, cache: any BlockCache) {
        refreshes += 1
        modes.insert(mode)
        return (try logits(prefix: prefix, canvas: canvas, conditioning: nil), Cache(owner: self, prefix: prefix, block: block, mode: mode, length: canvas.count))
    }

    final class Cache: BlockCache {
        let owner: ExactCachingDenoiser, prefix: [TokenID], block: Range<Int>, mode: CacheMode, computedPositions: Range<Int>
        init(owner: ExactCachingDenoiser, prefix: [TokenID], block: Range<Int>, mode: CacheMode, length: Int) {
            (self.owner, self.prefix, self.block, self.mode) = (owner, prefix, block, mode)
            computedPositions = mode == .dual ? block : block.lowerBound ..< length
        }

        func blockLogits(canvas: [TokenID]) throws -> Logits {
            owner.cachedPasses += 1
            let full = try owner.scripted.logits(prefix: prefix, canvas: canvas, conditioning: nil)
            let v = full.vocabularySize
            return Logits(rows: block.count, vocabularySize: v, values: Array(full.values[block.lowerBound * v ..< block.upperBound * v]))
        }
    }
}
