// swift-tools-version: 6.1
import PackageDescription

/// The five pipeline stages plus the `sandbox` tool; each is a thin `@main` command over the library.
let stages = ["download", "question-gen", "episode-gen", "validate", "convert", "sandbox"]
/// Plus `bench` (`make bench`), also a thin command.
let executables = stages + ["bench"]

let package = Package(
    name: "analysis-traces",
    platforms: [.macOS(.v15)],
    products: executables.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        // Command-line parsing for every stage.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Structured logging to stderr; the library only takes a `Logger`.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // SHA-256 for content hashes, question ids and answer hashes.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System zlib. Not named `CZlib`: ZIPFoundation already declares a module of that name.
        .systemLibrary(
            name: "CZlibSystem",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // sendmsg/recvmsg with SCM_RIGHTS, pipe2 and posix_spawn with closefrom for the sandbox host.
        .target(name: "CSandboxSupport"),
        .target(
            name: "AnalysisTraces",
            dependencies: [
                "CZlibSystem",
                "CSandboxSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Sandbox/Python"), .copy("Agent/Prompts")]
        ),
        .testTarget(
            name: "AnalysisTracesTests",
            dependencies: ["AnalysisTraces"]
        ),
        .testTarget(
            name: "StageEndToEndTests",
            dependencies: ["AnalysisTraces"]
        ),
    ] + executables.map { stage in
        .executableTarget(
            name: stage,
            dependencies: [
                "AnalysisTraces",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        )
    }
)
