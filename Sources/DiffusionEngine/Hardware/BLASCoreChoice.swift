/// Which OpenBLAS kernels suit a CPU, and whether the ones OpenBLAS picked by itself are a fallback.
///
/// A DYNAMIC_ARCH OpenBLAS (Debian's 0.3.21) picks its kernels from the CPU's family and model once, when the
/// library loads; on a CPU newer than the library (Xeon family 6 model 207, say) it falls back to `Prescott`
/// (SSE3) kernels, 4-6× slower than the AVX-512 ones the CPU runs. The only switch is the environment variable
/// `OPENBLAS_CORETYPE`, read at load time, so a process that wants other kernels must start again with it set.
/// This file is the pure decision; `BLASRuntime` asks the library and the CPU, and re-executes.
public enum BLASCoreChoice {
    /// What to do about the kernels of this process.
    public enum Decision: Equatable, Sendable {
        /// Keep the kernels loaded; `reason` says why (they suit the CPU, the user chose them, ...).
        case keep(reason: String)
        /// Start again with `OPENBLAS_CORETYPE` set to `coreType`.
        case reexec(coreType: String, reason: String)
    }

    /// The variable dlab sets when it re-executes itself, so that it never does so twice.
    public static let guardVariable = "DLAB_BLAS_REEXECUTED"

    /// Instruction-set tier of OpenBLAS 0.3.21's x86 core names (`driver/others/dynamic.c`, `corename[]`):
    /// 0 generic, 1 SSE2/SSE3, 2 AVX, 3 AVX2 + FMA, 4 AVX-512, 5 AVX-512 with BF16. Names are matched
    /// case-insensitively, as OpenBLAS matches `OPENBLAS_CORETYPE`.
    static let tiers: [String: Int] = [
        "unknown": 0, "katmai": 1, "coppermine": 1, "northwood": 1, "prescott": 1, "banias": 1, "atom": 1,
        "core2": 1, "penryn": 1, "dunnington": 1, "nehalem": 1, "athlon": 1, "opteron": 1, "opteron_sse3": 1,
        "barcelona": 1, "bobcat": 1, "nano": 1, "sandybridge": 2, "bulldozer": 2, "piledriver": 2, "steamroller": 2,
        "haswell": 3, "zen": 3, "excavator": 3, "skylakex": 4, "cooperlake": 5, "sapphirerapids": 5,
    ]

    /// The tier of a core name; nil for a name this table does not know (ARM cores, later OpenBLAS names).
    public static func tier(of coreName: String) -> Int? {
        tiers[coreName.lowercased()]
    }

    /// The best core type of OpenBLAS 0.3.21 for these features, or nil when there is nothing to choose (not x86,
    /// or no AVX: among the SSE cores OpenBLAS's own pick is as good as any).
    public static func bestCoreType(for cpu: CPUFeatures) -> String? {
        guard cpu.isX86 else { return nil }
        let has = cpu.extensions.contains
        // SkylakeX kernels use AVX-512 F, DQ, CD, BW and VL; Cooperlake adds the BF16 dot products (sbgemm).
        if [.avx512f, .avx512dq, .avx512cd, .avx512bw, .avx512vl].allSatisfy(has) {
            return has(.avx512bf16) ? "Cooperlake" : "SkylakeX"
        }
        // Zen is OpenBLAS's own choice on AMD AVX2 CPUs (Haswell kernels with AMD's blocking); Haswell elsewhere.
        if has(.avx2) && has(.fma) { return cpu.vendor == "AuthenticAMD" ? "Zen" : "Haswell" }
        if has(.avx) { return "Sandybridge" }
        return nil
    }

    /// True when OpenBLAS runs kernels of a lower tier than the CPU supports.
    public static func isFallback(chosenCore: String, cpu: CPUFeatures) -> Bool {
        guard let best = bestCoreType(for: cpu), let bestTier = tier(of: best) else { return false }
        return (tier(of: chosenCore) ?? bestTier) < bestTier
    }

    /// Keep the loaded kernels, or start again with better ones.
    /// - Parameters:
    ///   - cpu: the processor's features.
    ///   - chosenCore: `openblas_get_corename()` of this process.
    ///   - environment: the process environment (a user's `OPENBLAS_CORETYPE` is always respected).
    public static func decide(cpu: CPUFeatures, chosenCore: String, environment: [String: String]) -> Decision {
        let set = environment["OPENBLAS_CORETYPE"].flatMap { $0.isEmpty ? nil : $0 }
        if environment[guardVariable] != nil {
            return .keep(reason: "dlab started again with OPENBLAS_CORETYPE=\(set ?? "")")
        }
        if let set {
            return .keep(reason: "OPENBLAS_CORETYPE=\(set) is set")
        }
        guard let best = bestCoreType(for: cpu) else {
            return .keep(reason: cpu.isX86 ? "no AVX: OpenBLAS's own choice stands" : "not an x86 CPU: OpenBLAS's own choice stands")
        }
        guard isFallback(chosenCore: chosenCore, cpu: cpu) else {
            return .keep(reason: "\(chosenCore) suits this CPU")
        }
        return .reexec(coreType: best, reason: "OpenBLAS fell back to \(chosenCore) on a CPU with \(cpu.summary)")
    }
}
