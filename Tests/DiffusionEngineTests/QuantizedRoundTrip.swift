import Foundation
import Testing
@testable import DiffusionEngine

/// The reference of the GGUF model tests: a Hugging Face folder's weights, each as it comes back from the type the
/// quantizer gives its GGUF tensor (quantize → dequantize on its own: no GGUF names, stacking or metadata involved).
final class QuantizedRoundTrip: WeightSource {
    let store: WeightStore
    let type: GGMLType
    /// The architecture's GGUF name of a Hugging Face tensor (`LLaDAMoEGGUF.ggufName`, `DiffusionGemmaGGUF.ggufName`).
    let ggufName: (String) -> (name: String, expert: Int?)?

    init(folder: URL, type: GGMLType, ggufName: @escaping (String) -> (name: String, expert: Int?)?) throws {
        store = try WeightStore(folder: folder)
        self.type = type
        self.ggufName = ggufName
    }

    func tensor(_ name: String, shape: [Int]) throws -> FloatTensor {
        let original = try store.tensor(name, shape: shape)
        let mapped = try #require(ggufName(name), "no GGUF name for \(name)")
        let tensorType = ModelQuantizer.tensorType(mapped.name, shape: shape, requested: type)
        let bytes = GGUFQuantizeTests.quantize(Array(original.values), tensorType)
        return FloatTensor(shape: shape, values: GGUFQuantizeTests.dequantize(bytes, tensorType, count: original.count))
    }
}
