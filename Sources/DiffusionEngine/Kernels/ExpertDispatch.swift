import Foundation

/// The grouped execution of routed experts shared by every MoE kernel: tokens are grouped by expert (gather),
/// each expert runs once over its group (three sgemms), and the results are scattered back, weighted.
enum ExpertDispatch {
    /// Experts computed at once (Dispatch threads beside OpenBLAS, which runs one thread per call meanwhile).
    /// Results do not depend on it: each expert's sgemms have the same shapes either way, and the weighted sums
    /// are added in expert order after all experts are done.
    nonisolated(unsafe) static var threads = 1

    /// y [rows, d] = Σ over each token's routes of weight · expert(x row). y is overwritten.
    static func run(
        _ x: UnsafePointer<Float>, rows: Int, width d: Int, experts: [GatedMLP],
        routes: [[(expert: Int, weight: Float)]], into y: UnsafeMutablePointer<Float>
    ) {
        var members = [[(row: Int, weight: Float)]](repeating: [], count: experts.count)
        for (row, chosen) in routes.enumerated() {
            for pick in chosen { members[pick.expert].append((row, pick.weight)) }
        }
        y.update(repeating: 0, count: rows * d)
        if threads > 1 {
            runConcurrently(x, width: d, experts: experts, members: members, into: y)
            return
        }
        let maxGroup = members.map(\.count).max() ?? 0
        let maxHidden = experts.map(\.hidden).max() ?? 0
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: max(maxGroup * d, 1))
        let expertOut = UnsafeMutablePointer<Float>.allocate(capacity: max(maxGroup * d, 1))
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(2 * maxGroup * maxHidden, 1))
        defer {
            gathered.deallocate()
            expertOut.deallocate()
            scratch.deallocate()
        }
        for (e, group) in members.enumerated() where !group.isEmpty {
            for (slot, member) in group.enumerated() {
                (gathered + slot * d).update(from: x + member.row * d, count: d)
            }
            experts[e].forward(gathered, rows: group.count, into: expertOut, scratch: scratch)
            scatter(expertOut, group: group, width: d, into: y)
        }
    }

    /// The experts on `threads` Dispatch workers, each with its own gather and scratch buffers, writing its own rows
    /// of one output slab; then the same scatter, in the same expert order, as the sequential path.
    ///
    /// Experts get very different token counts, so a fixed round-robin can leave one worker idle while another
    /// finishes its crowded experts. Instead the experts go to workers longest first (work = tokens · hidden), each
    /// to the least-loaded worker (LPT scheduling), a fixed function of the routes. An expert is never split by rows:
    /// OpenBLAS picks different kernels for different sizes (its small-matrix path), so a part of a group would not
    /// give the group's bits.
    private static func runConcurrently(
        _ x: UnsafePointer<Float>, width d: Int, experts: [GatedMLP], members: [[(row: Int, weight: Float)]],
        into y: UnsafeMutablePointer<Float>
    ) {
        let busy = members.indices.filter { !members[$0].isEmpty }
        var offsets: [Int] = []
        var total = 0
        for e in busy {
            offsets.append(total)
            total += members[e].count
        }
        let outputs = UnsafeMutablePointer<Float>.allocate(capacity: max(total * d, 1))
        defer { outputs.deallocate() }
        let workers = min(threads, total)
        guard workers > 0 else { return }
        let plan = balancedPlan(counts: busy.map { members[$0].count }, hidden: busy.map { experts[$0].hidden }, workers: workers)
        BLASThreads.single { DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let mine = plan[worker]
            let maxRows = mine.map(\.rows.count).max() ?? 0
            let maxHidden = mine.map { experts[busy[$0.index]].hidden }.max() ?? 0
            let gathered = UnsafeMutablePointer<Float>.allocate(capacity: max(maxRows * d, 1))
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(2 * maxRows * maxHidden, 1))
            defer {
                gathered.deallocate()
                scratch.deallocate()
            }
            for piece in mine {
                let group = members[busy[piece.index]]
                for (slot, member) in group[piece.rows].enumerated() {
                    (gathered + slot * d).update(from: x + member.row * d, count: d)
                }
                experts[busy[piece.index]].forward(gathered, rows: piece.rows.count,
                                                   into: outputs + (offsets[piece.index] + piece.rows.lowerBound) * d, scratch: scratch)
            }
        } }
        for (index, e) in busy.enumerated() {
            scatter(outputs + offsets[index] * d, group: members[e], width: d, into: y)
        }
    }

    /// Per worker, the pieces (busy expert `index`, its group's `rows`: all of them) it computes, longest first
    /// (work = rows · hidden) to the least-loaded worker.
    static func balancedPlan(counts: [Int], hidden: [Int], workers: Int) -> [[(index: Int, rows: Range<Int>)]] {
        var pieces = counts.enumerated().map { (index: $0.offset, rows: 0 ..< $0.element) }
        let work = { (piece: (index: Int, rows: Range<Int>)) in piece.rows.count * hidden[piece.index] }
        pieces.sort { work($0) != work($1) ? work($0) > work($1) : ($0.index, $0.rows.lowerBound) < ($1.index, $1.rows.lowerBound) }
        var plan = [[(index: Int, rows: Range<Int>)]](repeating: [], count: workers)
        var load = [Int](repeating: 0, count: workers)
        for piece in pieces {
            var lightest = 0
            for w in 1 ..< workers where load[w] < load[lightest] { lightest = w }
            plan[lightest].append(piece)
            load[lightest] += work(piece)
        }
        return plan
    }

    /// y[row] += weight · expert output, for each member of the group in order.
    private static func scatter(
        _ source: UnsafePointer<Float>, group: [(row: Int, weight: Float)], width d: Int, into y: UnsafeMutablePointer<Float>
    ) {
        for (slot, member) in group.enumerated() {
            let target = y + member.row * d
            let row = source + slot * d
            for i in 0 ..< d { target[i] += member.weight * row[i] }
        }
    }
}
