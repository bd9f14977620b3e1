import Foundation
@testable import Projection
import XCTest

/// The host sampling term of a pass, by hand: logits copied over the link, then vocabulary × positions × the
/// per-logit cost; absent where sampling stays on the device, and on a commit pass that returns no logits.
final class HostSamplingTests: XCTestCase {
    /// RooflineTests' dense model (V = 10) on a slow machine whose runtime samples on a host behind a 40 B/s link at
    /// 0.1 s per logit.
    static let host = HardwareProfile(name: "host", peakFLOPS: [.bf16: 1000], bandwidth: 100, memoryBytes: 1000,
                                      passOverhead: 0.5, hostSamplingPerLogit: 0.1, hostLinkBandwidth: 40)

    func testSamplingTermByHand() throws {
        let roofline = try Roofline(model: RooflineTests.dense, hardware: Self.host, precision: .named("bf16"))
        let cost = roofline.cost(PassWorkload(sequences: 2, tokens: 3, context: 5))
        // 6 positions × 10 logits: 60 × 0.1 s = 6 s, and 60 × 4 B = 240 B over 40 B/s = 6 s.
        XCTAssertEqual(cost.samplingSeconds, 12, accuracy: 1e-12)
        XCTAssertEqual(cost.seconds, max(cost.computeSeconds, cost.memorySeconds) + 0.5 + 12, accuracy: 1e-12)
        let commit = roofline.cost(PassWorkload(sequences: 2, tokens: 3, context: 5, sampled: false))
        XCTAssertEqual(commit.samplingSeconds, 0)
        // A drafter pass samples its positions: 4 × 10 logits.
        XCTAssertEqual(roofline.draftCost(parameters: 50, layers: 1, positions: 4).samplingSeconds, 4 + 4, accuracy: 1e-12)
    }

    func testNoLinkMeansTheHostReadsInPlaceAndZeroMeansOnDevice() {
        var profile = Self.host
        profile.hostLinkBandwidth = 0
        XCTAssertEqual(profile.hostSamplingSeconds(positions: 3, vocabulary: 10), 3, accuracy: 1e-12)
        profile.hostSamplingPerLogit = 0
        XCTAssertEqual(profile.hostSamplingSeconds(positions: 3, vocabulary: 10), 0)
    }

    func testProfileFileReadsTheHostFields() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("host-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
            name: host
            source: a test
            peak_tflops: {bf16: 1}
            bandwidth_gb_s: 1
            memory_gb: 1
            host_sampling_ns_per_logit: 2.5
            host_link_gb_s: 32
            """.write(to: url, atomically: true, encoding: .utf8)
        let profile = try ProjectionFiles.hardware(url)
        XCTAssertEqual(profile.hostSamplingPerLogit, 2.5e-9, accuracy: 1e-21)
        XCTAssertEqual(profile.hostLinkBandwidth, 32e9)
        try """
            name: host
            source: a test
            peak_tflops: {bf16: 1}
            bandwidth_gb_s: 1
            memory_gb: 1
            host_sampling_ns_per_logit: -1
            """.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProjectionFiles.hardware(url)) { error in
            XCTAssertTrue(String(describing: error).contains("host_sampling_ns_per_logit"), String(describing: error))
        }
    }
}
