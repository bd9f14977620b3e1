import Foundation
import Testing
@testable import Sweeps

/// The shipped models, used as a new user would.
let shippedModels = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Experiments/models")
let tinyLLaDA = shippedModels.appendingPathComponent("tiny-llada-moe").path
let tinyGemma = shippedModels.appendingPathComponent("tiny-diffusiongemma").path
let smokeSpec = shippedModels.deletingLastPathComponent().appendingPathComponent("smoke.yaml").path

/// What a finished `dlab` run left: how it ended, and what it wrote.
struct DLabOutcome {
    var status: Int32
    /// False when a signal ended it (a trap is SIGILL or SIGABRT, a timeout here SIGKILL).
    var exited: Bool
    var output: String
    var errors: String
}

/// Runs `dlab arguments…`, killing it after `timeout` seconds (a hang then shows as a signal, not as a stuck test).
func runDLab(_ arguments: [String], timeout: Double = 60) throws -> DLabOutcome {
    let process = Process()
    process.executableURL = try dlabExecutable()
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(["DLAB_GIT_COMMIT": "test"]) { $1 }
    let (output, errors) = (Pipe(), Pipe())
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Drain both pipes while it runs, so a chatty process cannot block on a full pipe.
    nonisolated(unsafe) var (out, err) = (Data(), Data())
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { out = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { err = errors.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    group.wait()
    return DLabOutcome(status: process.terminationStatus, exited: process.terminationReason == .exit,
                       output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
}

@Suite(.serialized) struct CommandLineBadInputTests {
    /// Each case of issue 8's lists (traps, hangs, silently accepted values, unclear messages) on the command line,
    /// with a piece of the clear error it must now give.
    static let cases: [(arguments: [String], expected: String)] = [
        // Traps: huge integers.
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--index", "9223372036854775807"], "--index must be ≤ 1099511627775, got 9223372036854775807"),
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--steps", "9223372036854775807"], "--steps must be ≤ 1048576, got 9223372036854775807"),
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--gen-length", "9223372036854775807"], "--gen-length must be ≤ 1048576"),
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--gen-length", "4000"], "exceed the model's context of 2048 tokens"),
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--count", "9223372036854775807"], "--count must be ≤"),
        (["logits", "--model", tinyLLaDA, "--tokens", "1,2", "--threads", "9223372036854775807"], "--threads must be ≤ 256, got 9223372036854775807"),
        (["tasks", "export", "addition", "--split", "train", "--count", "1", "--start", "9223372036854775807"], "--start must be ≤ 1099511627775"),
        (["tasks", "show", "addition", "--count", "1000000000000000"], "--count must be ≤ 1099511627776, got 1000000000000000"),
        // Hang: refused at once against the context.
        (["sample", "--model", tinyLLaDA, "--gen-length", "5", "--max-new-tokens", "100000", "A1234+5678="], "--max-new-tokens 100000 exceed the model's context of 2048 tokens"),
        // Accepted silently before.
        (["logits", "--model", tinyLLaDA, "--tokens", "1,,2"], "--tokens: item 2 of '1,,2' is empty"),
        (["logits", "--model", tinyLLaDA, "--tokens", "1,2,"], "--tokens: item 3 of '1,2,' is empty"),
        (["logits", "--model", tinyLLaDA, "--tokens", "1,99999"], "token id 99999 is outside the model's vocabulary"),
        (["logits", "--model", tinyLLaDA, "--tokens", "-1,2"], "token id -1 is outside the model's vocabulary"),
        (["logits", "--model", tinyLLaDA, "--tokens", "1,2", "--threads", "0"], "--threads must be ≥ 1, got 0"),
        (["logits", "--model", tinyLLaDA, "--tokens", "1,2", "--threads", "1000"], "--threads must be ≤ 256, got 1000"),
        (["sample", "--model", tinyLLaDA, "--gen-length", "5", "--max-new-tokens", "0", "A1+2="], "--max-new-tokens must be ≥ 1, got 0"),
        (["sample", "--model", tinyLLaDA, "--gen-length", "5", ""], "the prompt is empty"),
        (["sample", "--model", tinyGemma, "--sampler", "gemma_entropy_bound", "--gen-length", "100", "A1+2="], "--gen-length 100 exceeds the model's canvas of 16 tokens (canvas_length"),
        // Unclear messages before.
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--param", "block_length=2.5"], "parameter 'block_length' must be an integer, got '2.5'"),
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--steps", "-3"], "--steps must be ≥ 1, got -3"),
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--index", "-1"], "--index must be ≥ 0, got -1"),
        (["sample", "--model", tinyLLaDA, "--task", "addition", "--visual-delay", "-5"], "--visual-delay must be ≥ 0, got -5"),
        (["tasks", "show", "addition", "--count", "-2"], "--count must be ≥ 0, got -2"),
        (["bench", "--repeats", "-1", "--skip-reference"], "--repeats must be ≥ 1, got -1"),
        (["samplers", "bench", "--model", tinyLLaDA, "--length", "5000"], "exceed the model's context of 2048 tokens"),
        (["sweep", smokeSpec, "--threads", "-1"], "--threads must be ≥ 1, got -1"),
        (["sweep", smokeSpec, "--shard", "-1/4"], "--shard takes i/n with 0 ≤ i < n, e.g. 0/4; got '-1/4'"),
        (["sweep", smokeSpec, "--timeout", "nan"], "--timeout must be > 0"),
    ]

    @Test(arguments: cases.indices) func badNumberIsAClearError(_ index: Int) throws {
        let (arguments, expected) = Self.cases[index]
        let outcome = try runDLab(arguments, timeout: 60)
        #expect(outcome.exited, "dlab \(arguments.joined(separator: " ")) ended by a signal: \(outcome.errors)")
        #expect(outcome.status != 0, "dlab \(arguments.joined(separator: " ")) exited 0")
        #expect(outcome.errors.contains(expected), "dlab \(arguments.joined(separator: " ")): expected '\(expected)' in: \(outcome.errors)")
    }

    /// A large count streams: the first examples come out at once, with no array of a trillion examples first.
    @Test func largeTaskCountStreams() throws {
        let process = Process()
        process.executableURL = try dlabExecutable()
        process.arguments = ["tasks", "show", "addition", "--count", "1000000000000"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let head = output.fileHandleForReading.readData(ofLength: 400)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(String(decoding: head, as: UTF8.self).contains("eval[0] seed 0"))
    }

    /// A NaN weight never reaches `--format json` as `nan` (not JSON): an error, from the loader or the printer.
    @Test func nanLogitsAreNotPrintedAsJSON() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-nan-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: tinyLLaDA), to: folder)
        let weights = folder.appendingPathComponent("model.safetensors")
        var data = try Data(contentsOf: weights)
        // safetensors: an 8-byte little-endian header length, the JSON header, then the data; poison the final norm.
        let headerLength = Int(data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + headerLength)) as? [String: Any])
        let norm = try #require(header["model.norm.weight"] as? [String: Any])
        let offsets = try #require(norm["data_offsets"] as? [Int])
        #expect(norm["dtype"] as? String == "F32")
        let start = 8 + headerLength + offsets[0]
        withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { data.replaceSubrange(start ..< start + 4, with: $0) }
        try data.write(to: weights)
        let outcome = try runDLab(["logits", "--model", folder.path, "--tokens", "1,2", "--format", "json"])
        #expect(outcome.exited && outcome.status != 0, "\(outcome.output.prefix(200)) \(outcome.errors)")
        #expect(!outcome.output.lowercased().contains("nan"))
    }
}
