import DiffusionCore
import Foundation
import Testing
@testable import DiffusionEngine

/// Matmuls over weights kept as stored: the panel-by-panel paths against their naive twins (the whole weight
/// expanded first, then one sgemm), for every stored type, with panels small enough that a matrix takes several
/// (the last one partial).
@Suite struct PanelMatMulTests {
    static let types = GGUFDequantizeTests.types

    /// A [rows, columns] matrix of `type` encoding random values (the quantizer of `dlab quantize`), so its blocks
    /// and scales are valid.
    static func matrix(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> StoredMatrix {
        let values = KernelTwinTests.random(rows * columns, seed: seed, scale: 0.5)
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: rows * columns) ?? 0)
        values.withUnsafeBufferPointer { source in
            bytes.withUnsafeMutableBytes { Quantize.run(type, source.baseAddress!, count: values.count, into: $0.baseAddress!) }
        }
        return StoredMatrix(type: type, rows: rows, columns: columns, bytes: bytes)
    }

    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        let scale = max(b.map(abs).max() ?? 0, 1e-30)
        return maxAbsDifference(a, b) / scale
    }

    @Test(arguments: types) func linearPanelsMatchExpandingWhole(_ type: GGMLType) {
        let (tokens, inner, outer) = (5, 512, 37)
        let weight = Self.matrix(type, rows: outer, columns: inner, seed: 40 + UInt64(type.rawValue))
        let x = KernelTwinTests.random(tokens * inner, seed: 41)
        var panels = [Float](repeating: .nan, count: tokens * outer)
        var whole = [Float](repeating: .nan, count: tokens * outer)
        x.withUnsafeBufferPointer { input in
            let x = input.baseAddress!
            // 8 rows per panel: 5 panels, the last of 5 rows (F32 in place ignores the panel size).
            panels.withUnsafeMutableBufferPointer {
                MatMul.linear(x, rows: tokens, inner: inner, weight: weight, outer: outer, into: $0.baseAddress!, panelRows: 8)
            }
            whole.withUnsafeMutableBufferPointer {
                MatMul.linearExpandingWhole(x, rows: tokens, inner: inner, weight: weight, outer: outer, into: $0.baseAddress!)
            }
        }
        #expect(Self.relativeDifference(panels, whole) < 1e-6, "\(type.name)")
        // And against the plain three loops in Double on the expanded weight.
        var naive = [Float](repeating: 0, count: tokens * outer)
        x.withUnsafeBufferPointer { input in
            weight.expanded.withUnsafeBufferPointer { w in
                naive.withUnsafeMutableBufferPointer {
                    MatMul.linearNaive(input.baseAddress!, rows: tokens, inner: inner, weight: w.baseAddress!, outer: outer, into: $0.baseAddress!)
                }
            }
        }
        #expect(Self.relativeDifference(panels, naive) < 1e-5, "\(type.name)")
    }

    @Test(arguments: types) func accumulatingPanelsAddIntoTheOutput(_ type: GGMLType) {
        let (tokens, inner, outer) = (3, 256, 11)
        let weight = Self.matrix(type, rows: outer, columns: inner, seed: 50)
        let x = KernelTwinTests.random(tokens * inner, seed: 51)
        let start = KernelTwinTests.random(tokens * outer, seed: 52)
        var panels = start, whole = start
        x.withUnsafeBufferPointer { input in
            panels.withUnsafeMutableBufferPointer {
                MatMul.linear(input.baseAddress!, rows: tokens, inner: inner, weight: weight, outer: outer, into: $0.baseAddress!,
                              accumulate: true, panelRows: 3)
            }
            whole.withUnsafeMutableBufferPointer {
                MatMul.linearExpandingWhole(input.baseAddress!, rows: tokens, inner: inner, weight: weight, outer: outer,
                                            into: $0.baseAddress!, accumulate: true)
            }
        }
        #expect(Self.relativeDifference(panels, whole) < 1e-6, "\(type.name)")
    }

    @Test(arguments: types) func productPanelsMatchExpandingWhole(_ type: GGMLType) {
        // probabilities [C, V] · embedding [V, d]: panels split the inner axis, so their sums accumulate in order.
        let (tokens, vocabulary, d) = (4, 29, 256)
        let weight = Self.matrix(type, rows: vocabulary, columns: d, seed: 60)
        let x = KernelTwinTests.random(tokens * vocabulary, seed: 61)
        var panels = [Float](repeating: .nan, count: tokens * d)
        var whole = [Float](repeating: .nan, count: tokens * d)
        x.withUnsafeBufferPointer { input in
            panels.withUnsafeMutableBufferPointer {
                MatMul.product(input.baseAddress!, rows: tokens, inner: vocabulary, by: weight, columns: d, into: $0.baseAddress!, panelRows: 6)
            }
            whole.withUnsafeMutableBufferPointer {
                MatMul.productExpandingWhole(input.baseAddress!, rows: tokens, inner: vocabulary, by: weight, columns: d, into: $0.baseAddress!)
            }
        }
        #expect(Self.relativeDifference(panels, whole) < 1e-5, "\(type.name)")
    }

    @Test(arguments: types) func rowsAndSlicesExpandLikeTheWholeMatrix(_ type: GGMLType) {
        let (rows, columns) = (12, 256)
        let weight = Self.matrix(type, rows: rows, columns: columns, seed: 70)
        let all = weight.expanded
        var row = [Float](repeating: .nan, count: columns)
        row.withUnsafeMutableBufferPointer { weight.expandRow(7, into: $0.baseAddress!) }
        #expect(row.map(\.bitPattern) == all[7 * columns ..< 8 * columns].map(\.bitPattern))
        // Expert 2 of a stack of 3 [4, columns] matrices is rows 8 ..< 12.
        let expert = weight.slice(2, of: 3)
        #expect(expert.rows == 4 && expert.expanded.map(\.bitPattern) == all[8 * columns ..< 12 * columns].map(\.bitPattern))
        #expect(weight.storedBytes == type.byteCount(elements: rows * columns))
    }

    /// Each thread expands into its own scratch: experts on several threads give the results of one thread.
    @Test func concurrentPanelsUseSeparateScratch() {
        let (tokens, inner, outer) = (4, 256, 40)
        let weights = (0 ..< 8).map { Self.matrix(.q4_K, rows: outer, columns: inner, seed: 80 + UInt64($0)) }
        let x = KernelTwinTests.random(tokens * inner, seed: 90)
        func run(_ weight: StoredMatrix) -> [Float] {
            var y = [Float](repeating: 0, count: tokens * outer)
            x.withUnsafeBufferPointer { input in
                y.withUnsafeMutableBufferPointer {
                    MatMul.linear(input.baseAddress!, rows: tokens, inner: inner, weight: weight, outer: outer, into: $0.baseAddress!, panelRows: 7)
                }
            }
            return y
        }
        let sequential = weights.map(run)
        let results = UnsafeMutableBufferPointer<[Float]>.allocate(capacity: weights.count)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: weights.count) { results[$0] = run(weights[$0]) }
        for (index, expected) in sequential.enumerated() {
            #expect(results[index].map(\.bitPattern) == expected.map(\.bitPattern), "weight \(index)")
        }
    }
}

extension PanelMatMulTests {
    /// A quantized matrix whose rows are not whole blocks (48 columns of Q8_0, blocks of 32) cannot be expanded
    /// row by row: an error naming the file and the tensor, not a trap.
    @Test func rowsOfPartialBlocksAreAnError() throws {
        let bad = GGUFBadInputTests()
        var b = GGUFBadInputTests.Bytes()
        b.header(tensors: 1, keys: 0)
        b.tensor("w", dims: [48, 2], type: GGMLType.q8_0.rawValue, offset: 0)
        b.pad(to: 32)
        b.data.append(Data(count: 3 * GGMLType.q8_0.typeSize))
        let path = try bad.write(b.data)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error: ModelFileError
        do {
            let weights = GGUFWeights(file: try GGUFFile(path: path), names: { ($0, nil) })
            error = try #require(throws: ModelFileError.self) { try weights.matrix("w", shape: [2, 48]) }
        } catch let opening as ModelFileError {
            error = opening
        }
        #expect(error.file == path && error.message.contains("'w'"), "\(error)")
    }
}
