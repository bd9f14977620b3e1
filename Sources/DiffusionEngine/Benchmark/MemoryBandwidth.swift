import Foundation

/// A STREAM-like memory-bandwidth probe (after McCalpin's STREAM, https://www.cs.virginia.edu/stream/): copy
/// (c = a) and triad (a = b + s·c) over arrays far larger than the caches, counted as STREAM counts them (copy moves
/// 2 words per element, triad 3; write-allocate traffic is not counted). The median of several runs is reported.
public enum MemoryBandwidth {
    public struct Result: Sendable, Equatable {
        public var threads: Int
        /// Bytes per second.
        public var copy: Double
        public var triad: Double
    }

    /// Measures with `threads` threads, each streaming its own contiguous slice of three arrays of `elements` floats.
    /// The default 2^25 floats (128 MiB per array) is well beyond the last-level cache of desktop and server CPUs.
    public static func measure(threads: Int, elements: Int = 1 << 25, repeats: Int = 7) -> Result {
        let threads = max(threads, 1)
        let a = UnsafeMutableBufferPointer<Float>.allocate(capacity: elements)
        let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: elements)
        let c = UnsafeMutableBufferPointer<Float>.allocate(capacity: elements)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        // First touch from the threads that later stream each slice, so pages land near them.
        parallel(threads: threads, elements: elements) { range in
            for i in range { a[i] = 1; b[i] = 2; c[i] = 0 }
        }
        let bytes = Double(MemoryLayout<Float>.size * elements)
        let copy = Stopwatch.median(repeats: repeats) {
            parallel(threads: threads, elements: elements) { range in copyKernel(from: a, to: c, range: range) }
        }
        let triad = Stopwatch.median(repeats: repeats) {
            parallel(threads: threads, elements: elements) { range in triadKernel(a, b, c, scalar: 3, range: range) }
        }
        return Result(threads: threads, copy: 2 * bytes / copy, triad: 3 * bytes / triad)
    }

    /// c[i] = a[i] over `range`.
    static func copyKernel(from a: UnsafeMutableBufferPointer<Float>, to c: UnsafeMutableBufferPointer<Float>, range: Range<Int>) {
        guard let source = a.baseAddress, let target = c.baseAddress else { return }
        (target + range.lowerBound).update(from: source + range.lowerBound, count: range.count)
    }

    /// a[i] = b[i] + scalar · c[i] over `range` (the hot loop on raw pointers; `triadReference` is its plain twin).
    static func triadKernel(_ a: UnsafeMutableBufferPointer<Float>, _ b: UnsafeMutableBufferPointer<Float>,
                            _ c: UnsafeMutableBufferPointer<Float>, scalar: Float, range: Range<Int>) {
        guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return }
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let vb = UnsafeRawPointer(pb + i).loadUnaligned(as: SIMD8<Float>.self)
            let vc = UnsafeRawPointer(pc + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(pa + i).storeBytes(of: vb + scalar * vc, as: SIMD8<Float>.self)
            i += 8
        }
        while i < range.upperBound { pa[i] = pb[i] + scalar * pc[i]; i += 1 }
    }

    /// The triad on plain arrays, to check the kernel against.
    public static func triadReference(b: [Float], c: [Float], scalar: Float) -> [Float] {
        zip(b, c).map { $0 + scalar * $1 }
    }

    /// The triad kernel on arrays (for tests): a = b + scalar · c.
    public static func triad(b: [Float], c: [Float], scalar: Float) -> [Float] {
        var a = [Float](repeating: 0, count: b.count)
        var b = b, c = c
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeMutableBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in triadKernel(pa, pb, pc, scalar: scalar, range: 0 ..< pa.count) }
            }
        }
        return a
    }

    /// Runs `body` on `threads` contiguous slices of 0..<elements at once.
    private static func parallel(threads: Int, elements: Int, _ body: (Range<Int>) -> Void) {
        let chunk = (elements + threads - 1) / threads
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            let start = min(index * chunk, elements)
            body(start ..< min(start + chunk, elements))
        }
    }
}
