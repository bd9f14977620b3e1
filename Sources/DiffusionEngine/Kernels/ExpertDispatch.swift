/// The grouped execution of routed experts shared by every MoE kernel: tokens are grouped by expert (gather),
/// each expert runs once over its group (three sgemms), and the results are scattered back, weighted.
enum ExpertDispatch {
    /// y [rows, d] = Σ over each token's routes of weight · expert(x row). y is overwritten.
    static func run(
        _ x: UnsafePointer<Float>, rows: Int, width d: Int, experts: [GatedMLP],
        routes: [[(expert: Int, weight: Float)]], into y: UnsafeMutablePointer<Float>
    ) {
        var members = [[(row: Int, weight: Float)]](repeating: [], count: experts.count)
        for (row, chosen) in routes.enumerated() {
            for pick in chosen { members[pick.expert].append((row, pick.weight)) }
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
        y.update(repeating: 0, count: rows * d)
        for (e, group) in members.enumerated() where !group.isEmpty {
            for (slot, member) in group.enumerated() {
                (gathered + slot * d).update(from: x + member.row * d, count: d)
            }
            experts[e].forward(gathered, rows: group.count, into: expertOut, scratch: scratch)
            for (slot, member) in group.enumerated() {
                let target = y + member.row * d
                let source = expertOut + slot * d
                for i in 0 ..< d { target[i] += member.weight * source[i] }
            }
        }
    }
}
