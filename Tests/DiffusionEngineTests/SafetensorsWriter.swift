import Foundation
@testable import DiffusionEngine

/// Writes `.safetensors` files for tests: a fixture's tensors in another element type, with a header padded by
/// spaces (the format allows it; it moves the data off 4-byte alignment), or a hand-made header.
/// Format: https://github.com/huggingface/safetensors#format
enum SafetensorsWriter {
    struct Tensor {
        let name: String
        let shape: [Int]
        let values: [Float]
    }

    /// Every tensor of the file at `url`, widened to F32, sorted by name.
    static func tensors(of url: URL) throws -> [Tensor] {
        let file = try SafetensorsFile(path: url.path)
        return file.entries.values.sorted { $0.name < $1.name }.map { entry in
            var values = [Float](repeating: 0, count: entry.elementCount)
            values.withUnsafeMutableBufferPointer { out in
                if let base = out.baseAddress { HalfPrecision.widen(entry.bytes, dtype: entry.dtype, count: entry.elementCount, into: base) }
            }
            return Tensor(name: entry.name, shape: entry.shape, values: values)
        }
    }

    /// `value` rounded to `dtype` (round to nearest, ties to even) and widened back: the F32 value a file of that
    /// type holds.
    static func rounded(_ value: Float, to dtype: WeightDType) -> Float {
        switch dtype {
        case .f32: return value
        case .f16: return Float(Float16(value))
        case .bf16: return HalfPrecision.bfloat16ToFloat(bfloat16Bits(value))
        }
    }

    static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x40 }  // keep it a (quiet) NaN
        let roundingBias = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ roundingBias) >> 16)
    }

    /// Writes `tensors` as `dtype` to `url`. The header is padded with spaces so that the data starts at a byte
    /// offset ≡ `dataAlignment` (mod 8): 0 keeps F32 data aligned, 2 misaligns it.
    static func write(_ tensors: [Tensor], dtype: WeightDType, to url: URL, dataAlignment: Int = 0) throws {
        var data = Data()
        var header: [String] = []
        for tensor in tensors {
            let begin = data.count
            for value in tensor.values {
                switch dtype {
                case .f32: withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                case .f16: withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { data.append(contentsOf: $0) }
                case .bf16: withUnsafeBytes(of: bfloat16Bits(value).littleEndian) { data.append(contentsOf: $0) }
                }
            }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            header.append("\"\(tensor.name)\":{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(data.count)]}")
        }
        try write(header: "{" + header.joined(separator: ",") + "}", data: data, to: url, dataAlignment: dataAlignment)
    }

    /// Writes a file from a raw JSON header and data section, padding the header as `write(_:dtype:to:)` does.
    static func write(header: String, data: Data, to url: URL, dataAlignment: Int = 0) throws {
        var json = Array(header.utf8)
        while (8 + json.count) % 8 != dataAlignment { json.append(UInt8(ascii: " ")) }
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: json)
        file.append(data)
        try file.write(to: url)
    }
}
