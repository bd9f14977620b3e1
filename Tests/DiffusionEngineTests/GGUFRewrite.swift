import Foundation
import Testing
@testable import DiffusionEngine

/// Broken GGUF model files for the bad-input suites: a good Q8_0 file of a shipped tiny model, rewritten at run time
/// with its metadata edited, tensors dropped or reshaped; and the error of loading one, which must name the file.
enum GGUFRewrite {
    typealias MetadataEdit = (inout [(key: String, value: GGUFValue)]) -> Void

    /// The Q8_0 file of `folder` rewritten into a temporary file named `name`.
    static func rewritten(
        _ folder: URL, name: String, metadata edit: MetadataEdit, drop: Set<String>, reshape: [String: [Int]]
    ) throws -> URL {
        let good = GGUFModelTests.temporaryFile("good-" + name)
        defer { try? FileManager.default.removeItem(at: good) }
        try ModelQuantizer.quantize(folder: folder, type: .q8_0, output: good)
        let file = try GGUFFile(path: good.path)
        var entries = file.metadataKeys.map { (key: $0, value: file.metadata[$0]!) }
        edit(&entries)
        var writer = GGUFWriter()
        for entry in entries { writer.set(entry.key, entry.value) }
        for name in file.tensorNames where !drop.contains(name) {
            let info = try file.tensor(name)
            try writer.add(name, type: info.type, shape: reshape[name] ?? info.shape, bytes: Data(bytes: info.bytes, count: info.byteCount))
        }
        let url = GGUFModelTests.temporaryFile(name)
        try writer.write(to: url)
        return url
    }

    /// The error of loading `url` as a model (the file is removed afterwards); it must name the file.
    static func loadError(_ url: URL) throws -> String {
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ModelFileError.self) { try ModelFolder(url) }
        #expect(error.file.hasPrefix(url.path))
        return error.message
    }

    /// A metadata edit that sets `key` to `value`, or removes it when `value` is nil.
    static func setting(_ key: String, _ value: GGUFValue?) -> MetadataEdit {
        { entries in
            entries.removeAll { $0.key == key }
            if let value { entries.append((key, value)) }
        }
    }
}
