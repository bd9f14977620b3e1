import Foundation
import Testing
@testable import DiffusionEngine

/// Tensor data ranges are checked against each other, and no JSON object of a model file may hold a key twice.
@Suite struct WeightFileIntegrityTests {
    func loadError(_ folder: URL) -> String? {
        do {
            _ = try ModelFolder(folder, warnings: WarningSink { _ in })
            return nil
        } catch {
            return "\(error)"
        }
    }

    func floats(_ count: Int) -> Data {
        var data = Data()
        for i in 0 ..< count { withUnsafeBytes(of: Float(i).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    @Test func overlappingTensorsAreAnErrorNamingBoth() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-overlap-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        // b's bytes 8..<24 are also a's 0..<16 → 8..<16 is shared.
        let header = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#
        try SafetensorsWriter.write(header: header, data: floats(6), to: url)
        let message = "\(try #require(throws: ModelFileError.self) { try SafetensorsFile(path: url.path) })"
        #expect(message.contains(url.path) && message.contains("'a'") && message.contains("'b'") && message.contains("overlap"))

        // Three tensors where only the first and the last overlap (one long range spanning the other two).
        let spanning = #"{"long":{"dtype":"F32","shape":[6],"data_offsets":[0,24]},"x":{"dtype":"F32","shape":[1],"data_offsets":[24,28]},"y":{"dtype":"F32","shape":[1],"data_offsets":[20,24]}}"#
        try SafetensorsWriter.write(header: spanning, data: floats(7), to: url)
        let second = "\(try #require(throws: ModelFileError.self) { try SafetensorsFile(path: url.path) })"
        #expect(second.contains("'long'") && second.contains("'y'"))

        // Adjacent ranges and empty tensors are fine.
        let adjacent = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]}}"#
        try SafetensorsWriter.write(header: adjacent, data: floats(3), to: url)
        #expect(try SafetensorsFile(path: url.path).entries.count == 3)
    }

    @Test func overlapInAModelFolderFailsTheLoad() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        defer { try? FileManager.default.removeItem(at: folder) }
        let weights = folder.appendingPathComponent("model.safetensors")
        var tensors = try SafetensorsWriter.tensors(of: weights)
        try SafetensorsWriter.write(tensors, dtype: .f32, to: weights)
        #expect(loadError(folder) == nil)
        // Point the final norm at the start of the first tensor's bytes: same size, so only the overlap is wrong.
        let data = try Data(contentsOf: weights)
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        var header = String(decoding: data[8 ..< 8 + headerLength], as: UTF8.self)
        tensors.sort { $0.name < $1.name }
        let norm = try #require(header.range(of: #""model.norm.weight":{"dtype":"F32","shape":[48],"data_offsets":["#))
        let close = try #require(header[norm.upperBound...].firstIndex(of: "]"))
        header.replaceSubrange(norm.upperBound ..< close, with: "0,192")
        try SafetensorsWriter.write(header: header.trimmingCharacters(in: .whitespaces), data: data.dropFirst(8 + headerLength), to: weights)
        let message = try #require(loadError(folder))
        #expect(message.contains("model.norm.weight") && message.contains(tensors[0].name) && message.contains("overlap"), "\(message)")
    }

    @Test func duplicateTensorKeyIsAnError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-duplicate-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        try SafetensorsWriter.write(header: header, data: floats(2), to: url)
        let message = "\(try #require(throws: ModelFileError.self) { try SafetensorsFile(path: url.path) })"
        #expect(message.contains(url.path) && message.contains("duplicate key 'w'"), "\(message)")
    }

    @Test func duplicateConfigKeyIsAnError() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("config.json")
        var text = try String(contentsOf: config, encoding: .utf8)
        text = text.replacingOccurrences(of: #""rope_theta": 10000.0,"#, with: #""rope_theta": 10000.0, "rope_theta": 500.0,"#)
        try text.write(to: config, atomically: true, encoding: .utf8)
        let message = try #require(loadError(folder))
        #expect(message.contains("config.json") && message.contains("duplicate key 'rope_theta'") && message.contains("line"), "\(message)")
    }
}

/// The strict JSON parser every model file goes through.
@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8), file: "test.json")
    }

    func error(_ text: String) -> String {
        do {
            return "parsed: \(try parse(text))"
        } catch {
            return "\(error)"
        }
    }

    @Test func valuesKeepTheirKinds() throws {
        let value = try parse(#" {"i": -12, "d": 1.5e3, "z": 0, "big": 99999999999999999999, "b": [true, false, null], "s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"} "#)
        guard case .object(let o) = value else { Issue.record("not an object"); return }
        #expect(o["i"] == .int(-12) && o["d"] == .double(1500) && o["z"] == .int(0) && o["big"] == .double(1e20))
        #expect(o["b"] == .array([.bool(true), .bool(false), .null]))
        #expect(o["s"] == .string("a\"\\/\u{8}\u{c}\n\r\té😀"))
        #expect(try parse("\u{FEFF}[1]") == .array([.int(1)]))
    }

    @Test(arguments: [
        ("", "end of input"), ("{", "quoted key"), ("[1,]", "expected a value"), ("[1 2]", "expected ','"),
        ("{\"a\":1,}", "quoted key"), ("01", "leading zero"), ("1.", "no digit after"), ("1e", "exponent"), ("1e999", "out of range"),
        ("-", "invalid number"), ("tru", "literal"), ("\"abc", "unterminated"), ("\"\\x\"", "invalid escape"),
        ("\"\\ud800\"", "surrogate"), ("\"\\udc00\"", "surrogate"), ("\"\\u12G4\"", "hex digit"), ("\"a\u{1}\"", "control character"),
        ("[1] x", "after the JSON value"), ("{\"a\":1,\"a\":2}", "duplicate key 'a'"), ("NaN", "expected a value"),
    ])
    func malformedInputIsRefused(text: String, expected: String) {
        let message = error(text)
        #expect(message.hasPrefix("test.json: not valid JSON") && message.contains(expected), "\(text): \(message)")
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() {
        let bytes = Data([0x22, 0xC3, 0x28, 0x22])  // "\xC3(" : a broken two-byte sequence
        #expect(throws: ModelFileError.self) { try JSONValue.parse(bytes, file: "test.json") }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(error(deep).contains("nested deeper"))
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test func errorsGiveLineAndColumn() {
        #expect(error("{\n  \"a\": 1,\n  \"b\": ?\n}").contains("line 3, column 8"))
    }
}
