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

    /// The experts on `threads` Dispatch workers, each with its own gather and scratch buffers and its own output
    /// slab; then the same scatter, in the same expert order, as the sequential path.
    private static func runConcurrently(
        _ x: UnsafePointer<Float>, width d: Int, experts: [GatedMLP], members: [[(row: Int, weight: Float)]],
        into y: UnsafeMutablePointer<Float>
    ) {
        let busy = members.indices.filter { !members[$0].isEmpty }
        var offsets: [Int] = []
        var total = 0
        for e in busy {
            offsets.append(total)
            total += members[e].count * d
        }
        let outputs = UnsafeMutablePointer<Float>.allocate(capacity: max(total, 1))
        defer { outputs.deallocate() }
        let workers = min(threads, busy.count)
        BLASThreads.single { DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // Worker w takes experts w, w + workers, ...: a fixed assignment, so each runs on its own buffers.
            let mine = stride(from: worker, to: busy.count, by: workers).map { $0 }
            let maxGroup = mine.map { members[busy[$0]].count }.max() ?? 0
            let maxHidden = mine.map { experts[busy[$0]].hidden }.max() ?? 0
            let gathered = UnsafeMutablePointer<Float>.allocate(capacity: max(maxGroup * d, 1))
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(2 * maxGroup * maxHidden, 1))
            defer {
                gathered.deallocate()
                scratch.deallocate()
            }
            for index in mine {
                let group = members[busy[index]]
                for (slot, member) in group.enumerated() {
                    (gathered + slot * d).update(from: x + member.row * d, count: d)
                }
                experts[busy[index]].forward(gathered, rows: group.count, into: outputs + offsets[index], scratch: scratch)
            }
        } }
        for (index, e) in busy.enumerated() {
            scatter(outputs + offsets[index], group: members[e], width: d, into: y)
        }
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
