import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// A checkpoint split into shards with `model.safetensors.index.json` (as large Hugging Face models ship) loads
/// and gives the same logits as the single file.
@Suite struct ShardedWeightsTests {
    /// Writes `entries` as one safetensors file (F32/F16/BF16 bytes copied as they are).
    func write(_ entries: [TensorEntry], to url: URL) throws {
        var header: [String: Any] = [:]
        var data = Data()
        for entry in entries.sorted(by: { $0.name < $1.name }) {
            let size = entry.elementCount * entry.dtype.byteCount
            header[entry.name] = ["dtype": entry.dtype.rawValue, "shape": entry.shape, "data_offsets": [data.count, data.count + size]]
            data.append(Data(bytes: entry.bytes, count: size))
        }
        let headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        var length = UInt64(headerData.count).littleEndian
        var file = Data(bytes: &length, count: 8)
        file.append(headerData)
        file.append(data)
        try file.write(to: url)
    }

    @Test func shardsLoadLikeTheSingleFile() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        let single = folder.appendingPathComponent("model.safetensors")
        let original = try SafetensorsFile(path: single.path)
        let names = original.entries.keys.sorted()
        let halves = [Array(names.prefix(names.count / 2)), Array(names.dropFirst(names.count / 2))]
        var weightMap: [String: String] = [:]
        for (index, half) in halves.enumerated() {
            let shard = "model-0000\(index + 1)-of-00002.safetensors"
            try write(half.map { original.entries[$0]! }, to: folder.appendingPathComponent(shard))
            for name in half { weightMap[name] = shard }
        }
        try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": weightMap])
            .write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        try FileManager.default.removeItem(at: single)

        let sharded = try ModelFolder(folder)
        let reference = try ModelFolder(Fixtures.folder("llada-moe-parity"))
        let tokens = [21, 3, 4, 13, 5, 17, 1, 1, 1]
        let expected = try reference.denoiser.logits(prefix: [], canvas: tokens, conditioning: nil)
        let actual = try sharded.denoiser.logits(prefix: [], canvas: tokens, conditioning: nil)
        #expect(actual.values == expected.values)
    }

    @Test func indexNamingAMissingShardIsAClearError() throws {
        let folder = try Fixtures.scratchCopy(of: "llada-moe-parity")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("model.safetensors"))
        try JSONSerialization.data(withJSONObject: ["weight_map": ["model.norm.weight": "model-00009.safetensors"]])
            .write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        #expect(throws: ModelFileError.self) { try ModelFolder(folder) }
    }
}
