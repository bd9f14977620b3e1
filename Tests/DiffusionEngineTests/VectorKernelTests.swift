import Foundation
import DiffusionCore
import Testing
@testable import DiffusionEngine

/// Every instruction-set level of the vector kernels that this CPU runs, against libm and plain loops (the naive
/// twins), at lengths that leave partial vectors; and the choice of level on recorded CPU flag sets.
@Suite struct VectorKernelTests {
    static let levels = VectorKernels.Level.allCases.filter { $0.runs(on: .current) }.compactMap { VectorKernels(level: $0) }

    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        KernelTwinTests.random(count, seed: seed, scale: scale)
    }

    @Test func expMatchesLibmAcrossTheRange() {
        #expect(!Self.levels.isEmpty)
        var x: [Float] = []
        var start: Float = -87
        while start < 88 {
            x += (0 ..< 37).map { start + Float($0) * 0.0137 }
            start += 0.173
        }
        x = x.filter { $0 < 88 }
        for kernels in Self.levels {
            var y = [Float](repeating: 0, count: x.count)
            kernels.expAll(x, &y, x.count)
            let worst = zip(x, y).map { (a: Float, b: Float) -> Float in
                let e = Float(Foundation.exp(Double(a)))
                return abs(b - e) / e
            }.max() ?? 1
            #expect(worst < 3e-7, "\(kernels.level): worst relative error \(worst)")
            let edges: [Float] = [-.infinity, -100, 0, 1, 100, .infinity, -87, 88, .nan]
            var out = [Float](repeating: 7, count: edges.count)
            kernels.expAll(edges, &out, edges.count)
            #expect(out[0] == 0 && out[1] == 0 && out[2] == 1 && out[4] == .infinity && out[5] == .infinity, "\(kernels.level)")
            #expect(abs(out[3] - 2.7182817) < 1e-6 && out[8].isNaN, "\(kernels.level)")
        }
    }

    @Test(arguments: [1, 7, 16, 37, 100])
    func reductionsAndSoftmaxPiecesMatchPlainLoops(count: Int) {
        var x = Self.random(count, seed: UInt64(count), scale: 6)
        for kernels in Self.levels {
            let plainMax = x.max() ?? -.infinity
            #expect(kernels.maximum(x, count) == plainMax, "\(kernels.level)")
            let squares = x.reduce(0.0) { $0 + Double($1) * Double($1) }
            #expect(abs(Double(kernels.sumOfSquares(x, count)) - squares) <= 1e-6 * squares, "\(kernels.level)")
            var e = x
            let sum = kernels.expShiftSum(&e, count, plainMax)
            let exact = x.map { Foundation.exp(Double($0 - plainMax)) }
            #expect(maxAbsDifference(e, exact.map(Float.init)) < 1e-6, "\(kernels.level)")
            #expect(abs(Double(sum) - exact.reduce(0, +)) < 1e-5 * exact.reduce(0, +), "\(kernels.level)")
            var scaled = x
            kernels.scale(&scaled, count, 0.37)
            #expect(scaled == x.map { $0 * 0.37 }, "\(kernels.level)")
        }
        // NaN entries are skipped by the maximum (they compare below everything), as in the plain loop.
        x[0] = .nan
        for kernels in Self.levels { #expect(kernels.maximum(x, count) == x.dropFirst().max() ?? -.infinity) }
    }

    @Test(arguments: [5, 37, 64])
    func normsGatesAndRotationMatchNaiveTwins(width: Int) {
        let rows = 3
        let x = Self.random(rows * width, seed: 9, scale: 3)
        let weight = Self.random(width, seed: 10)
        let u = Self.random(rows * width, seed: 11)
        let naiveNorm = RMSNorm.applyNaive(x, rows: rows, width: width, weight: weight, eps: 1e-5)
        let silu = zip(x, u).map { g, up in Float(Double(g) / (1 + Foundation.exp(-Double(g))) * Double(up)) }
        let gelu = zip(x, u).map { g, up in Float(GELUTanh.valueNaive(Double(g)) * Double(up)) }
        let rope = RotaryEmbedding(headDim: 2 * width, rotaryDim: 2 * width, theta: 10000)
        let (cosines, sines) = rope.tables(length: 4)
        let vector = Self.random(4 * 2 * width, seed: 12)
        let rotatedNaive = rope.applyNaive(vector, length: 4, heads: 1)
        for kernels in Self.levels {
            var y = [Float](repeating: 0, count: x.count)
            kernels.rmsNorm(x, rows, width, weight, 1e-5, &y)
            #expect(maxAbsDifference(y, naiveNorm) < 1e-5, "\(kernels.level)")
            var gated = x
            kernels.siluGate(&gated, u, gated.count)
            #expect(maxAbsDifference(gated, silu) < 1e-5, "\(kernels.level)")
            gated = x
            kernels.geluTanhGate(&gated, u, gated.count)
            #expect(maxAbsDifference(gated, gelu) < 1e-5, "\(kernels.level)")
            var rotated = vector
            rotated.withUnsafeMutableBufferPointer { v in
                cosines.withUnsafeBufferPointer { c in
                    sines.withUnsafeBufferPointer { s in
                        for p in 0 ..< 4 {
                            kernels.rotateHalf(v.baseAddress! + p * 2 * width, c.baseAddress! + p * width, s.baseAddress! + p * width, width)
                        }
                    }
                }
            }
            #expect(maxAbsDifference(rotated, rotatedNaive) < 1e-5, "\(kernels.level)")
        }
    }

    @Test func levelChoiceFollowsTheFlags() {
        let avx512 = CPUFeatures(cpuinfoFlags: "fpu sse2 pni ssse3 sse4_1 sse4_2 avx avx2 fma avx512f avx512bw avx512vl")
        let haswell = CPUFeatures(cpuinfoFlags: "fpu sse2 pni ssse3 sse4_1 sse4_2 avx avx2 fma")
        let sandyBridge = CPUFeatures(cpuinfoFlags: "fpu sse2 pni ssse3 sse4_1 sse4_2 avx")
        let arm = CPUFeatures(cpuinfoFlags: "fp asimd evtstrm aes pmull sha1 sha2 crc32")
        #expect(VectorKernels.Level.best(for: avx512) == .avx512)
        #expect(VectorKernels.Level.best(for: haswell) == .avx2)
        #expect(VectorKernels.Level.best(for: sandyBridge) == .baseline)
        #expect(VectorKernels.Level.best(for: arm) == .baseline)
    }
}
