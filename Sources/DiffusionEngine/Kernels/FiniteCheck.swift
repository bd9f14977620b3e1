/// Non-finite values (NaN, ±inf) in activations and logits. A NaN weight or an overflow would otherwise flow
/// silently into the logits, from there into samplers, and into `dlab logits --format json` as `nan`, which is not
/// JSON. The forward passes check each layer's output and the logits, and throw an error naming the layer (or
/// the logits) and the position.
enum FiniteCheck {
    /// Index of the first non-finite value of x[0 ..< count], or nil. Eight lanes at a time: v − v is 0 for every
    /// finite lane and NaN otherwise, and NaN is the only value unequal to itself.
    static func firstNonFinite(_ x: UnsafePointer<Float>, count: Int) -> Int? {
        var i = 0
        while i + 8 <= count {
            let lanes = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let difference = lanes - lanes
            if any(difference .!= difference) { break }
            i += 8
        }
        while i < count {
            if !x[i].isFinite { return i }
            i += 1
        }
        return nil
    }

    /// Naive twin.
    static func firstNonFiniteNaive(_ x: [Float]) -> Int? {
        x.firstIndex { !$0.isFinite }
    }

    /// Throws unless hidden [rows, width] is finite after layer `layer`.
    static func activations(_ hidden: UnsafePointer<Float>, rows: Int, width: Int, layer: Int) throws {
        guard let bad = firstNonFinite(hidden, count: rows * width) else { return }
        throw ModelInputError("non-finite activations after layer \(layer) (position \(bad / width)): a weight of this layer "
            + "or an earlier one is NaN or infinite, or the activations overflowed")
    }

    /// Throws unless logits [rows, vocabulary] are finite; `firstRow` is the position of row 0.
    static func logits(_ values: [Float], vocabularySize: Int, firstRow: Int = 0) throws {
        let found = values.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { firstNonFinite($0, count: buffer.count) }
        }
        guard let bad = found else { return }
        throw ModelInputError("non-finite logits at position \(firstRow + bad / vocabularySize), token \(bad % vocabularySize): "
            + "the final norm or the LM head holds a NaN or infinite weight")
    }
}
