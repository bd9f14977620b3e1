import Foundation
import GRDB
import Testing
@testable import Sweeps

/// The `dlab` executable built beside the test bundle (the test target depends on it).
func dlabExecutable() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["DLAB_EXECUTABLE"] { return URL(fileURLWithPath: path) }
    let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
    for folder in candidates {
        let url = folder.appendingPathComponent("dlab")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw SamplerSeamError("dlab executable not found near \(CommandLine.arguments[0]); set DLAB_EXECUTABLE")
}

func startSweep(_ spec: URL) throws -> Process {
    let process = Process()
    process.executableURL = try dlabExecutable()
    process.arguments = ["sweep", spec.path, "--quiet"]
    process.environment = ProcessInfo.processInfo.environment.merging(["DLAB_GIT_COMMIT": "test"]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

func rowCount(_ url: URL) -> Int {
    guard FileManager.default.fileExists(atPath: url.path),
          let queue = try? DatabaseQueue(path: url.path),
          let count = try? queue.read({ db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM examples") ?? 0 })
    else { return 0 }
    return count
}

@Suite(.serialized) struct KillResumeTests {
    /// Kills a real `dlab sweep` with SIGKILL several times while it writes, resumes it each time, and proves the
    /// final database equals an uninterrupted sweep's: nothing lost, nothing duplicated.
    @Test func sweepKilledWithSigkillResumesWithNothingLostOrDuplicated() throws {
        let file = try writeSweepSpec(examples: 40, name: "killed")
        let spec = try ExperimentSpec(contentsOf: file)
        try spec.createResultsFolder()
        let expected = spec.runs().reduce(0) { $0 + $1.exampleCount }

        var kills = 0
        var previous = 0
        var countsAtKill: [Int] = []
        for round in 0 ..< 6 {
            let process = try startSweep(file)
            // Wait until this round has written some rows, then kill it at a moment that varies with the round.
            let deadline = Date().addingTimeInterval(60)
            while rowCount(spec.database) < previous + 10 + 7 * round, process.isRunning, Date() < deadline {
                usleep(5_000)
            }
            usleep(UInt32(1_000 * (round * 7 % 5)))
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            kills += 1
            let now = rowCount(spec.database)
            #expect(now >= previous)
            previous = now
            countsAtKill.append(now)
        }
        print("dlab sweep killed \(kills) times with SIGKILL, rows after each kill: \(countsAtKill) of \(expected)")
        #expect(kills >= 3, "the sweep finished before it could be killed three times; make it longer")
        #expect(previous < expected)

        let last = try startSweep(file)
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)

        let database = try ResultsDatabase(spec.database)
        #expect(try database.count() == expected)
        let distinct = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT run_key || '#' || example_index || '#' || repeat_index) FROM examples")
        }
        #expect(distinct == expected)

        // The same sweep, never interrupted, in the library.
        let reference = file.deletingLastPathComponent().appendingPathComponent("reference.sqlite")
        var runner = SweepRunner(spec: spec, database: try ResultsDatabase(reference))
        runner.gitCommit = "test"
        _ = try runner.run()
        #expect(try deterministicRows(spec.database) == deterministicRows(reference))
    }
}
