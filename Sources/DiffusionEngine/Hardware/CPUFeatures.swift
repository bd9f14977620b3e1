import CCPUID

/// What the processor can run, as far as the choice of BLAS kernels cares: instruction-set extensions usable in
/// this process (the CPU has them and the operating system saves their registers), vendor, family and model.
///
/// At run time they come from CPUID and XGETBV (the C target `CCPUID`): the same test OpenBLAS makes, available on
/// every operating system, and unaffected by how a kernel names its `/proc/cpuinfo` flags. `init(cpuinfoFlags:)`
/// reads the flags line of Linux's /proc/cpuinfo, the form in which CPUs are recorded in bug reports (and in the
/// tests of the choice logic).
public struct CPUFeatures: Equatable, Sendable {
    public enum Extension: String, CaseIterable, Sendable {
        case sse3, ssse3, sse41, sse42, avx, avx2, fma
        case avx512f, avx512dq, avx512cd, avx512bw, avx512vl, avx512bf16, amxTile, amxBF16
    }

    public var isX86: Bool
    public var vendor: String
    public var family: Int
    public var model: Int
    public var extensions: Set<Extension>

    public init(isX86: Bool, vendor: String = "", family: Int = 0, model: Int = 0, extensions: Set<Extension> = []) {
        self.isX86 = isX86
        self.vendor = vendor
        self.family = family
        self.model = model
        self.extensions = extensions
    }

    /// This machine's processor.
    public static var current: CPUFeatures {
        var raw = dlab_cpu_features()
        dlab_read_cpu_features(&raw)
        let vendor = withUnsafeBytes(of: raw.vendor) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let pairs: [(Extension, Int32)] = [
            (.sse3, raw.sse3), (.ssse3, raw.ssse3), (.sse41, raw.sse41), (.sse42, raw.sse42), (.avx, raw.avx),
            (.avx2, raw.avx2), (.fma, raw.fma), (.avx512f, raw.avx512f), (.avx512dq, raw.avx512dq),
            (.avx512cd, raw.avx512cd), (.avx512bw, raw.avx512bw), (.avx512vl, raw.avx512vl),
            (.avx512bf16, raw.avx512bf16), (.amxTile, raw.amxTile), (.amxBF16, raw.amxBF16),
        ]
        return CPUFeatures(isX86: raw.isX86 != 0, vendor: vendor, family: Int(raw.family), model: Int(raw.model),
                           extensions: Set(pairs.filter { $0.1 != 0 }.map(\.0)))
    }

    /// Linux's names of the flags in /proc/cpuinfo (x86), for each extension.
    static let cpuinfoNames: [String: Extension] = [
        "pni": .sse3, "ssse3": .ssse3, "sse4_1": .sse41, "sse4_2": .sse42, "avx": .avx, "avx2": .avx2, "fma": .fma,
        "avx512f": .avx512f, "avx512dq": .avx512dq, "avx512cd": .avx512cd, "avx512bw": .avx512bw,
        "avx512vl": .avx512vl, "avx512_bf16": .avx512bf16, "amx_tile": .amxTile, "amx_bf16": .amxBF16,
    ]

    /// From the `flags` line of /proc/cpuinfo on x86 (Linux lists only what the kernel enables), or of an ARM
    /// `Features` line (no x86 flags: `isX86` is false).
    public init(cpuinfoFlags line: String, vendor: String = "", family: Int = 0, model: Int = 0) {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let isX86 = words.contains("sse2")
        self.init(isX86: isX86, vendor: vendor, family: family, model: model,
                  extensions: isX86 ? Set(words.compactMap { Self.cpuinfoNames[$0] }) : [])
    }

    /// Short list for display: "AVX2 FMA AVX-512(F/DQ/CD/BW/VL) AVX-512-BF16 AMX".
    public var summary: String {
        guard isX86 else { return "not x86" }
        var parts: [String] = []
        if extensions.contains(.avx2) { parts.append("AVX2") } else if extensions.contains(.avx) { parts.append("AVX") }
        if extensions.contains(.fma) { parts.append("FMA") }
        let avx512: [Extension] = [.avx512f, .avx512dq, .avx512cd, .avx512bw, .avx512vl]
        let present = avx512.filter(extensions.contains)
        if !present.isEmpty {
            parts.append("AVX-512(" + present.map { $0.rawValue.dropFirst(6).uppercased() }.joined(separator: "/") + ")")
        }
        if extensions.contains(.avx512bf16) { parts.append("AVX-512-BF16") }
        if extensions.contains(.amxTile) { parts.append("AMX") }
        if parts.isEmpty { parts.append(extensions.contains(.sse3) ? "SSE3" : "SSE2") }
        return parts.joined(separator: " ")
    }
}
