/// Row-wise softmax with max subtraction, in place.
public enum Softmax {
    public static func rows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0 ..< rows {
            let row = x + r * width
            let maximum = VectorMath.maximum(row, count: width)
            if maximum == -.infinity {
                // Every entry masked: zeros rather than NaN. But NaN compares below everything, so a row of NaN
                // scores (a NaN weight upstream) lands here too, and must stay NaN for the model's check to see it.
                let poisoned = (0 ..< width).contains { row[$0].isNaN }
                row.update(repeating: poisoned ? .nan : 0, count: width)
                continue
            }
            let sum = VectorMath.expInPlace(row, count: width, shift: maximum)
            VectorMath.scale(row, count: width, by: 1 / sum)
        }
    }

    /// Naive twin, in Double.
    public static func rowsNaive(_ x: [Float], rows: Int, width: Int) -> [Float] {
        var y = x
        for r in 0 ..< rows {
            let slice = x[r * width ..< (r + 1) * width].map(Double.init)
            if slice.contains(where: \.isNaN) {
                for i in 0 ..< width { y[r * width + i] = .nan }
                continue
            }
            guard let maximum = slice.max(), maximum > -.infinity else {
                for i in 0 ..< width { y[r * width + i] = 0 }
                continue
            }
            let exps = slice.map { exp($0 - maximum) }
            let sum = exps.reduce(0, +)
            for i in 0 ..< width { y[r * width + i] = Float(exps[i] / sum) }
        }
        return y
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
