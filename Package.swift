// swift-tools-version:6.0
// DiffusionLab: a Swift workbench for samplers of diffusion language models.
// Dependencies point one way (Sources/ARCHITECTURE.md): Samplers and Tasks see DiffusionCore only, never the engine.
import PackageDescription

let package = Package(
    name: "DiffusionLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dlab", targets: ["dlab"]),
        .library(name: "DiffusionCore", targets: ["DiffusionCore"]),
        .library(name: "DiffusionEngine", targets: ["DiffusionEngine"]),
        .library(name: "Samplers", targets: ["Samplers"]),
        .library(name: "Tasks", targets: ["Tasks"]),
        .library(name: "Sweeps", targets: ["Sweeps"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .library(name: "Projection", targets: ["Projection"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // extern "C" bridge over gnuplot-iostream (libgnuplot-iostream-dev, libboost-iostreams-dev); Swift sees C only.
        .target(name: "CGnuplot", linkerSettings: [.linkedLibrary("boost_iostreams"), .linkedLibrary("stdc++")]),
        // CPUID and XGETBV for the choice of BLAS kernels (Swift has no inline assembly).
        .target(name: "CCPUID"),
        // The element-wise kernels compiled per x86 level (SSE2, AVX2+FMA, AVX-512F) and chosen at run time;
        // optimised in debug builds too, like the engine.
        .target(name: "CVectorKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        .target(name: "DiffusionCore"),
        .target(
            name: "DiffusionEngine",
            dependencies: ["DiffusionCore", "COpenBLAS", "CCPUID", "CVectorKernels"],
            // The kernels' SIMD code is generic Swift that only specialisation makes fast: unoptimised it runs
            // ~30x slower, which would make debug builds (and so `swift test`) crawl. Always optimise the engine.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(name: "Samplers", dependencies: ["DiffusionCore"]),
        // Tasks reads task definitions (YAML) with Yams.
        .target(name: "Tasks", dependencies: ["DiffusionCore", "Yams"]),
        // Researchers' own samplers: one Swift file each, registered in Registered.swift (README.md there).
        .target(
            name: "ExperimentSamplers",
            dependencies: ["DiffusionCore", "Samplers"],
            path: "Experiments/Samplers",
            exclude: ["README.md"]
        ),
        .target(
            name: "Sweeps",
            dependencies: [
                "DiffusionCore", "DiffusionEngine", "Samplers", "Tasks",
                .product(name: "GRDB", package: "GRDB.swift"), "Yams",
            ]
        ),
        .target(name: "Plotting", dependencies: ["CGnuplot", "Sweeps"]),
        // Roofline projection of decoding methods onto released model shapes and named hardware (dlab project).
        .target(name: "Projection", dependencies: ["Yams"]),
        .executableTarget(
            name: "dlab",
            dependencies: [
                "DiffusionCore", "DiffusionEngine", "Samplers", "ExperimentSamplers", "Tasks", "Sweeps", "Plotting", "Projection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DiffusionCoreTests", dependencies: ["DiffusionCore"]),
        .testTarget(
            name: "DiffusionEngineTests",
            dependencies: ["DiffusionEngine", "DiffusionCore", "Samplers"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SamplersTests",
            dependencies: ["Samplers", "ExperimentSamplers", "DiffusionCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TasksTests", dependencies: ["Tasks", "DiffusionCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "Sweeps"]),
        .testTarget(name: "ProjectionTests", dependencies: ["Projection"]),
        // Depends on dlab so that `swift test` builds the executable the kill-and-resume test starts.
        .testTarget(
            name: "SweepsTests",
            dependencies: ["Sweeps", "DiffusionCore", "dlab", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)

// libFuzzer targets (.fuzz/, run by .ci/fuzz): declared only when DLAB_FUZZ is set, so that ordinary builds and
// `swift test` never see them; .ci/fuzz builds them with -sanitize=fuzzer,address in a scratch path of their own.
if Context.environment["DLAB_FUZZ"] != nil {
    package.targets += [
        .target(name: "FuzzSupport", path: ".fuzz/FuzzSupport"),
        .executableTarget(name: "fuzz-safetensors", dependencies: ["DiffusionEngine", "FuzzSupport"], path: ".fuzz/Safetensors"),
        .executableTarget(name: "fuzz-config", dependencies: ["DiffusionEngine", "FuzzSupport"], path: ".fuzz/Config"),
        .executableTarget(name: "fuzz-tokenizer", dependencies: ["DiffusionEngine", "FuzzSupport"], path: ".fuzz/Tokenizer"),
        .executableTarget(name: "fuzz-experiment-spec", dependencies: ["Sweeps", "FuzzSupport"], path: ".fuzz/ExperimentSpec"),
        .executableTarget(name: "fuzz-gguf", dependencies: ["DiffusionEngine", "FuzzSupport"], path: ".fuzz/GGUF"),
    ]
}
