// swift-tools-version:6.0
// DiffusionLab: a Swift workbench for samplers of diffusion language models.
// Dependencies point one way (../DESIGN.md §2): Samplers and Tasks see DiffusionCore only, never the engine.
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "DiffusionCore"),
        .target(name: "DiffusionEngine", dependencies: ["DiffusionCore", "COpenBLAS"]),
        .target(name: "Samplers", dependencies: ["DiffusionCore"]),
        .target(name: "Tasks", dependencies: ["DiffusionCore"]),
        // Researchers' own samplers: one Swift file each, registered in Registered.swift (README.md there).
        .target(
            name: "ExperimentSamplers",
            dependencies: ["DiffusionCore", "Samplers"],
            path: "Experiments/Samplers",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "dlab",
            dependencies: [
                "DiffusionCore", "DiffusionEngine", "Samplers", "ExperimentSamplers", "Tasks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DiffusionCoreTests", dependencies: ["DiffusionCore"]),
        .testTarget(
            name: "DiffusionEngineTests",
            dependencies: ["DiffusionEngine", "DiffusionCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SamplersTests",
            dependencies: ["Samplers", "ExperimentSamplers", "DiffusionCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TasksTests", dependencies: ["Tasks", "DiffusionCore"]),
    ],
    swiftLanguageModes: [.v5]
)
