import Foundation
@testable import Projection
import XCTest

/// Methods over concurrent users, the crossover, memory fit, and input validation.
final class ProjectionTests: XCTestCase {
    /// A 16-layer dense model (about 1.1B weights) and a 32-layer MoE (64 experts, top-4; 13.4B weights), on an
    /// accelerator whose ridge is 300 FLOP/byte.
    static let dense = ModelShape(name: "dense", vocabularySize: 32000, hiddenSize: 2048, tiedEmbeddings: false, layers: [
        .init(count: 16, attention: .init(heads: 16, keyValueHeads: 4, headDim: 128), denseHidden: 8192),
    ])
    static let moe = ModelShape(name: "moe", vocabularySize: 32000, hiddenSize: 2048, tiedEmbeddings: false, layers: [
        .init(count: 32, attention: .init(heads: 16, keyValueHeads: 4, headDim: 128),
              mixture: .init(experts: 64, activePerToken: 4, expertHidden: 1024)),
    ])
    static let gpu = HardwareProfile(name: "gpu", peakFLOPS: [.bf16: 600e12], bandwidth: 2e12, memoryBytes: 80e9)

    func point(_ users: Int, _ perUser: Double) -> ProjectionPoint {
        ProjectionPoint(users: users, secondsPerStep: 1 / perUser, tokensPerStep: 1, bound: .memory, fitsMemory: true)
    }

    func testCrossoverDetection() {
        let leader = [point(1, 10), point(2, 8), point(3, 4), point(4, 2)]
        XCTAssertEqual(Crossover.firstOvertake(leader: leader, challenger: [point(1, 5), point(2, 6), point(3, 6), point(4, 6)]), 3)
        XCTAssertNil(Crossover.firstOvertake(leader: leader, challenger: leader.map { point($0.users, $0.perUser / 2) }))
        XCTAssertEqual(Crossover.firstOvertake(leader: leader, challenger: leader.map { point($0.users, $0.perUser * 2) }), 1)
        // Ahead, behind, ahead again: two overtakes (from the start, and at 4).
        XCTAssertEqual(Crossover.overtakes(leader: leader, challenger: [point(1, 11), point(2, 7), point(3, 3), point(4, 2)]), [1, 4])
    }

    func testMethodsOverUsers() throws {
        let projector = Projector(hardware: Self.gpu, precision: try .named("bf16"), context: 512)
        let ar = try projector.curve(MethodSpec(name: "AR", method: .autoregressive, model: Self.dense), users: 1 ... 64)
        let mtp = try projector.curve(MethodSpec(
            name: "MTP", method: .multiTokenPrediction(statistics: .init(acceptancePerPosition: [0.8, 0.6]),
                                                      drafterParameters: 5e7, field: "test"),
            model: Self.dense), users: 1 ... 64)
        let diffusion = try projector.curve(MethodSpec(
            name: "diffusion", method: .diffusion(canvas: 32, statistics: .init(nfePerToken: 0.25), commitPass: false, field: "test"),
            model: Self.dense), users: 1 ... 64)
        XCTAssertEqual(mtp.method.tokensPerForward, 2.4, accuracy: 1e-12)
        XCTAssertEqual(diffusion.method.tokensPerForward, 4, accuracy: 1e-12)
        // One user: AR is bandwidth-bound; 4 tokens per pass of 32 positions beat 2.4 per pass of 3 positions.
        XCTAssertEqual(ar.points[0].bound, .memory)
        XCTAssertGreaterThan(mtp.points[0].perUser, ar.points[0].perUser)
        XCTAssertGreaterThan(diffusion.points[0].perUser, mtp.points[0].perUser)
        // Diffusion batches 32 positions per user and runs into the compute roof first; MTP catches up.
        let crossover = try XCTUnwrap(Crossover.firstOvertake(leader: diffusion.points, challenger: mtp.points))
        XCTAssertGreaterThan(crossover, 1)
        XCTAssertEqual(diffusion.points[crossover - 1].bound, .compute)
        // Total throughput grows with users for AR (more tokens per weight read).
        XCTAssertGreaterThan(ar.points[63].total, 10 * ar.points[0].total)
        // 2.2 GB of bf16 weights fit in 80 GB with room for every user's cache.
        XCTAssertEqual(ar.maxUsersInMemory, 64)
    }

    func testMemoryFit() throws {
        let small = HardwareProfile(name: "small", peakFLOPS: [.bf16: 1e12], bandwidth: 1e11, memoryBytes: 12e9)
        let projector = Projector(hardware: small, precision: try .named("bf16"), context: 1024)
        let curve = try projector.curve(MethodSpec(name: "AR", method: .autoregressive, model: Self.moe), users: 1 ... 4)
        XCTAssertEqual(curve.maxUsersInMemory, 0)  // 13.4B weights × 2 bytes = 26.7 GB > 12 GB
        XCTAssertFalse(curve.points[0].fitsMemory)
        let q4 = try Projector(hardware: small, precision: .named("q4_k_m"), context: 1024)
            .curve(MethodSpec(name: "AR", method: .autoregressive, model: Self.moe), users: 1 ... 4)
        XCTAssertEqual(q4.maxUsersInMemory, 4)  // 8.1 GB + 4 × 67 MB of cache
    }

    func testMethodInputsAreValidated() {
        XCTAssertThrowsError(try DecodingMethod.multiTokenPrediction(statistics: .init(acceptancePerPosition: [0.5, 0.7]),
                                                                    drafterParameters: 0, field: "m"))
        XCTAssertThrowsError(try DecodingMethod.multiTokenPrediction(statistics: .init(acceptancePerPosition: [1.2]),
                                                                    drafterParameters: 0, field: "m"))
        XCTAssertThrowsError(try DecodingMethod.multiTokenPrediction(statistics: .init(), drafterParameters: 0, field: "m"))
        XCTAssertThrowsError(try DecodingMethod.diffusion(canvas: 32, statistics: .init(tokensPerForward: 40), commitPass: false, field: "m"))
        XCTAssertThrowsError(try DecodingMethod.diffusion(canvas: 32, statistics: .init(), commitPass: false, field: "m"))
    }
}
