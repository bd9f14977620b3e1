import Foundation
@testable import Projection
import XCTest

/// Hand-computed cases of the roofline: a dense model, the expected-experts formula, the switch between roofs.
final class RooflineTests: XCTestCase {
    /// V = 10, d = 4, one layer with one head of 4 and a gated FFN of 8, untied embeddings.
    static let dense = ModelShape(name: "dense", vocabularySize: 10, hiddenSize: 4, tiedEmbeddings: false, layers: [
        .init(count: 1, attention: .init(heads: 1, keyValueHeads: 1, headDim: 4), denseHidden: 8),
    ])
    /// 1,000 FLOP/s in bf16, 100 B/s, 1 kB of memory, 0.5 s per pass.
    static let slow = HardwareProfile(name: "slow", peakFLOPS: [.bf16: 1000], bandwidth: 100, memoryBytes: 1000, passOverhead: 0.5)

    func testDenseModelCountsByHand() throws {
        // attention 4·(2·4 + 2·4) = 64, FFN 3·4·8 = 96, embeddings and head 2·10·4 = 80.
        XCTAssertEqual(Self.dense.totalParameters, 240)
        XCTAssertEqual(Self.dense.activeParametersPerToken, 64 + 96 + 40)
        XCTAssertEqual(Self.dense.parametersTouched(tokens: 3), 200 + 3 * 4)  // the 3 tokens' embedding rows
        XCTAssertEqual(Self.dense.cacheElements(tokens: 5), 5 * 8)

        let cost = try Roofline(model: Self.dense, hardware: Self.slow, precision: .named("bf16"))
            .cost(PassWorkload(sequences: 1, tokens: 3, context: 5))
        // 2·200·3 = 1200, attention 4·3·(5+3)·1·4 = 384.
        XCTAssertEqual(cost.flops, 1584)
        XCTAssertEqual(cost.weightBytes, 212 * 2)
        XCTAssertEqual(cost.cacheBytes, 40 * 2)
        XCTAssertEqual(cost.computeSeconds, 1.584, accuracy: 1e-12)
        XCTAssertEqual(cost.memorySeconds, 5.04, accuracy: 1e-12)
        XCTAssertEqual(cost.bound, .memory)
        XCTAssertEqual(cost.seconds, 5.54, accuracy: 1e-12)
    }

    func testExpectedDistinctExperts() {
        let moe = ModelShape.MixtureOfExperts(experts: 8, activePerToken: 2, expertHidden: 1)
        XCTAssertEqual(moe.expectedDistinctExperts(tokens: 1), 2, accuracy: 1e-12)       // one token: exactly k
        XCTAssertEqual(moe.expectedDistinctExperts(tokens: 2), 3.5, accuracy: 1e-12)     // 8·(1 − 0.75²)
        XCTAssertEqual(moe.expectedDistinctExperts(tokens: 1000), 8, accuracy: 1e-9)     // many tokens: all E
        let big = ModelShape.MixtureOfExperts(experts: 128, activePerToken: 8, expertHidden: 1)
        XCTAssertEqual(big.expectedDistinctExperts(tokens: 16), 128 * (1 - pow(0.9375, 16)), accuracy: 1e-9)
    }

    func testMixtureWeightsTouchedGrowWithTokens() {
        let model = ModelShape(name: "moe", vocabularySize: 10, hiddenSize: 4, tiedEmbeddings: true, layers: [
            .init(count: 2, attention: .init(heads: 1, keyValueHeads: 1, headDim: 4),
                  mixture: .init(experts: 8, activePerToken: 2, expertHidden: 2)),
        ])
        // Per layer: attention 64 + router 4·8 = 32; one expert 3·4·2 = 24. Tied: head 40, no embedding rows.
        XCTAssertEqual(model.parametersTouched(tokens: 1), 40 + 2 * (96 + 2 * 24), accuracy: 1e-9)
        XCTAssertEqual(model.parametersTouched(tokens: 100_000), 40 + 2 * (96 + 8 * 24), accuracy: 1e-6)
        XCTAssertEqual(model.totalParameters, 40 + 2 * (96 + 8 * 24))
        XCTAssertEqual(model.activeParametersPerToken, 40 + 2 * (96 + 2 * 24))
    }

    func testComputeAndBandwidthBoundSwitch() throws {
        // No cache, no overhead: FLOPs = 400·T + 16·T², bytes = 2·(200 + 4·min(T, 10)); 1,000 FLOP/s, 100 B/s.
        let hardware = HardwareProfile(name: "h", peakFLOPS: [.bf16: 1000], bandwidth: 100, memoryBytes: 1e9)
        let roofline = try Roofline(model: Self.dense, hardware: hardware, precision: .named("bf16"))
        let bounds = (1 ... 12).map { roofline.cost(PassWorkload(sequences: 1, tokens: $0, context: 0)).bound }
        // T = 9: 3600 + 1296 = 4896 FLOPs → 4.896 s; bytes 2·236 = 472 → 4.72 s: compute. T = 8: 3.2+1.024 = 4.224 s
        // compute vs 4.64 s memory: memory.
        XCTAssertEqual(bounds.firstIndex(of: .compute).map { $0 + 1 }, 9)
        XCTAssertTrue(bounds.prefix(8).allSatisfy { $0 == .memory })
        XCTAssertTrue(bounds.suffix(4).allSatisfy { $0 == .compute })
        let nine = roofline.cost(PassWorkload(sequences: 1, tokens: 9, context: 0))
        XCTAssertEqual(nine.seconds, 4.896, accuracy: 1e-12)
    }

    func testDrafterPaysItsShareOfTheOverhead() throws {
        let twoLayers = ModelShape(name: "two", vocabularySize: 10, hiddenSize: 4, tiedEmbeddings: false, layers: [
            .init(count: 2, attention: .init(heads: 1, keyValueHeads: 1, headDim: 4), denseHidden: 8),
        ])
        let draft = try Roofline(model: twoLayers, hardware: Self.slow, precision: .named("bf16"))
            .draftCost(parameters: 50, layers: 1, positions: 4)
        XCTAssertEqual(draft.flops, 400)
        XCTAssertEqual(draft.weightBytes, 100)
        XCTAssertEqual(draft.overheadSeconds, 0.25, accuracy: 1e-12)  // half the layers, half the 0.5 s
        XCTAssertEqual(draft.seconds, 1.25, accuracy: 1e-12)           // 100 B at 100 B/s + 0.25 s
    }

    func testPrecisionFallsBackToAListedComputeType() throws {
        let cpu = HardwareProfile(name: "cpu", peakFLOPS: [.fp32: 10], bandwidth: 1, memoryBytes: 1)
        XCTAssertEqual(try cpu.peak(for: .named("bf16")).type, .fp32)
        XCTAssertThrowsError(try HardwareProfile(name: "fp8 only", peakFLOPS: [.fp8: 1], bandwidth: 1, memoryBytes: 1)
            .peak(for: .named("fp32")))
        XCTAssertThrowsError(try Precision.named("int3"))
    }
}
