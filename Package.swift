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
        // Command-line parsing for every stage (the AnalysisTracesCLI target and the commands only).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Structured logging to stderr; the library only takes a `Logger`.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // SHA-256 for content hashes, question ids and answer hashes.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // HTTP for the LLM client and `download`: connection pools, timeouts, streaming bodies.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Loopback HTTP servers for tests and `bench` (the scripted LLM server, a fake Kaggle).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Reading zip archives that `download` fetches.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Sandbox/Python"), .copy("Agent/Prompts")]
        ),
        // The command-line side of every stage, kept out of the core library: option groups,
        // the log handler, progress display, interrupts, exit codes and the stage run scaffolding.
        .target(
            name: "AnalysisTracesCLI",
            dependencies: [
                "AnalysisTraces",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Loopback HTTP servers that stand in for real ones: a scripted OpenAI-compatible chat
        // server with fault injection, and a route table server (plain web, Kaggle-like).
        .target(
            name: "LoopbackServers",
            dependencies: [
                "AnalysisTraces",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // What both test targets share: the awaitable process runner, the sandbox availability
        // check, the bundled datasets' list and temporary folders.
        .target(
            name: "TestSupport",
            dependencies: ["AnalysisTraces", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "AnalysisTracesTests",
            dependencies: ["AnalysisTraces", "AnalysisTracesCLI", "LoopbackServers", "TestSupport"]
        ),
        .testTarget(
            name: "StageEndToEndTests",
            dependencies: ["AnalysisTraces", "LoopbackServers", "TestSupport"]
        ),
    ] + executables.map { stage in
        .executableTarget(
            name: stage,
            dependencies: [
                "AnalysisTraces",
                "AnalysisTracesCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ] + (stage == "bench" ? ["LoopbackServers"] : [])
        )
    }
)
