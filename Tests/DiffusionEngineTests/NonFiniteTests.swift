import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// A NaN weight is an error naming where it surfaced (a layer, or the logits), never logits holding NaN (which
/// `dlab logits --format json` would print as `nan`, invalid JSON).
@Suite struct NonFiniteTests {
    /// A copy of fixture `name` whose tensor `tensor` has `value` at element `index`.
    static func folder(_ name: String, tensor: String, index: Int = 3, value: Float = .nan) throws -> URL {
        let folder = try Fixtures.scratchCopy(of: name)
        let weights = folder.appendingPathComponent("model.safetensors")
        let tensors = try SafetensorsWriter.tensors(of: weights).map { entry in
            guard entry.name == tensor else { return entry }
            var values = entry.values
            values[index] = value
            return SafetensorsWriter.Tensor(name: entry.name, shape: entry.shape, values: values)
        }
        #expect(tensors.contains { $0.name == tensor })
        try SafetensorsWriter.write(tensors, dtype: .f32, to: weights)
        return folder
    }

    static func logitsError(_ folder: URL, prefix: [Int] = [], canvas: [Int]) throws -> String? {
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try ModelFolder(folder).denoiser
        do {
            let logits = try model.logits(prefix: prefix, canvas: canvas, conditioning: nil)
            Issue.record("logits returned; non-finite: \(logits.values.filter { !$0.isFinite }.count)")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [("model.layers.1.self_attn.q_proj.weight", "after layer 1"), ("model.layers.0.mlp.gate.weight", "after layer 0"),
                      ("model.embed_tokens.weight", "after layer 0"), ("lm_head.weight", "non-finite logits at position 0, token 0"),
                      ("model.norm.weight", "non-finite logits")])
    func lladaNaNWeightIsNamed(tensor: String, expected: String) throws {
        // Element 3 is in row 0 of each matrix: embedding row 0 is token 0, in the canvas; a NaN router weight
        // makes every routing probability NaN (the top-k sort must survive it).
        let message = try #require(try Self.logitsError(Self.folder("llada-moe-parity", tensor: tensor), canvas: [0, 5, 9, 1, 1, 3, 12, 0]))
        #expect(message.contains(expected), "\(message)")
    }

    @Test(arguments: [("model.decoder.layers.2.self_attn.o_proj.weight", "after layer 2"), ("model.decoder.norm.weight", "non-finite logits"),
                      ("model.decoder.layers.0.mlp.up_proj.weight", "after layer 0")])
    func gemmaNaNWeightIsNamed(tensor: String, expected: String) throws {
        let message = try #require(try Self.logitsError(Self.folder("diffusiongemma-parity", tensor: tensor), prefix: [2, 5, 7], canvas: [3, 4, 5, 6]))
        #expect(message.contains(expected), "\(message)")
    }

    @Test func softmaxKeepsNaNVisibleAndMaskedRowsZero() {
        var values: [Float] = [.nan, .nan, .nan, -.infinity, -.infinity, -.infinity, 1, .nan, 2]
        let naive = Softmax.rowsNaive(values, rows: 3, width: 3)
        values.withUnsafeMutableBufferPointer { Softmax.rows($0.baseAddress!, rows: 3, width: 3) }
        for result in [values, naive] {
            #expect(result[0 ..< 3].allSatisfy(\.isNaN) && result[3 ..< 6].allSatisfy { $0 == 0 } && result[6 ..< 9].allSatisfy(\.isNaN))
        }
    }

    @Test func finiteCheckMatchesItsNaiveTwin() {
        var generator = SeededGenerator(seed: 8)
        for count in [0, 1, 7, 8, 9, 31, 64, 100] {
            for special in [Float.nan, .infinity, -.infinity, -.nan] {
                for position in [nil, 0, count / 2, count - 1] as [Int?] {
                    var values = (0 ..< count).map { _ in Float.random(in: -1e30 ... 1e30, using: &generator) }
                    if let position, position >= 0, position < count { values[position] = special }
                    let fast = values.withUnsafeBufferPointer { buffer in buffer.baseAddress.flatMap { FiniteCheck.firstNonFinite($0, count: count) } }
                    #expect(fast == FiniteCheck.firstNonFiniteNaive(values), "count \(count) special \(special) at \(String(describing: position))")
                }
            }
        }
        #expect(FiniteCheck.firstNonFiniteNaive([.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude]) == nil)
    }
}
