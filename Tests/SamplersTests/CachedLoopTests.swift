import DiffusionCore
import Testing
@testable import Samplers

/// The loops' side of the block caches (`CachedBlockPasses`): over an exact cache (its cached passes return the full
/// pass's rows of the block) every block sampler must follow the uncached trajectory token for token, with the same
/// NFE, a refresh pass at the start of every block and cached passes for the block's other steps. So the cached rows
/// are read at the right positions and every pass is counted once.
@Suite struct CachedLoopTests {
    @Test(arguments: [("llada_low_confidence", [String: ParameterValue]()), ("fast_dllm_threshold", ["threshold": .double(0.5)]),
                      ("dream_entropy", [:]), ("llada2_threshold", [:]), ("llada21_editing", [:]),
                      // Samplers with loops of their own, on `CachedBlockPasses.pass`.
                      ("dus", [:]), ("dus", ["remask_threshold": .double(0.3)]), ("slow_fast", ["high_threshold": .double(0.5)]),
                      ("credit_decoding", ["threshold": .double(0.5)]), ("remdm_llada", [:]), ("remdm_llada", ["temperature": .double(0)])])
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

/// Samplers whose loop cannot honour a block cache take `cache: none` only and refuse prefix and dual with a
/// `ParameterError` on `cache` that names the sampler and gives the reason `dlab samplers show` prints.
@Suite struct RefusedCacheTests {
    static let refusing = ["wino", "prophet", "klass", "saber", "daedal", "remdm_cap", "remdm_rescale", "remdm_conf", "remdm_loop"]

    @Test(arguments: refusing)
    func prefixAndDualAreRefusedWithTheReason(sampler name: String) throws {
        let registry = try SamplerRegistry()
        let entry = try registry.entry(named: name)
        let reason = try #require(entry.about.cacheRefusal)
        #expect(entry.cacheSupport == "none only: " + reason)
        #expect(entry.parameters.contains { $0.key == "cache" && $0.defaultValue == "none" && $0.help.hasSuffix(reason) })
        for mode in ["prefix", "dual"] {
            let expected = ParameterError(sampler: name, key: "cache", value: mode, problem: "is not available (only none): " + reason)
            #expect(throws: expected) { _ = try registry.sampler(named: name, parameters: ["cache": .string(mode)]) }
            #expect("\(expected)".contains("\(name): parameter 'cache'"))
        }
        _ = try registry.sampler(named: name, parameters: ["cache": .string("none")])
        #expect(throws: ParameterError.self) { _ = try registry.sampler(named: name, parameters: ["cache": .string("both")]) }
    }

    /// Every block-wise sampler of the catalogue has the `cache` key: it takes every mode, or refuses with a reason.
    @Test func everyBlockSamplerTakesOrRefusesTheCache() throws {
        let registry = try SamplerRegistry()
        var accepting: [String] = []
        for entry in registry.entries where entry.parameters.contains(where: { $0.key == "block_length" }) {
            #expect(entry.parameters.contains { $0.key == "cache" }, "\(entry.name) has block_length but no cache key")
            if entry.about.cacheRefusal == nil { accepting.append(entry.name) }
        }
        for name in ["dus", "slow_fast", "credit_decoding", "remdm_llada", "llada2_threshold", "llada21_editing"] {
            #expect(accepting.contains(name), "\(name)")
            #expect(try registry.entry(named: name).cacheSupport.hasPrefix("none, prefix or dual"))
        }
        for name in Self.refusing { #expect(!accepting.contains(name)) }
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
