import Foundation
import Testing
@testable import DiffusionEngine

/// The GGUF reader on a file the `gguf` Python package wrote (Experiments/models/tools/make_gguf_fixtures.py):
/// every metadata value type, nested arrays, a custom alignment, tensor infos of every supported type.
@Suite struct GGUFReaderTests {
    static var path: String { Fixtures.folder("gguf").appendingPathComponent("dequantize.gguf").path }

    @Test func metadataOfEveryValueType() throws {
        let file = try GGUFFile(path: Self.path)
        #expect(file.version == 3)
        #expect(file.alignment == 64)
        #expect(file.dataOffset % 64 == 0)
        let m = file.metadata
        #expect(m["general.architecture"] == .string("fixture"))
        #expect(m["test.uint8"] == .uint8(200))
        #expect(m["test.int8"] == .int8(-100))
        #expect(m["test.uint16"] == .uint16(60000))
        #expect(m["test.int16"] == .int16(-30000))
        #expect(m["test.uint32"] == .uint32(4_000_000_000))
        #expect(m["test.int32"] == .int32(-2_000_000_000))
        #expect(m["test.float32"] == .float32(0.1))
        #expect(m["test.bool"] == .bool(true))
        #expect(m["test.string"] == .string("grüße, 世界 🙂"))
        #expect(m["test.uint64"] == .uint64(1 << 63 + 5))
        #expect(m["test.int64"] == .int64(-(1 << 62)))
        #expect(m["test.float64"] == .float64(2.718281828459045))
        #expect(m["test.array.int32"] == .array(.int32, [.int32(1), .int32(-2), .int32(3)]))
        #expect(try file.strings("test.array.string") == ["a", "", "ccc"])
        #expect(m["test.array.nested"] == .array(.array, [.array(.int32, [.int32(1), .int32(2)]), .array(.int32, [.int32(3)])]))
        #expect(m["test.array.nested_strings"] == .array(.array, [.array(.string, [.string("x")]), .array(.string, [.string("y"), .string("zz")])]))
        #expect(file.metadataKeys.first == "general.architecture")
        // uint64 above Int.max is not an Int: a typed error, not a trap.
        #expect(throws: ModelFileError.self) { try file.int("test.uint64") }
        #expect(try file.int("test.int8") == -100)
        #expect(try file.real("test.float32") == Double(Float(0.1)))
    }

    @Test func tensorInfos() throws {
        let file = try GGUFFile(path: Self.path)
        #expect(file.tensorNames.count == 22)
        let q4k = try file.tensor("q4_k")
        #expect(q4k.type == .q4_K)
        #expect(q4k.shape == [4, 512])  // row-major: GGUF's dims (512, 4) reversed
        #expect(q4k.byteCount == 8 * 144)
        #expect(q4k.offset % 64 == 0)
        #expect(try file.tensor("q8_0").shape == [4, 192])
        #expect(try file.tensor("expected.q6_k").type == .f32)
    }

    @Test func missingKeysAndTensorsNameTheFile() throws {
        let file = try GGUFFile(path: Self.path)
        let keyError = try #require(throws: ModelFileError.self) { try file.int("llada-moe.block_count") }
        #expect(keyError.file == Self.path)
        #expect(keyError.message.contains("'llada-moe.block_count'"))
        let typeError = try #require(throws: ModelFileError.self) { try file.int("test.string") }
        #expect(typeError.message.contains("'test.string'") && typeError.message.contains("string"))
        let tensorError = try #require(throws: ModelFileError.self) { try file.tensor("blk.0.attn_q.weight") }
        #expect(tensorError.message.contains("'blk.0.attn_q.weight'"))
    }
}
