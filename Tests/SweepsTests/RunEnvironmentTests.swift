import Foundation
import Testing
@testable import Sweeps

/// The BLAS kernels and threads stored with every row: round trip, the report's grouping, and merges that
/// compare results, not machines.
@Suite struct RunEnvironmentTests {
    @Test func blasColumnsRoundTripAndGroup() throws {
        let database = try ResultsDatabase(scratchURL("results.sqlite"))
        try database.insert(sampleResult(index: 0))  // a row written before the columns: NULL
        for index in 1 ... 3 {
            var row = sampleResult(index: index)
            (row.blasCore, row.blasThreads, row.batchSize) = ("Cooperlake", 1, 16)
            try database.insert(row)
        }
        #expect(try database.allResults().map(\.blasCore) == [nil, "Cooperlake", "Cooperlake", "Cooperlake"])
        let environments = try database.runEnvironments()
        #expect(environments.map(\.blasCore) == ["Cooperlake", "?"])
        #expect(environments.map(\.rows) == [3, 1])
        #expect(environments.map(\.blasThreads) == [1, nil])
        #expect(environments.map(\.batchSize) == [16, nil])
    }

    @Test func mergeIgnoresTheMachine() throws {
        let (first, second) = (scratchURL("a.sqlite"), scratchURL("b.sqlite"))
        var row = sampleResult(index: 0)
        (row.blasCore, row.blasThreads) = ("Haswell", 1)
        try ResultsDatabase(first).insert(row)
        (row.blasCore, row.blasThreads, row.wallSeconds) = ("Cooperlake", 2, 0.5)
        let merged = try ResultsDatabase(second)
        try merged.insert(row)
        #expect(try merged.merge(from: [first]) == (added: 0, skipped: 1))
    }
}
