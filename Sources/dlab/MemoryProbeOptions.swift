import ArgumentParser
import DiffusionEngine
import Foundation

/// `dlab bench --memory`: the STREAM-like bandwidth probe at one thread and at all cores, the host sampling probe, and optionally a hardware
/// profile of this machine for `dlab project` (measured bandwidth and sgemm peak instead of spec-sheet numbers).
struct MemoryProbeOptions: ParsableArguments {
    @Flag(help: "Measure memory bandwidth (copy and triad, one thread and all cores) and host sampling cost per logit.")
    var memory = false

    @Option(help: "With --memory: write a hardware profile YAML of this machine to this path.")
    var writeProfile: String?

    @Option(help: "Threads the written profile is measured with (sgemm peak and triad); default all cores.")
    var profileThreads: Int?

    func run() throws {
        guard memory else {
            if writeProfile != nil { throw ValidationError("--write-profile needs --memory") }
            return
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let profileThreads = self.profileThreads ?? cores
        guard profileThreads > 0 else { throw ValidationError("--profile-threads must be positive, got \(profileThreads)") }
        var results: [MemoryBandwidth.Result] = []
        for threads in Set([1, cores, writeProfile == nil ? 1 : profileThreads]).sorted() {
            let result = MemoryBandwidth.measure(threads: threads)
            results.append(result)
            print(String(format: "memory bandwidth (%d thread(s), 3 × 128 MiB, median of 7): copy %.1f GB/s, triad %.1f GB/s",
                         threads, result.copy / 1e9, result.triad / 1e9))
        }
        let sampling = HostSamplingProbe.measure()
        print(String(format: "host sampling (candidates, softmax, entropy, one draw over 262,144 logits; median of 5): %.2f ns per logit",
                     sampling * 1e9))
        guard let path = writeProfile, let all = results.first(where: { $0.threads == profileThreads }) else { return }
        MatMul.setThreads(profileThreads)
        let peak = Stopwatch.sgemmPeak()
        print(String(format: "sgemm peak (1024³, %d thread(s)): %.1f GFLOPS", profileThreads, peak / 1e9))
        let memoryBytes = Self.physicalMemory()
        let text = """
            # Written by `dlab bench --memory --write-profile \(path)` on \(ISO8601DateFormatter().string(from: Date())).
            name: this machine (\(profileThreads) thread\(profileThreads == 1 ? "" : "s"))
            source:
              - measured by dlab bench --memory (STREAM-like triad and OpenBLAS sgemm 1024³, \(profileThreads) thread(s))
            notes: >-
              Peak is the measured fp32 sgemm rate and bandwidth the measured triad rate with \(profileThreads) of \(cores)
              cores (one thread: \(String(format: "%.1f", results[0].triad / 1e9)) GB/s triad); memory is the physical RAM.
              Achievable rates rather than spec-sheet numbers. The engine runs fp32 only.
            peak_tflops:
              fp32: \(String(format: "%.4f", peak / 1e12))
            bandwidth_gb_s: \(String(format: "%.2f", all.triad / 1e9))
            memory_gb: \(String(format: "%.1f", memoryBytes / 1e9))
            pass_overhead_ms: 0
            # dlab's samplers run on this CPU: each sampled position costs vocabulary × this (HostSamplingProbe).
            host_sampling_ns_per_logit: \(String(format: "%.2f", sampling * 1e9))

            """
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw ValidationError("--write-profile: cannot write \(path): \(error.localizedDescription)")
        }
        print("wrote \(path)")
    }

    static func physicalMemory() -> Double { Double(ProcessInfo.processInfo.physicalMemory) }
}
