import DiffusionCore
import Foundation
@testable import DiffusionEngine

/// Paths to the committed fixtures (made by Experiments/models/tools/make_parity_fixtures.py).
enum Fixtures {
    static var root: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    static func folder(_ name: String) -> URL { root.appendingPathComponent(name) }

    /// One golden case: input ids, optional key mask, logits [T, V] from the PyTorch reference, named taps.
    struct GoldenCase: Decodable {
        let name: String
        let tokens: [Int]
        let key_mask: [Int]?
        let logits: [[Float]]
        let taps: [String: [[Float]]]?
    }

    static func golden(_ folder: String, file: String) throws -> [GoldenCase] {
        let data = try Data(contentsOf: Fixtures.folder(folder).appendingPathComponent(file))
        return try JSONDecoder().decode([GoldenCase].self, from: data)
    }

    /// A scratch copy of a fixture folder that a test may damage.
    static func scratchCopy(of name: String) throws -> URL {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("dlab-\(name)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder(name), to: target)
        return target
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "compared arrays differ in length: \(a.count) vs \(b.count)")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
