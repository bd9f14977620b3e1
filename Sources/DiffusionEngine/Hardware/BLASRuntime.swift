import COpenBLAS
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The OpenBLAS of this process: the kernels it loaded, its build, its threads; and the one-time re-execution
/// that gives it better kernels when it fell back (see `BLASCoreChoice`).
public enum BLASRuntime {
    /// `openblas_get_corename()`: "Cooperlake", "Haswell", "Prescott", ...
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name).trimmingCharacters(in: .whitespaces)
    }

    /// `openblas_get_config()`: version and build options, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ...".
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text).trimmingCharacters(in: .whitespaces)
    }

    /// Threads OpenBLAS runs a call with (after `MatMul.setThreads`).
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's idle-thread spin limit, log2 of cycles (its minimum, 4): idle threads sleep at once.
    public static let threadTimeout = "4"
    static let threadTimeoutVariable = "OPENBLAS_THREAD_TIMEOUT"

    /// The decision for this process.
    public static func decision(environment: [String: String] = ProcessInfo.processInfo.environment) -> BLASCoreChoice.Decision {
        BLASCoreChoice.decide(cpu: .current, chosenCore: coreName, environment: environment)
    }

    /// When OpenBLAS fell back to older kernels and the user has not chosen any, starts this program again (same
    /// arguments) with `OPENBLAS_CORETYPE` set to the best core type, since OpenBLAS reads it only when it loads.
    /// Likewise when `OPENBLAS_THREAD_TIMEOUT` is unset: it is then set to `threadTimeout`, so that OpenBLAS's idle
    /// threads go to sleep at once instead of spinning on `sched_yield` for about 2^28 cycles after each call. Those
    /// spinning threads took a core from the Dispatch workers of attention and experts (`--threads 2` on moe-100m:
    /// a quarter of the samples in OpenBLAS's idle loop); the price is a wake-up per multi-threaded sgemm.
    /// Returns only when it keeps the current settings, or when starting again fails (said on standard error).
    /// Linux only (it executes /proc/self/exe); elsewhere the advice is printed by `dlab bench`.
    public static func reexecuteIfFallback() {
        #if os(Linux)
        var environment = ProcessInfo.processInfo.environment
        var coreType = coreName
        if case let .reexec(better, _) = decision() {
            coreType = better
            environment["OPENBLAS_CORETYPE"] = better
            environment[BLASCoreChoice.guardVariable] = "1"
        } else if environment[threadTimeoutVariable] != nil {
            return
        }
        if environment[threadTimeoutVariable] == nil { environment[threadTimeoutVariable] = threadTimeout }
        let arguments = CommandLine.arguments
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        execve("/proc/self/exe", argv, envp)
        // Only reached when execve failed: carry on with the kernels loaded.
        let message = "dlab: could not start again with OPENBLAS_CORETYPE=\(coreType), \(threadTimeoutVariable)=\(threadTimeout) (\(String(cString: strerror(errno)))); "
            + "continuing with OpenBLAS's \(coreName) kernels\n"
        FileHandle.standardError.write(Data(message.utf8))
        for pointer in argv + envp { free(pointer) }
        #endif
    }

    /// One line for `dlab bench` and the logs: the kernels, the build, the CPU, and a warning when they do not match.
    public static func report(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let cpu = CPUFeatures.current
        let core = coreName
        var lines = [
            "BLAS: \(configuration); kernels \(core), \(threads) thread(s)",
            "CPU: \(cpu.vendor.isEmpty ? "?" : cpu.vendor) family \(cpu.family) model \(cpu.model): \(cpu.summary)",
        ]
        let best = BLASCoreChoice.bestCoreType(for: cpu)
        if BLASCoreChoice.isFallback(chosenCore: core, cpu: cpu), let best {
            var line = "warning: OpenBLAS runs its \(core) kernels, a fallback on this CPU (best: \(best))"
            if case let .keep(reason) = BLASCoreChoice.decide(cpu: cpu, chosenCore: core, environment: environment) {
                line += "; kept because \(reason)"
            }
            lines.append(line)
        } else if environment[BLASCoreChoice.guardVariable] != nil {
            lines.append("note: dlab started again with OPENBLAS_CORETYPE=\(environment["OPENBLAS_CORETYPE"] ?? "") (OpenBLAS had fallen back)")
        }
        return lines
    }
}
