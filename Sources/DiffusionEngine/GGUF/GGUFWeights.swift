/// The tensors of a GGUF file looked up by their Hugging Face names (through an architecture's name map). Matrices
/// stay in the file's type, in place in its memory map (`matrix`); one expert of a stacked `[E, rows, columns]`
/// tensor is its E-th slab of rows. Small tensors (norms, the router's F32 weights when asked as a tensor) are
/// expanded to F32 copies owned by the returned tensor (`tensor`).
public final class GGUFWeights: WeightSource {
    public let file: GGUFFile
    private let names: (String) -> (name: String, expert: Int?)?

    public init(file: GGUFFile, names: @escaping (String) -> (name: String, expert: Int?)?) {
        self.file = file
        self.names = names
    }

    public func tensor(_ name: String, shape: [Int]) throws -> FloatTensor {
        let (info, first, _) = try locate(name, shape: shape)
        let elements = shape.reduce(1, *)
        let values = OwnedFloats(count: elements)
        let offset = first == 0 ? 0 : first * (info.byteCount / info.shape[0])
        withExtendedLifetime(file) {
            DequantizeFast.run(info.type, info.bytes + offset, count: elements, into: values.pointer)
        }
        return FloatTensor(shape: shape, pointer: UnsafePointer(values.pointer), storage: values)
    }

    public func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix {
        let (info, first, count) = try locate(name, shape: shape)
        guard shape.count >= 2, let columns = shape.last else {
            throw ModelFileError(file: file.path, "tensor '\(info.name)' has shape \(info.shape), not a matrix")
        }
        try StoredMatrix.check(columns: columns, type: info.type, name: info.name, file: file.path)
        let all = StoredMatrix(type: info.type, rows: info.elementCount / columns, columns: columns, base: info.bytes, storage: file)
        let perSlice = all.rows / max(info.shape[0], 1)
        return all.rows(first * perSlice ..< (first + count) * perSlice)
    }

    /// The GGUF tensor behind `name` and which slices of its first axis it is: all of them, or one expert's.
    private func locate(_ name: String, shape: [Int]) throws -> (info: GGUFTensorInfo, first: Int, count: Int) {
        guard let (ggufName, expert) = names(name) else {
            throw ModelFileError(file: file.path, "no GGUF tensor corresponds to '\(name)' for this architecture")
        }
        let info = try file.tensor(ggufName)
        if let expert {
            guard info.shape.count == shape.count + 1, Array(info.shape.dropFirst()) == shape, expert < info.shape[0] else {
                throw ModelFileError(file: file.path, "tensor '\(ggufName)' has shape \(info.shape); the metadata implies [experts, \(shape.map(String.init).joined(separator: ", "))] with more than \(expert) experts")
            }
            // Rows are whole blocks, so one expert's slab is a whole number of blocks.
            return (info, expert, 1)
        }
        guard info.shape == shape else {
            throw ModelFileError(file: file.path, "tensor '\(ggufName)' has shape \(info.shape), the metadata implies \(shape)")
        }
        return (info, 0, max(info.shape.first ?? 1, 1))
    }
}
