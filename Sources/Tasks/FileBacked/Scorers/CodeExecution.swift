import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a model's program against a benchmark's tests, as HumanEval's `check_correctness` (github.com/openai/
/// human-eval, `human_eval/execution.py`) and the harness's `code_eval` do, but contained: a new user, network and
/// PID namespace (`unshare`: no network, and killing it on time-out takes every process the program forked),
/// resource limits (`prlimit`: address space, processes, CPU seconds, file size, open files), a fresh temporary
/// directory removed afterwards, and a wall-clock limit. Where the namespaces cannot be created it refuses with an
/// error rather than run model code with network access. Nothing runs unless execution is allowed.
public struct CodeSandbox: Sendable {
    public var wallSeconds: Double = 10
    public var memoryBytes: Int = 2 << 30
    public var processes: Int = 64
    public var fileBytes: Int = 16 << 20

    public init() {}

    /// The command that runs `script` in the sandbox. As root, the program first drops to the `nobody` user
    /// (`setpriv`): the kernel does not apply the process limit to root, and a fork bomb must hit it.
    func command(script: String) -> [String] {
        let dropRoot = geteuid() == 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : []
        return dropRoot + [
            "unshare", "--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child", "--",
            "prlimit", "--as=\(memoryBytes)", "--nproc=\(processes)", "--cpu=\(Int(wallSeconds.rounded(.up)) + 1)",
            "--fsize=\(fileBytes)", "--nofile=64", "--",
            Self.python, "-I", "-B", script,
        ]
    }

    /// The interpreter: `DLAB_PYTHON`, else the system's `/usr/bin/python3` (readable by `nobody`, unlike a
    /// per-user install), else `python3` on the PATH.
    static var python: String {
        if let path = ProcessInfo.processInfo.environment["DLAB_PYTHON"], !path.isEmpty { return path }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// Whether the interpreter is there (an absolute path, or a name on the PATH).
    static var interpreterExists: Bool {
        let python = Self.python
        if python.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: python) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(python)") }
    }

    /// Whether this machine can create the namespaces, checked once per process.
    static let namespacesAvailable: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = (geteuid() == 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : [])
            + ["unshare", "--user", "--map-root-user", "--net", "--pid", "--fork", "--", "true"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do {
            try probe.run()
        } catch {
            return false
        }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// Runs `program` (Python source); true if it exits with status 0 within the time limit.
    /// - Throws: `CodeExecutionError` when execution is not allowed or the sandbox cannot be made.
    public func passes(_ program: String, allowed: Bool) throws -> Bool {
        guard allowed else { throw CodeExecutionError.notAllowed }
        guard Self.namespacesAvailable else { throw CodeExecutionError.noSandbox }
        guard Self.interpreterExists else { throw CodeExecutionError.noInterpreter(Self.python) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-code-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw CodeExecutionError.io("cannot create \(folder.path): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("program.py")
        do {
            try Data(program.utf8).write(to: script)
        } catch {
            throw CodeExecutionError.io("cannot write \(script.path): \(error.localizedDescription)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command(script: script.path)
        process.currentDirectoryURL = folder
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": folder.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw CodeExecutionError.io("cannot start the sandbox: \(error.localizedDescription)")
        }
        if finished.wait(timeout: .now() + wallSeconds) == .timedOut {
            // SIGKILL to unshare; --kill-child takes its child, the namespace's PID 1, and with it every process.
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            return false
        }
        return process.terminationReason == .exit && process.terminationStatus == 0
    }
}

/// Why model code was not run.
public enum CodeExecutionError: Error, CustomStringConvertible, Equatable {
    case notAllowed
    case noSandbox
    case noInterpreter(String)
    case io(String)

    public var description: String {
        switch self {
        case .notAllowed:
            return "this task executes the model's code: set allow_code_execution: true in the experiment file (or the task definition), or pass --allow-code-execution"
        case .noSandbox:
            return "cannot create a network namespace here (unshare --user --net failed), so the model's code is not run; use a machine that allows unprivileged user namespaces"
        case .noInterpreter(let python):
            return "no Python interpreter at '\(python)' to run the model's code; install python3 or set DLAB_PYTHON"
        case .io(let message):
            return "code execution: \(message)"
        }
    }
}

/// The whole output as the answer.
public struct WholeOutputExtractor: AnswerExtractor {
    public static let name = "whole_output"
    public init() {}
    public func extract(_ output: String, _ input: ScoringInput) -> String? { output }
}

/// The first fenced code block (```` ```python … ``` ````, or an unterminated one to the end), else the whole output.
public struct CodeBlockExtractor: AnswerExtractor {
    public static let name = "code_block"
    static let block = PythonRegex("(?s)```[A-Za-z0-9_+-]*\\n(.*?)(?:```|$)")
    public init() {}
    public func extract(_ output: String, _ input: ScoringInput) -> String? { Self.block.firstGroup(output) ?? output }
}

/// HumanEval: `prompt + completion + "\n" + test + "\n" + "check(entry_point)"` must exit cleanly (human-eval's
/// `check_correctness`). Roles: `tests` (the `test` field), `entry_point`; the prompt is the record's `prompt`
/// role (the function signature the completion continues).
public struct HumanEvalExecution: AnswerScorer {
    public static let name = "humaneval_execution"
    public static let roles = ["code_prompt", "tests", "entry_point"]
    public static let executesCode = true
    public init() {}

    public func score(_ answer: String?, _ input: ScoringInput) throws -> Double {
        guard input.allowCodeExecution else { throw CodeExecutionError.notAllowed }
        guard let answer else { return 0 }
        let program = (input.field("code_prompt")?.text ?? "") + answer + "\n" + (input.field("tests")?.text ?? "") + "\n"
            + "check(\(input.field("entry_point")?.text ?? ""))\n"
        return try CodeSandbox().passes(program, allowed: true) ? 1 : 0
    }
}

/// MBPP: `completion + "\n" + test_setup_code + "\n" + the asserts of test_list` must exit cleanly (the harness's
/// `mbpp` task through `code_eval`). Roles: `tests` (a list of assert lines), optional `setup`.
public struct MBPPExecution: AnswerScorer {
    public static let name = "mbpp_execution"
    public static let roles = ["tests"]
    public static let executesCode = true
    public init() {}

    public func score(_ answer: String?, _ input: ScoringInput) throws -> Double {
        guard input.allowCodeExecution else { throw CodeExecutionError.notAllowed }
        guard let answer else { return 0 }
        let tests = input.field("tests").map { $0.list?.map(\.text).joined(separator: "\n") ?? $0.text } ?? ""
        let program = answer + "\n" + (input.field("setup")?.text ?? "") + "\n" + tests + "\n"
        return try CodeSandbox().passes(program, allowed: true) ? 1 : 0
    }
}
