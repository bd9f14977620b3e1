import Foundation

/// The weights of a model folder: one `model.safetensors`, or shards listed by `model.safetensors.index.json`.
/// Tensors are looked up by their Hugging Face names and checked against the shape the config implies.
/// The store owns every byte its tensors point at: the memory maps, and each widened or realigned copy (made once
/// per name, kept until the store is freed), so a tensor it returns stays valid as long as the store does.
public final class WeightStore: @unchecked Sendable {
    public let files: [SafetensorsFile]
    private let entries: [String: TensorEntry]
    private let folder: String
    /// F32 copies of the tensors that could not be used in place, by name; guarded by `lock`.
    private var copies: [String: OwnedFloats] = [:]
    private let lock = NSLock()

    public init(folder: URL) throws {
        self.folder = folder.path
        let single = folder.appendingPathComponent("model.safetensors")
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        var files: [SafetensorsFile] = []
        if FileManager.default.fileExists(atPath: single.path) {
            files = [try SafetensorsFile(path: single.path)]
        } else if FileManager.default.fileExists(atPath: index.path) {
            let fields = try JSONFields(try JSONValue.read(index), file: index.path)
            let weightMap = try fields.object("weight_map")
            var shardNames = Set<String>()
            for (tensor, value) in weightMap.values {
                guard case .string(let shard) = value else {
                    throw ModelFileError(file: index.path, "weight_map entry '\(tensor)' must name a file")
                }
                shardNames.insert(shard)
            }
            files = try shardNames.sorted().map { try SafetensorsFile(path: folder.appendingPathComponent($0).path) }
        } else {
            throw ModelFileError(file: single.path, "no weights: neither model.safetensors nor model.safetensors.index.json exists")
        }
        var entries: [String: TensorEntry] = [:]
        for file in files {
            for (name, entry) in file.entries {
                if let previous = entries[name] {
                    throw ModelFileError(file: file.map.path, "tensor '\(name)' also appears in \(previous.file)")
                }
                entries[name] = entry
            }
        }
        self.files = files
        self.entries = entries
    }

    public var tensorNames: [String] { entries.keys.sorted() }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The tensor `name` as F32 with exactly `shape`: in place for aligned F32, widened for F16/BF16.
    public func tensor(_ name: String, shape: [Int]) throws -> FloatTensor {
        guard let entry = entries[name] else {
            throw ModelFileError(file: folder, "tensor '\(name)' is missing from the weights")
        }
        guard entry.shape == shape else {
            throw ModelFileError(file: entry.file, "tensor '\(name)' has shape \(entry.shape), the config implies \(shape)")
        }
        if entry.dtype == .f32, Int(bitPattern: entry.bytes) % MemoryLayout<Float>.alignment == 0 {
            return FloatTensor(shape: shape, pointer: entry.bytes.assumingMemoryBound(to: Float.self), storage: self)
        }
        lock.lock()
        defer { lock.unlock() }
        let copy: OwnedFloats
        if let existing = copies[name] {
            copy = existing  // e.g. a tied checkpoint's encoder reading the decoder's layers
        } else {
            copy = OwnedFloats(count: entry.elementCount)
            HalfPrecision.widen(entry.bytes, dtype: entry.dtype, count: entry.elementCount, into: copy.pointer)
            copies[name] = copy
        }
        return FloatTensor(shape: shape, pointer: UnsafePointer(copy.pointer), storage: self)
    }

    /// The element type of the stored tensors (the first one's; mixed files are allowed).
    public var storedDType: WeightDType? { entries.values.first?.dtype }
}
