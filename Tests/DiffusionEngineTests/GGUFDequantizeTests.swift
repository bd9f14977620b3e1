import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// Dequantization of every supported type, bit for bit against `gguf.quants.dequantize` of the `gguf` Python
/// package (the fixture stores the package's output beside the blocks; make_gguf_fixtures.py).
@Suite struct GGUFDequantizeTests {
    static let types: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K]

    @Test(arguments: types) func bitIdenticalToThePythonPackage(_ type: GGMLType) throws {
        let file = try GGUFFile(path: GGUFReaderTests.path)
        let tensor = try file.tensor(type.name.lowercased())
        let expected = try file.tensor("expected." + type.name.lowercased())
        #expect(tensor.type == type)
        #expect(expected.shape == tensor.shape)
        var values = [Float](repeating: .nan, count: tensor.elementCount)
        values.withUnsafeMutableBufferPointer { Dequantize.run(type, tensor.bytes, count: tensor.elementCount, into: $0.baseAddress!) }
        var mismatches = 0
        for i in 0 ..< values.count {
            let reference = expected.bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
            if values[i].bitPattern != reference { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(type.name): \(mismatches) of \(values.count) values differ in their bits")
    }

    /// The fast twins against the plain versions, bit for bit, on random blocks (every byte pattern, F16 scales
    /// included, so NaN and infinity are compared by their bits too).
    @Test(arguments: types) func fastTwinMatchesThePlainVersion(_ type: GGMLType) {
        var generator = SeededGenerator(seed: 11)
        let count = 256 * 64
        let bytes = (0 ..< (type.byteCount(elements: count) ?? 0)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var plain = [Float](repeating: 0, count: count), fast = [Float](repeating: 1, count: count)
        bytes.withUnsafeBytes { source in
            plain.withUnsafeMutableBufferPointer { Dequantize.run(type, source.baseAddress!, count: count, into: $0.baseAddress!) }
            fast.withUnsafeMutableBufferPointer { DequantizeFast.run(type, source.baseAddress!, count: count, into: $0.baseAddress!) }
        }
        let differing = zip(plain, fast).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(type.name): \(differing) of \(count) values differ")
    }
}

extension GGUFDequantizeTests {
    @Test func branchFreeHalfWideningMatchesOnEveryBitPattern() {
        let differing = (UInt16.min ... UInt16.max).filter { DequantizeFast.half($0).bitPattern != HalfPrecision.float16ToFloat($0).bitPattern }
        #expect(differing.isEmpty, "differing patterns: \(differing.prefix(8).map { String($0, radix: 16) })")
    }
}
