/// What self-speculative decoding's rows say about its drafts, for `dlab project`'s measured MTP inputs.
public enum DraftAcceptance {
    /// Self-speculative decoding's acceptance per draft position over `rows`: drafts accepted over drafts proposed at
    /// each position, summed over the examples; nil when the rows hold no drafts. A round near the end of the canvas
    /// drafts fewer positions, so a later position's ratio can come out above an earlier one's; the projection
    /// needs reach probabilities (non-increasing), so each is capped by the one before it.
    public static func reach(_ rows: [ExampleResult]) -> [Double]? {
        var proposed: [Int] = [], accepted: [Int] = []
        for row in rows {
            guard let drafted = row.draftsProposed, let kept = row.draftsAccepted, drafted.count == kept.count else { continue }
            if proposed.count < drafted.count {
                proposed += Array(repeating: 0, count: drafted.count - proposed.count)
                accepted += Array(repeating: 0, count: drafted.count - accepted.count)
            }
            for j in drafted.indices {
                proposed[j] += drafted[j]
                accepted[j] += kept[j]
            }
        }
        var result: [Double] = []
        for j in proposed.indices where proposed[j] > 0 {
            let ratio = min(1, max(0, Double(accepted[j]) / Double(proposed[j])))
            result.append(min(ratio, result.last ?? 1))
        }
        return result.isEmpty ? nil : result
    }
}
