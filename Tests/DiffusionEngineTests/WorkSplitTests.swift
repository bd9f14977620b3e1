import DiffusionCore
import Testing
@testable import DiffusionEngine

/// How one forward pass's work is split across Dispatch workers: stored-weight matmuls by output columns, experts
/// by balanced pieces. Both must give the bits of one worker and cover every output exactly once.
@Suite(.serialized) struct WorkSplitTests {
    @Test func columnSlabsCoverTheOutputInWholeTiles() {
        for (outer, unit, workers) in [(37, 16, 2), (768, 16, 2), (8192, 16, 3), (5, 16, 4), (100, 16, 1), (300, 40, 3)] {
            let slabs = MatMul.columnSlabs(outer: outer, unit: unit, workers: workers)
            #expect(slabs.first?.lowerBound == 0 && slabs.last?.upperBound == outer, "\(outer) over \(workers)")
            #expect(zip(slabs, slabs.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(slabs.dropLast().allSatisfy { $0.count % unit == 0 } && slabs.count <= workers)
        }
    }

    /// A stored (non-F32) weight split across workers: each expands its own panels; the bits equal one worker's.
    @Test(arguments: [GGMLType.bf16, .q8_0]) func splitPanelsGiveTheBitsOfOneWorker(_ type: GGMLType) {
        let (tokens, inner, outer) = (64, 256, 300)
        let weight = PanelMatMulTests.matrix(type, rows: outer, columns: inner, seed: 70)
        let x = KernelTwinTests.random(tokens * inner, seed: 71)
        defer { MatMul.linearThreads = 1 }
        func run(_ workers: Int) -> [Float] {
            MatMul.linearThreads = workers
            var y = [Float](repeating: .nan, count: tokens * outer)
            x.withUnsafeBufferPointer { input in
                y.withUnsafeMutableBufferPointer {
                    MatMul.linear(input.baseAddress!, rows: tokens, inner: inner, weight: weight, outer: outer, into: $0.baseAddress!, panelRows: 40)
                }
            }
            return y
        }
        let one = run(1)
        #expect(tokens * inner * outer >= MatMul.splitThreshold)
        #expect(!one.contains { $0.isNaN })
        for workers in [2, 3] { #expect(run(workers) == one, "\(type.name), \(workers) workers") }
    }

    @Test func expertPlanCoversEveryExpertOnceAndBalances() {
        // Round-robin (experts 0, 2, 4 | 1, 3, 5) would load the workers 400 | 112; longest first gives 300 | 212.
        let counts = [300, 20, 40, 0, 60, 92]
        let hidden = [256, 256, 256, 256, 256, 256]
        let plan = ExpertDispatch.balancedPlan(counts: counts, hidden: hidden, workers: 2)
        let pieces = plan.flatMap { $0 }
        #expect(pieces.map(\.index).sorted() == Array(counts.indices))
        #expect(pieces.allSatisfy { $0.rows == 0 ..< counts[$0.index] })
        #expect(plan.map { $0.reduce(0) { $0 + $1.rows.count } }.sorted() == [212, 300])
    }
}
