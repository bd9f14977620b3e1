import DiffusionCore
import Foundation
import Samplers

/// The scripted model's shadow block, as sampler_trajectories_2026.py defines it: row i is the scripted row of block
/// position i over the canvas with that position masked (leave-one-out), all in the same (one) forward pass.
extension ScriptedDenoiser: ShadowBlockModel {
    var shadowBlock: (any ShadowBlockModel)? { self }

    func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits) {
        let main = try logits(prefix: prefix, canvas: canvas, conditioning: nil)
        var values: [Float] = []
        for i in block {
            var hidden = canvas
            hidden[i] = specialTokens.mask ?? 1
            let rows = try logits(prefix: prefix, canvas: hidden, conditioning: nil)
            values += rows.values[i * vocabularySize ..< (i + 1) * vocabularySize]
        }
        return (main, Logits(rows: block.count, vocabularySize: vocabularySize, values: values))
    }
}

/// Replays the shadow rows the reference recorded with each WINO pass.
extension TapeDenoiser: ShadowBlockModel {
    var shadowBlock: (any ShadowBlockModel)? { self }

    func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits) {
        let main = try logits(prefix: prefix, canvas: canvas, conditioning: nil)
        let call = tape.first { $0.tokens == prefix + canvas && $0.shadow != nil }
        guard let text = call?.shadow, let bytes = Data(base64Encoded: text) else {
            throw Mismatch(description: "the reference recorded no shadow block for \(prefix + canvas)")
        }
        let values = bytes.withUnsafeBytes { raw in
            (0 ..< bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        return (main, Logits(rows: block.count, vocabularySize: vocabularySize, values: values))
    }
}

/// The favourite tokens win in the shadow block too.
extension FavouriteDenoiser: ShadowBlockModel {
    var shadowBlock: (any ShadowBlockModel)? { self }

    func logitsWithShadow(prefix: [TokenID], canvas: [TokenID], block: Range<Int>) throws -> (canvas: Logits, shadow: Logits) {
        var (main, shadow) = try base.logitsWithShadow(prefix: prefix, canvas: canvas, block: block)
        main = try logits(prefix: prefix, canvas: canvas, conditioning: nil)
        for row in 0 ..< block.count {
            for (rank, token) in favourites.enumerated() { shadow.values[row * vocabularySize + token] = 100 - Float(rank) }
        }
        return (main, shadow)
    }
}
