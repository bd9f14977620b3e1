import Foundation

/// The weights of a model folder: one `model.safetensors`, or shards listed by `model.safetensors.index.json`.
/// Tensors are looked up by their Hugging Face names and checked against the shape the config implies.
/// Matrices stay in the file's precision, in place in the memory maps the store owns; a small tensor stored narrower
/// than F32 is widened into a copy owned by the tensor itself. Either way a tensor keeps its bytes alive.
public final class WeightStore: @unchecked Sendable {
    public let files: [SafetensorsFile]
    private let entries: [String: TensorEntry]
    private let folder: String

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

    /// The stored entry `name`, checked to have exactly `shape`.
    private func entry(_ name: String, shape: [Int]) throws -> TensorEntry {
        guard let entry = entries[name] else {
            throw ModelFileError(file: folder, "tensor '\(name)' is missing from the weights")
        }
        guard entry.shape == shape else {
            throw ModelFileError(file: entry.file, "tensor '\(name)' has shape \(entry.shape), the config implies \(shape)")
        }
        return entry
    }

    /// The tensor `name` as F32 with exactly `shape`: in place for aligned F32; otherwise a widened (or realigned)
    /// copy owned by the returned tensor and freed with it, so nothing accumulates in the store. For small tensors
    /// (norms, biases, scales): weight matrices are read with `matrix`, which never widens.
    public func tensor(_ name: String, shape: [Int]) throws -> FloatTensor {
        let entry = try entry(name, shape: shape)
        if entry.dtype == .f32, Int(bitPattern: entry.bytes) % MemoryLayout<Float>.alignment == 0 {
            return FloatTensor(shape: shape, pointer: entry.bytes.assumingMemoryBound(to: Float.self), storage: self)
        }
        let copy = OwnedFloats(count: entry.elementCount)
        withExtendedLifetime(self) {
            HalfPrecision.widen(entry.bytes, dtype: entry.dtype, count: entry.elementCount, into: copy.pointer)
        }
        return FloatTensor(shape: shape, pointer: UnsafePointer(copy.pointer), storage: copy)
    }

    /// The matrix `name` in its stored type, in place in the memory map (the store owns it).
    public func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix {
        let entry = try entry(name, shape: shape)
        guard shape.count >= 2, let columns = shape.last, columns > 0 else {
            throw ModelFileError(file: entry.file, "tensor '\(name)' has shape \(shape), not a matrix")
        }
        return StoredMatrix(type: entry.dtype.ggmlType, rows: entry.elementCount / columns, columns: columns, base: entry.bytes, storage: self)
    }

    /// The element type of the stored tensors (the first one's; mixed files are allowed).
    public var storedDType: WeightDType? { entries.values.first?.dtype }
}
