@testable import DiffusionEngine
import Foundation
import XCTest

/// The host sampling probe does the work it claims (softmax, entropy, inverse-CDF draw), checked against plain
/// Double arithmetic; its speed is measured by `dlab bench --memory`, never here.
final class HostSamplingProbeTests: XCTestCase {
    func testRowMatchesPlainSoftmaxEntropyAndDraw() {
        let logits: [Float] = [1.5, -2, 0.25, 3, 3, -0.5, 0]
        let temperature: Float = 0.6
        let scaled = logits.map { Double($0) / Double(temperature) }
        let top = scaled.max() ?? 0
        let weights = scaled.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        let p = weights.map { $0 / total }
        let entropy = -p.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
        let candidates = UnsafeMutableBufferPointer<HostSamplingProbe.Candidate>.allocate(capacity: logits.count)
        defer { candidates.deallocate() }
        for uniform in [0.0, 0.05, 0.3, 0.5, 0.7, 0.99] {
            var cumulative = 0.0
            let expected = p.indices.first { cumulative += p[$0]; return cumulative > uniform } ?? p.count - 1
            let result = logits.withUnsafeBufferPointer {
                HostSamplingProbe.sampleRow($0, temperature: temperature, uniform: Float(uniform), candidates: candidates)
            }
            XCTAssertEqual(result.token, expected, "uniform \(uniform)")
            XCTAssertEqual(Double(result.entropy), entropy, accuracy: 1e-5)
        }
    }

    func testProbeReportsAPositiveCost() {
        let seconds = HostSamplingProbe.measure(vocabulary: 1000, rows: 2, repeats: 1)
        XCTAssertGreaterThan(seconds, 0)
    }
}
