import DiffusionCore
import Testing

@Suite struct SeededGeneratorTests {
    @Test func splitMix64KnownValues() {
        // Reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func sameSeedSameStream() {
        var a = SeededGenerator(seed: 42, stream: 7)
        var b = SeededGenerator(seed: 42, stream: 7)
        var c = SeededGenerator(seed: 42, stream: 8)
        let first = (0 ..< 5).map { _ in a.next() }
        #expect(first == (0 ..< 5).map { _ in b.next() })
        #expect(first != (0 ..< 5).map { _ in c.next() })
    }

    @Test func boundedIntegersAreInRangeAndCoverIt() {
        var generator = SeededGenerator(seed: 3)
        var seen = Set<Int>()
        for _ in 0 ..< 2000 {
            let value = generator.nextInt(below: 7)
            #expect((0 ..< 7).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 7)
    }

    @Test func openUnitDoublesAreNeverZeroOrOne() {
        var generator = SeededGenerator(seed: 9)
        for _ in 0 ..< 10000 {
            let u = generator.nextOpenUnitDouble()
            #expect(u > 0 && u < 1)
        }
    }
}

@Suite struct CountingDenoiserTests {
    final class Constant: Denoiser {
        let vocabularySize = 3
        let specialTokens = SpecialTokens(mask: 0, endOfSequence: [], pad: nil)
        let kind = DiffusionKind.masked
        func logits(prefix: [TokenID], canvas: [TokenID], conditioning: Conditioning?) throws -> Logits {
            Logits(rows: canvas.count, vocabularySize: 3, values: Array(repeating: 0, count: canvas.count * 3))
        }
    }

    @Test func countsEveryForwardPass() throws {
        let counter = CountingDenoiser(Constant())
        for _ in 0 ..< 4 { _ = try counter.logits(prefix: [], canvas: [0, 0], conditioning: nil) }
        #expect(counter.forwardPasses == 4)
        counter.resetCount()
        #expect(counter.forwardPasses == 0)
    }
}
