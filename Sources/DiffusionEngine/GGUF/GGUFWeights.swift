/// The tensors of a GGUF file looked up by their Hugging Face names (through an architecture's name map), each
/// expanded to F32 on lookup. One expert of a stacked `[E, rows, columns]` tensor is its E-th slab of blocks.
/// For now every tensor is expanded whole into owned F32 storage when the model is built; expanding panel by panel
/// at matmul time (weights kept as stored) is the next step of this work.
public final class GGUFWeights: WeightSource {
    public let file: GGUFFile
    private let names: (String) -> (name: String, expert: Int?)?

    public init(file: GGUFFile, names: @escaping (String) -> (name: String, expert: Int?)?) {
        self.file = file
        self.names = names
    }

    public func tensor(_ name: String, shape: [Int]) throws -> FloatTensor {
        guard let (ggufName, expert) = names(name) else {
            throw ModelFileError(file: file.path, "no GGUF tensor corresponds to '\(name)' for this architecture")
        }
        let info = try file.tensor(ggufName)
        let elements = shape.reduce(1, *)
        var source = info.bytes
        if let expert {
            guard info.shape.count == shape.count + 1, Array(info.shape.dropFirst()) == shape, expert < info.shape[0] else {
                throw ModelFileError(file: file.path, "tensor '\(ggufName)' has shape \(info.shape); the metadata implies [experts, \(shape.map(String.init).joined(separator: ", "))] with more than \(expert) experts")
            }
            // Rows are whole blocks, so one expert's slab is a whole number of blocks.
            source += expert * (info.byteCount / info.shape[0])
        } else {
            guard info.shape == shape else {
                throw ModelFileError(file: file.path, "tensor '\(ggufName)' has shape \(info.shape), the metadata implies \(shape)")
            }
        }
        var values = [Float](repeating: 0, count: elements)
        values.withUnsafeMutableBufferPointer { DequantizeFast.run(info.type, source, count: elements, into: $0.baseAddress!) }
        return FloatTensor(shape: shape, values: values)
    }
}
