import Foundation
import Testing
@testable import DiffusionEngine

/// The quantizers: byte for byte against `gguf.quants.quantize` where the `gguf` package can quantize
/// (fixture quantize.gguf, make_gguf_fixtures.py), and for the K-quants, which it cannot, by round-trip error.
@Suite struct GGUFQuantizeTests {
    static var path: String { Fixtures.folder("gguf").appendingPathComponent("quantize.gguf").path }

    static func input() throws -> (file: GGUFFile, values: [Float]) {
        let file = try GGUFFile(path: path)
        let input = try file.tensor("input")
        let values = (0 ..< input.elementCount).map { input.bytes.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) }
        return (file, values)
    }

    static func quantize(_ values: [Float], _ type: GGMLType) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: values.count) ?? 0)
        values.withUnsafeBufferPointer { source in
            bytes.withUnsafeMutableBytes { Quantize.run(type, source.baseAddress!, count: values.count, into: $0.baseAddress!) }
        }
        return bytes
    }

    static func dequantize(_ bytes: [UInt8], _ type: GGMLType, count: Int) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { source in
            values.withUnsafeMutableBufferPointer { Dequantize.run(type, source.baseAddress!, count: count, into: $0.baseAddress!) }
        }
        return values
    }

    @Test(arguments: [GGMLType.f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1])
    func byteIdenticalToThePythonPackage(_ type: GGMLType) throws {
        let (file, values) = try Self.input()
        let expected = try file.tensor("quantized." + type.name.lowercased())
        let reference = Array(UnsafeRawBufferPointer(start: expected.bytes, count: expected.byteCount))
        let ours = Self.quantize(values, type)
        #expect(ours.count == reference.count)
        let differing = zip(ours, reference).filter { $0 != $1 }.count
        #expect(differing == 0, "\(type.name): \(differing) of \(ours.count) bytes differ")
    }

    @Test(arguments: [GGMLType.q4_K, .q5_K, .q6_K])
    func kQuantsByteIdenticalToGGMLsReference(_ type: GGMLType) throws {
        let folder = Fixtures.folder("gguf").appendingPathComponent("kquant")
        let input = try Data(contentsOf: folder.appendingPathComponent("input.f32"))
        let values = (0 ..< input.count / 4).map { i in input.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) } }
        let reference = [UInt8](try Data(contentsOf: folder.appendingPathComponent(type.name.lowercased() + ".bin")))
        let ours = Self.quantize(values, type)
        #expect(ours.count == reference.count)
        let blocks = Set(zip(ours, reference).enumerated().filter { $0.element.0 != $0.element.1 }.map { $0.offset / type.typeSize })
        #expect(blocks.isEmpty, "\(type.name): blocks \(blocks.sorted().prefix(8)) of \(ours.count / type.typeSize) differ")
    }

    /// Relative RMS error of the round trip on Gaussian rows, against what each K-quant's bits allow.
    @Test(arguments: [(GGMLType.q4_K, Float(0.12)), (.q5_K, 0.06), (.q6_K, 0.03)])
    func kQuantRoundTrip(_ type: GGMLType, _ bound: Float) throws {
        let (_, values) = try Self.input()
        let restored = Self.dequantize(Self.quantize(values, type), type, count: values.count)
        for row in 0 ..< 4 {
            let range = 512 * row ..< 512 * (row + 1)
            var error: Float = 0, energy: Float = 0
            for i in range {
                error += (restored[i] - values[i]) * (restored[i] - values[i])
                energy += values[i] * values[i]
            }
            let relative = (error / energy).squareRoot()
            #expect(relative < bound, "\(type.name) row \(row): relative RMS error \(relative)")
            #expect(relative > 0 || row == 2, "\(type.name) row \(row): a lossless round trip is suspicious")
        }
        // A block of zeros comes back as zeros.
        #expect(restored[1024 ..< 1024 + 32].allSatisfy { $0 == 0 })
    }

    @Test func nearestIntRoundsHalfToEven() {
        #expect(KQuantize.nearestInt(2.5) == 2)
        #expect(KQuantize.nearestInt(3.5) == 4)
        #expect(KQuantize.nearestInt(-2.5) == -2)
        #expect(KQuantize.nearestInt(-0.4) == 0)
        #expect(KQuantize.nearestInt(.nan) == -4_194_303)
    }

    @Test func halfConversionRoundTripsEveryFiniteHalf() {
        let differing = (UInt16.min ... UInt16.max).filter { $0 & 0x7C00 != 0x7C00 && Quantize.halfBits(HalfPrecision.float16ToFloat($0)) != $0 }
        #expect(differing.isEmpty, "patterns that do not round-trip: \(differing.prefix(8).map { String($0, radix: 16) })")
        #expect(Quantize.halfBits(1e10) == 0x7C00)
        #expect(Quantize.halfBits(-.infinity) == 0xFC00)
        #expect(Quantize.halfBits(.nan) & 0x7C00 == 0x7C00)
    }
}
