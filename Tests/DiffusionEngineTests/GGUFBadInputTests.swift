import Foundation
import Testing
@testable import DiffusionEngine

/// Broken GGUF files, written byte by byte at run time: each is an error that names the file and the key or
/// tensor at fault, never a crash or a huge allocation (counts of 2^60 are refused before anything is reserved).
@Suite struct GGUFBadInputTests {
    /// Little-endian bytes of a hand-made GGUF file.
    struct Bytes {
        var data = Data()
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); data.append(contentsOf: Array(s.utf8)) }
        mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
            u32(0x4655_4747); u32(version); u64(tensors); u64(keys)
        }
        /// A tensor info: dims innermost first, ggml type id, data offset.
        mutating func tensor(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
            string(name); u32(UInt32(dims.count)); dims.forEach { u64($0) }; u32(type); u64(offset)
        }
        mutating func pad(to alignment: Int) { data.append(Data(count: (alignment - data.count % alignment) % alignment)) }
    }

    func write(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-bad-\(UUID().uuidString).gguf")
        try data.write(to: url)
        return url.path
    }

    /// The error of opening `data` as a GGUF file; it must name the file.
    func openError(_ data: Data) throws -> String {
        let path = try write(data)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: ModelFileError.self) { try GGUFFile(path: path) }
        #expect(error.file == path)
        return error.message
    }

    /// One F32 tensor "w" of 4 values, optionally broken by `edit`.
    func oneTensor(dims: [UInt64] = [4], type: UInt32 = 0, offset: UInt64 = 0, dataBytes: Int = 16) -> Data {
        var b = Bytes()
        b.header(tensors: 1, keys: 0)
        b.tensor("w", dims: dims, type: type, offset: offset)
        b.pad(to: 32)
        b.data.append(Data(count: dataBytes))
        return b.data
    }

    @Test func aValidHandMadeFileOpens() throws {
        let path = try write(oneTensor())
        let file = try GGUFFile(path: path)
        #expect(try file.tensor("w").shape == [4])
    }

    @Test func emptyAndTruncatedFiles() throws {
        let path = try write(Data())
        let empty = try #require(throws: ModelFileError.self) { try GGUFFile(path: path) }
        #expect(empty.file == path && empty.message.contains("empty"))
        #expect(try openError(Data([0x47, 0x47])).contains("truncated"))
        let whole = oneTensor()
        #expect(try openError(whole.prefix(30)).contains("truncated"))
        #expect(try openError(whole.prefix(whole.count - 4)).contains("'w'"))  // data cut short
    }

    @Test func badMagicAndVersion() throws {
        var data = oneTensor()
        data[0] = 0x50
        #expect(try openError(data).contains("magic"))
        for version: UInt32 in [1, 4, 0x0300_0000] {
            var b = Bytes()
            b.header(version: version, tensors: 0, keys: 0)
            #expect(try openError(b.data).contains("version \(version)"))
        }
    }

    @Test func absurdCountsAndLengths() throws {
        let huge: UInt64 = 1 << 60
        var b = Bytes()
        b.header(tensors: huge, keys: 0)
        #expect(try openError(b.data).contains("tensor count"))
        b = Bytes()
        b.header(tensors: 0, keys: huge)
        #expect(try openError(b.data).contains("metadata key count"))
        b = Bytes()
        b.header(tensors: 0, keys: 1)
        b.u64(huge)  // key length
        b.data.append(Data(count: 16))
        #expect(try openError(b.data).contains("metadata key #0"))
        b = Bytes()
        b.header(tensors: 0, keys: 1)
        b.string("general.name"); b.u32(8); b.u64(huge)  // a string value 2^60 bytes long
        #expect(try openError(b.data).contains("'general.name'"))
        b = Bytes()
        b.header(tensors: 0, keys: 1)
        b.string("tokenizer.ggml.tokens"); b.u32(9); b.u32(8); b.u64(huge)  // an array of 2^60 strings
        #expect(try openError(b.data).contains("'tokenizer.ggml.tokens'"))
        b = Bytes()
        b.header(tensors: 1, keys: 0)
        b.tensor("w", dims: [huge, huge], type: 0, offset: 0)
        #expect(try openError(b.data).contains("'w'"))
    }

    @Test func badMetadataValues() throws {
        var b = Bytes()
        b.header(tensors: 0, keys: 1)
        b.string("general.x"); b.u32(77); b.u32(0)
        #expect(try openError(b.data).contains("'general.x' has unknown value type 77"))
        b = Bytes()
        b.header(tensors: 0, keys: 2)
        b.string("a"); b.u32(4); b.u32(1)
        b.string("a"); b.u32(4); b.u32(2)
        #expect(try openError(b.data).contains("'a' appears twice"))
        b = Bytes()
        b.header(tensors: 0, keys: 1)
        b.string("general.alignment"); b.u32(4); b.u32(48)
        #expect(try openError(b.data).contains("'general.alignment' is 48"))
        b = Bytes()
        b.header(tensors: 0, keys: 1)
        b.string("deep"); b.u32(9)
        for _ in 0 ..< 20 { b.u32(9); b.u64(1) }  // arrays of arrays, 20 deep
        b.data.append(Data(count: 64))
        #expect(try openError(b.data).contains("'deep'"))
        b = Bytes()
        b.header(tensors: 0, keys: 1)
        b.string("bad.utf8"); b.u32(8); b.u64(2); b.data.append(contentsOf: [0xC3, 0x28])
        #expect(try openError(b.data).contains("'bad.utf8' is not valid UTF-8"))
    }

    @Test func tensorsOutsideTheDataOrUnaligned() throws {
        #expect(try openError(oneTensor(offset: 64)).contains("'w'"))  // offset past the end
        #expect(try openError(oneTensor(dims: [400])).contains("runs past the end"))  // size past the end
        #expect(try openError(oneTensor(offset: 4, dataBytes: 32)).contains("not a multiple of the alignment"))
        #expect(try openError(oneTensor(offset: UInt64.max - 3)).contains("'w'"))
    }

    @Test func unknownTypesAndBadShapes() throws {
        #expect(try openError(oneTensor(type: 99)).contains("'w' has ggml type 99"))
        #expect(try openError(oneTensor(type: 10)).contains("'w' has ggml type 10"))  // Q2_K: not supported
        #expect(try openError(oneTensor(dims: [4], type: 8, dataBytes: 34)).contains("whole number of Q8_0 blocks"))
        #expect(try openError(oneTensor(dims: [1, 1, 1, 1, 4])).contains("5 dimensions"))
        var b = Bytes()
        b.header(tensors: 2, keys: 0)
        b.tensor("w", dims: [4], type: 0, offset: 0)
        b.tensor("w", dims: [4], type: 0, offset: 32)
        b.pad(to: 32)
        b.data.append(Data(count: 64))
        #expect(try openError(b.data).contains("'w' appears twice"))
    }

    @Test func writerOutputReadsBack() throws {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("test"))
        writer.set("general.alignment", .uint32(64))
        writer.set("test.list", .array(.array, [.array(.uint8, [.uint8(1)]), .array(.uint8, [])]))
        let values: [Float] = [1, -2, 0.5, 3]
        try writer.add("a", type: .f32, shape: [2, 2], bytes: values.withUnsafeBytes { Data($0) })
        try writer.add("b", type: .f32, shape: [1], bytes: Data(count: 4))
        let path = try write(writer.encoded())
        let file = try GGUFFile(path: path)
        #expect(file.alignment == 64)
        #expect(file.metadata["test.list"] == .array(.array, [.array(.uint8, [.uint8(1)]), .array(.uint8, [])]))
        let a = try file.tensor("a")
        #expect(a.shape == [2, 2] && a.offset == 0)
        #expect(try file.tensor("b").offset == 64)
        #expect((0 ..< 4).map { a.bytes.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } == values)
    }
}
