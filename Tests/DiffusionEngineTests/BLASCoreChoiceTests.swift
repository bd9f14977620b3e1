import Foundation
import Testing
@testable import DiffusionEngine

/// The choice of OpenBLAS kernels on recorded CPUs: flags lines of /proc/cpuinfo (trimmed to the x86 extensions
/// that matter plus a few neighbours) with the vendor, family and model CPUID reports.
@Suite struct BLASCoreChoiceTests {
    static let common = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm"
    /// Intel Xeon, family 6 model 207 (Emerald Rapids, a Sapphire Rapids successor): AVX-512 with BF16 and AMX.
    static let sapphireRapids = CPUFeatures(
        cpuinfoFlags: common + " pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c avx2 bmi2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512_vnni amx_bf16 amx_tile amx_int8",
        vendor: "GenuineIntel", family: 6, model: 207)
    /// AMD Zen 4 (EPYC 9004, family 25 model 17): AVX-512 with BF16, no AMX.
    static let zen4 = CPUFeatures(
        cpuinfoFlags: common + " pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c avx2 bmi2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi avx512_vnni",
        vendor: "AuthenticAMD", family: 25, model: 17)
    /// AMD Zen 3 (EPYC 7003, family 25 model 1): AVX2 and FMA only.
    static let zen3 = CPUFeatures(
        cpuinfoFlags: common + " pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c avx2 bmi1 bmi2 sha_ni",
        vendor: "AuthenticAMD", family: 25, model: 1)
    /// Intel Haswell (family 6 model 60).
    static let haswell = CPUFeatures(
        cpuinfoFlags: common + " pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c avx2 bmi1 bmi2",
        vendor: "GenuineIntel", family: 6, model: 60)
    /// Intel Core 2 (family 6 model 15): SSE3/SSSE3 only.
    static let core2 = CPUFeatures(cpuinfoFlags: common + " pni ssse3 cx16", vendor: "GenuineIntel", family: 6, model: 15)
    /// An ARM server (Neoverse N1): its cpuinfo has a `Features` line with no x86 flags.
    static let arm = CPUFeatures(cpuinfoFlags: "fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp")

    @Test func bestCoreTypes() {
        #expect(BLASCoreChoice.bestCoreType(for: Self.sapphireRapids) == "Cooperlake")
        #expect(BLASCoreChoice.bestCoreType(for: Self.zen4) == "Cooperlake")
        #expect(BLASCoreChoice.bestCoreType(for: Self.zen3) == "Zen")
        #expect(BLASCoreChoice.bestCoreType(for: Self.haswell) == "Haswell")
        #expect(BLASCoreChoice.bestCoreType(for: Self.core2) == nil)
        #expect(BLASCoreChoice.bestCoreType(for: Self.arm) == nil)
        var noBF16 = Self.sapphireRapids
        noBF16.extensions.remove(.avx512bf16)
        #expect(BLASCoreChoice.bestCoreType(for: noBF16) == "SkylakeX")
        var avxOnly = Self.haswell
        avxOnly.extensions.subtract([.avx2, .fma])
        #expect(BLASCoreChoice.bestCoreType(for: avxOnly) == "Sandybridge")
    }

    /// The issue's case: a new Xeon where Debian's 0.3.21 falls back to Prescott starts again with Cooperlake.
    @Test func newXeonFallingBackIsReexecuted() {
        #expect(BLASCoreChoice.decide(cpu: Self.sapphireRapids, chosenCore: "Prescott", environment: [:])
            == .reexec(coreType: "Cooperlake", reason: "OpenBLAS fell back to Prescott on a CPU with AVX2 FMA AVX-512(F/DQ/CD/BW/VL) AVX-512-BF16 AMX"))
        if case .reexec(let core, _) = BLASCoreChoice.decide(cpu: Self.zen4, chosenCore: "Haswell", environment: [:]) {
            #expect(core == "Cooperlake")
        } else {
            Issue.record("Zen 4 running Haswell kernels should start again with Cooperlake")
        }
        if case .reexec(let core, _) = BLASCoreChoice.decide(cpu: Self.zen3, chosenCore: "Prescott", environment: [:]) {
            #expect(core == "Zen")
        } else {
            Issue.record("Zen 3 running Prescott kernels should start again with Zen")
        }
    }

    @Test func suitableKernelsAreKept() {
        for (cpu, core) in [(Self.sapphireRapids, "Cooperlake"), (Self.sapphireRapids, "SapphireRapids"),
                            (Self.zen4, "COOPERLAKE"), (Self.zen3, "Zen"), (Self.zen3, "Haswell"), (Self.haswell, "Haswell"),
                            (Self.core2, "Core2"), (Self.core2, "Prescott"), (Self.arm, "NEOVERSEN1"), (Self.arm, "ARMV8")] {
            guard case .keep = BLASCoreChoice.decide(cpu: cpu, chosenCore: core, environment: [:]) else {
                Issue.record("\(core) on \(cpu.vendor) \(cpu.family)/\(cpu.model) should be kept")
                continue
            }
            #expect(!BLASCoreChoice.isFallback(chosenCore: core, cpu: cpu))
        }
    }

    /// A user's OPENBLAS_CORETYPE is respected even when it is a fallback, and a second start never starts a third.
    @Test func userChoiceAndGuardAreRespected() {
        #expect(BLASCoreChoice.decide(cpu: Self.zen4, chosenCore: "Haswell", environment: ["OPENBLAS_CORETYPE": "Haswell"])
            == .keep(reason: "OPENBLAS_CORETYPE=Haswell is set"))
        #expect(BLASCoreChoice.isFallback(chosenCore: "Haswell", cpu: Self.zen4))
        let again = BLASCoreChoice.decide(cpu: Self.sapphireRapids, chosenCore: "Prescott",
                                          environment: [BLASCoreChoice.guardVariable: "1", "OPENBLAS_CORETYPE": "Cooperlake"])
        #expect(again == .keep(reason: "dlab started again with OPENBLAS_CORETYPE=Cooperlake"))
        // An empty variable is not a choice.
        if case .keep = BLASCoreChoice.decide(cpu: Self.sapphireRapids, chosenCore: "Prescott", environment: ["OPENBLAS_CORETYPE": ""]) {
            Issue.record("an empty OPENBLAS_CORETYPE should not stop the restart")
        }
    }

    @Test func cpuinfoParsing() {
        #expect(Self.arm.isX86 == false && Self.arm.extensions.isEmpty)
        #expect(Self.core2.extensions == [.sse3, .ssse3])
        #expect(Self.zen4.extensions.isSuperset(of: [.avx2, .fma, .avx512f, .avx512bf16]))
        #expect(!Self.zen4.extensions.contains(.amxTile))
        #expect(Self.sapphireRapids.summary == "AVX2 FMA AVX-512(F/DQ/CD/BW/VL) AVX-512-BF16 AMX")
    }

    /// CPUID on this machine agrees with its /proc/cpuinfo (Linux x86 only) on the extensions that matter.
    @Test func cpuidAgreesWithCpuinfo() throws {
        #if os(Linux) && arch(x86_64)
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
        let recorded = CPUFeatures(cpuinfoFlags: String(line.drop(while: { $0 != ":" }).dropFirst()))
        let current = CPUFeatures.current
        #expect(current.isX86)
        let checked: Set<CPUFeatures.Extension> = [.sse3, .ssse3, .sse41, .sse42, .avx, .avx2, .fma, .avx512f, .avx512bw, .avx512vl, .avx512bf16]
        #expect(current.extensions.intersection(checked) == recorded.extensions.intersection(checked))
        #endif
    }
}
