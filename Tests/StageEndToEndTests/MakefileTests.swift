import Foundation
import TestSupport
import Testing

/// The Makefile itself, run in a temporary copy of the project: a rerun with nothing changed
/// runs nothing, and a change reruns exactly the stages that depend on it.
@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct MakefileTests {
    /// `Makefile` and `stages/` copied with their times, one bundled dataset, the repository's
    /// `.venv`, and this test build's binaries as `.build/debug`: an empty `Package.swift` and
    /// `Sources/` older than the binaries keep Make from rebuilding them.
    final class Project {
        private let directory: TemporaryDirectory
        var url: URL { directory.url }

        init(dataset: String) async throws {
            directory = try TemporaryDirectory()
            let url = directory.url
            let files = FileManager.default
            try files.createDirectory(at: url.appendingPathComponent("data/datasets"), withIntermediateDirectories: true)
            try files.createDirectory(at: url.appendingPathComponent(".build"), withIntermediateDirectories: true)
            try files.createDirectory(at: url.appendingPathComponent("Sources"), withIntermediateDirectories: true)
            let repository = SandboxTestEnvironment.repositoryRoot
            for item in ["Makefile", "stages", "data/datasets/\(dataset)"] {
                let copy = try await ChildProcess.run(
                    "/bin/cp", ["-a", repository.appendingPathComponent(item).path, url.appendingPathComponent(item).path])
                guard copy.status == 0 else { throw CopyFailed(message: copy.stderr) }
            }
            try files.createSymbolicLink(at: url.appendingPathComponent(".venv"), withDestinationURL: repository.appendingPathComponent(".venv"))
            try files.createSymbolicLink(at: url.appendingPathComponent(".build/debug"), withDestinationURL: ChildProcess.productsDirectory)
            let old: [FileAttributeKey: Any] = [.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)]
            files.createFile(atPath: url.appendingPathComponent("Package.swift").path, contents: Data(), attributes: old)
            try files.setAttributes(old, ofItemAtPath: url.appendingPathComponent("Sources").path)
        }

        struct CopyFailed: Error { var message: String }

        func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

        /// Runs `make` with `arguments` in the copy, without the LLM settings or the Make
        /// variables of whoever runs the tests, and with `extra` added to its environment.
        func make(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> ChildProcess.Outcome {
            let environment = ProcessInfo.processInfo.environment.filter { key, _ in
                !key.hasPrefix("LLM_") && !["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"].contains(key)
            }.merging(extra) { $1 }
            return try await ChildProcess.run(
                "/usr/bin/make", ["--no-print-directory", "CONFIG=debug", "DATASETS=iris"] + arguments,
                currentDirectory: url, environment: environment)
        }

        func modified(_ relative: String) throws -> Date {
            try #require(try FileManager.default.attributesOfItem(atPath: path(relative))[.modificationDate] as? Date)
        }

        func lines(_ relative: String) async throws -> Int {
            let outcome = try await ChildProcess.run("/bin/sh", ["-c", "gzip -dc '\(path(relative))' | wc -l"])
            return Int(outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
    }

    static let questionGen = ".build/debug/question-gen --dataset data/datasets/iris"
    static let episodeGen = ".build/debug/episode-gen --questions data/questions/iris.jsonl.gz"

    @Test func aRerunRunsNothingAndAChangeRerunsOnlyTheStagesThatDependOnIt() async throws {
        let project = try await Project(dataset: "iris")

        let first = try await project.make(["episodes", "MAX_QUESTIONS=6"])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains(Self.questionGen) && first.stdout.contains(Self.episodeGen), "\(first.stdout)")
        #expect(try await project.lines("data/questions/iris.jsonl.gz") == 6)
        #expect(try await project.lines("data/episodes/iris.jsonl.gz") == 6)
        let questionsWritten = try project.modified("data/questions/iris.jsonl.gz")
        let episodesWritten = try project.modified("data/episodes/iris.jsonl.gz")

        // Nothing changed: no stage runs, no output is touched.
        let second = try await project.make(["episodes", "MAX_QUESTIONS=6"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stdout.contains(".build/debug/"), "\(second.stdout)")
        #expect(try project.modified("data/episodes/iris.jsonl.gz") == episodesWritten)

        // The dataset's record is newer but the questions come out the same: question-gen runs,
        // its output keeps its bytes and its time, and episode-gen does not run.
        try await Task.sleep(for: .seconds(1.1))  // past the coarsest file-time granularity
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: project.path("data/datasets/iris/dataset.json"))
        let touched = try await project.make(["episodes", "MAX_QUESTIONS=6"])
        #expect(touched.status == 0, "\(touched.stderr)")
        #expect(touched.stdout.contains(Self.questionGen), "\(touched.stdout)")
        #expect(!touched.stdout.contains(Self.episodeGen), "\(touched.stdout)")
        #expect(try project.modified("data/questions/iris.jsonl.gz") == questionsWritten)
        #expect(try project.modified("data/episodes/iris.jsonl.gz") == episodesWritten)

        // A setting of question-gen changes the questions, and so both stages run again.
        let fewer = try await project.make(["episodes", "MAX_QUESTIONS=4"])
        #expect(fewer.status == 0, "\(fewer.stderr)")
        #expect(fewer.stdout.contains(Self.questionGen) && fewer.stdout.contains(Self.episodeGen), "\(fewer.stdout)")
        #expect(try await project.lines("data/questions/iris.jsonl.gz") == 4)
        #expect(try await project.lines("data/episodes/iris.jsonl.gz") == 4)

        // A setting of episode-gen alone reruns episode-gen alone.
        let reseeded = try await project.make(["episodes", "MAX_QUESTIONS=4", "EPISODE_SEED=7"])
        #expect(reseeded.status == 0, "\(reseeded.stderr)")
        #expect(!reseeded.stdout.contains(Self.questionGen), "\(reseeded.stdout)")
        #expect(reseeded.stdout.contains(Self.episodeGen), "\(reseeded.stdout)")
    }

    @Test func settingsStampsRecordValuesWithQuotesVerbatimAndKeepTheirTimeWhenUnchanged() async throws {
        let project = try await Project(dataset: "iris")
        let settings = ["LLM_CACHE=replay", "LLM_MODEL=m", #"LLM_EXTRA_BODY={"stop":["it's"],"n":1}"#]
        let first = try await project.make(["data/stamps/episode-gen.settings"] + settings)
        #expect(first.status == 0, "\(first.stderr)")
        let stamp = try String(contentsOfFile: project.path("data/stamps/episode-gen.settings"), encoding: .utf8)
        #expect(stamp.contains(#"model=m "#) && stamp.hasSuffix(#"extra={"stop":["it's"],"n":1}"# + "\n"), "\(stamp)")
        let written = try project.modified("data/stamps/episode-gen.settings")
        try await Task.sleep(for: .seconds(1.1))  // past the coarsest file-time granularity
        let again = try await project.make(["data/stamps/episode-gen.settings"] + settings)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try project.modified("data/stamps/episode-gen.settings") == written)
    }

    @Test func questionGenRerunsWhenTheSandboxEnvironmentIsRebuilt() async throws {
        let project = try await Project(dataset: "iris")
        let first = try await project.make(["questions", "MAX_QUESTIONS=2"])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let again = try await project.make(["questions", "MAX_QUESTIONS=2"])
        #expect(again.status == 0 && !again.stdout.contains(Self.questionGen), "\(again.stdout)")
        // `-W` makes Make take the venv's stamp as just rebuilt (`make venv` touches it last).
        let rebuilt = try await project.make(["-W", ".venv/.installed", "questions", "MAX_QUESTIONS=2"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains(Self.questionGen), "\(rebuilt.stdout)")
    }

    @Test func everyStageCommandRunsThroughLAUNCH() async throws {
        let project = try await Project(dataset: "iris")
        let dryRun = try await project.make(["-n", "download", "train-data", "LAUNCH=launcher -c2"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let lines = dryRun.stdout.split(separator: "\n")
        for stage in ["download", "question-gen", "episode-gen", "validate", "convert"] {
            let commands = lines.filter { $0.contains(".build/debug/\(stage) --") }
            #expect(!commands.isEmpty, "no \(stage) command in: \(dryRun.stdout)")
            for command in commands { #expect(command.hasPrefix("launcher -c2 .build/debug/\(stage) "), "\(command)") }
        }
    }

    @Test func buildInstallsNothingAndNamesTheSetupTargetWhenZlibIsMissing() async throws {
        let project = try await Project(dataset: "iris")
        // No pkg-config search path finds zlib; release binaries are absent, so `build` must build.
        let build = try await project.make(["build", "CONFIG=release"], environment: ["PKG_CONFIG_LIBDIR": "/nonexistent", "PKG_CONFIG_PATH": ""])
        #expect(build.status != 0)
        #expect(build.stderr.contains("run 'make setup' or 'make system-packages' first"), "\(build.stderr)")
        #expect(!build.stdout.contains("apt-get") && !build.stdout.contains("swift build"), "\(build.stdout)")
    }
}
