@testable import DiffusionEngine
import XCTest

/// The bandwidth probe's triad kernel computes what its plain twin computes (speed is measured by dlab bench).
final class MemoryBandwidthTests: XCTestCase {
    func testTriadKernelMatchesReference() {
        // 37 elements: four SIMD8 blocks and a tail of five.
        let b = (0 ..< 37).map { Float($0) * 0.5 - 3 }
        let c = (0 ..< 37).map { Float(($0 * 7) % 11) - 5 }
        XCTAssertEqual(MemoryBandwidth.triad(b: b, c: c, scalar: 3), MemoryBandwidth.triadReference(b: b, c: c, scalar: 3))
    }

    func testProbeReportsPositiveRates() {
        let result = MemoryBandwidth.measure(threads: 2, elements: 1 << 12, repeats: 3)
        XCTAssertEqual(result.threads, 2)
        XCTAssertGreaterThan(result.copy, 0)
        XCTAssertGreaterThan(result.triad, 0)
    }
}
