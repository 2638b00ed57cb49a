import Foundation
import Testing

/// The Makefile itself, run in a temporary copy of the project: a rerun with nothing changed
/// runs nothing, and a change reruns exactly the stages that depend on it.
@Suite(.enabled(if: PipelineFixture.sandboxAvailable, "needs .venv/bin/python and /usr/bin/bwrap (run 'make setup')"))
struct MakefileTests {
    /// `Makefile` and `stages/` copied with their times, one bundled dataset, the repository's
    /// `.venv`, and this test build's binaries as `.build/debug`: an empty `Package.swift` and
    /// `Sources/` older than the binaries keep Make from rebuilding them.
    final class Project {
        let url: URL

        init(dataset: String) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-traces-make-\(UUID().uuidString)")
            let files = FileManager.default
            try files.createDirectory(at: url.appendingPathComponent("data/datasets"), withIntermediateDirectories: true)
            try files.createDirectory(at: url.appendingPathComponent(".build"), withIntermediateDirectories: true)
            try files.createDirectory(at: url.appendingPathComponent("Sources"), withIntermediateDirectories: true)
            let repository = PipelineFixture.repository
            for item in ["Makefile", "stages", "data/datasets/\(dataset)"] {
                let copy = try StageProcess.run(
                    executable: URL(fileURLWithPath: "/bin/cp"),
                    ["-a", repository.appendingPathComponent(item).path, url.appendingPathComponent(item).path])
                guard copy.status == 0 else { throw CopyFailed(message: copy.stderr) }
            }
            try files.createSymbolicLink(at: url.appendingPathComponent(".venv"), withDestinationURL: repository.appendingPathComponent(".venv"))
            try files.createSymbolicLink(at: url.appendingPathComponent(".build/debug"), withDestinationURL: StageProcess.productsDirectory)
            let old: [FileAttributeKey: Any] = [.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)]
            files.createFile(atPath: url.appendingPathComponent("Package.swift").path, contents: Data(), attributes: old)
            try files.setAttributes(old, ofItemAtPath: url.appendingPathComponent("Sources").path)
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        struct CopyFailed: Error { var message: String }

        func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

        /// Runs `make` with `arguments` in the copy, without the LLM settings or the Make
        /// variables of whoever runs the tests.
        func make(_ arguments: [String]) throws -> StageProcess.Outcome {
            let environment = ProcessInfo.processInfo.environment.filter { key, _ in
                !key.hasPrefix("LLM_") && !["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"].contains(key)
            }
            return try StageProcess.run(
                executable: URL(fileURLWithPath: "/usr/bin/make"),
                ["--no-print-directory", "CONFIG=debug", "DATASETS=iris"] + arguments,
                currentDirectory: url, environment: environment)
        }

        func modified(_ relative: String) throws -> Date {
            try #require(try FileManager.default.attributesOfItem(atPath: path(relative))[.modificationDate] as? Date)
        }

        func lines(_ relative: String) throws -> Int {
            let outcome = try StageProcess.run(executable: URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -dc '\(path(relative))' | wc -l"])
            return Int(outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
    }

    static let questionGen = ".build/debug/question-gen --dataset data/datasets/iris"
    static let episodeGen = ".build/debug/episode-gen --questions data/questions/iris.jsonl.gz"

    @Test func aRerunRunsNothingAndAChangeRerunsOnlyTheStagesThatDependOnIt() throws {
        let project = try Project(dataset: "iris")

        let first = try project.make(["episodes", "MAX_QUESTIONS=6"])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains(Self.questionGen) && first.stdout.contains(Self.episodeGen), "\(first.stdout)")
        #expect(try project.lines("data/questions/iris.jsonl.gz") == 6)
        #expect(try project.lines("data/episodes/iris.jsonl.gz") == 6)
        let questionsWritten = try project.modified("data/questions/iris.jsonl.gz")
        let episodesWritten = try project.modified("data/episodes/iris.jsonl.gz")

        // Nothing changed: no stage runs, no output is touched.
        let second = try project.make(["episodes", "MAX_QUESTIONS=6"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stdout.contains(".build/debug/"), "\(second.stdout)")
        #expect(try project.modified("data/episodes/iris.jsonl.gz") == episodesWritten)

        // The dataset's record is newer but the questions come out the same: question-gen runs,
        // its output keeps its bytes and its time, and episode-gen does not run.
        Thread.sleep(forTimeInterval: 1.1)
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: project.path("data/datasets/iris/dataset.json"))
        let touched = try project.make(["episodes", "MAX_QUESTIONS=6"])
        #expect(touched.status == 0, "\(touched.stderr)")
        #expect(touched.stdout.contains(Self.questionGen), "\(touched.stdout)")
        #expect(!touched.stdout.contains(Self.episodeGen), "\(touched.stdout)")
        #expect(try project.modified("data/questions/iris.jsonl.gz") == questionsWritten)
        #expect(try project.modified("data/episodes/iris.jsonl.gz") == episodesWritten)

        // A setting of question-gen changes the questions, and so both stages run again.
        let fewer = try project.make(["episodes", "MAX_QUESTIONS=4"])
        #expect(fewer.status == 0, "\(fewer.stderr)")
        #expect(fewer.stdout.contains(Self.questionGen) && fewer.stdout.contains(Self.episodeGen), "\(fewer.stdout)")
        #expect(try project.lines("data/questions/iris.jsonl.gz") == 4)
        #expect(try project.lines("data/episodes/iris.jsonl.gz") == 4)

        // A setting of episode-gen alone reruns episode-gen alone.
        let reseeded = try project.make(["episodes", "MAX_QUESTIONS=4", "EPISODE_SEED=7"])
        #expect(reseeded.status == 0, "\(reseeded.stderr)")
        #expect(!reseeded.stdout.contains(Self.questionGen), "\(reseeded.stdout)")
        #expect(reseeded.stdout.contains(Self.episodeGen), "\(reseeded.stdout)")
    }

    @Test func settingsStampsRecordValuesWithQuotesVerbatimAndKeepTheirTimeWhenUnchanged() throws {
        let project = try Project(dataset: "iris")
        let settings = ["LLM_CACHE=replay", "LLM_MODEL=m", #"LLM_EXTRA_BODY={"stop":["it's"],"n":1}"#]
        let first = try project.make(["data/stamps/episode-gen.settings"] + settings)
        #expect(first.status == 0, "\(first.stderr)")
        let stamp = try String(contentsOfFile: project.path("data/stamps/episode-gen.settings"), encoding: .utf8)
        #expect(stamp.contains(#"model=m "#) && stamp.hasSuffix(#"extra={"stop":["it's"],"n":1}"# + "\n"), "\(stamp)")
        let written = try project.modified("data/stamps/episode-gen.settings")
        Thread.sleep(forTimeInterval: 1.1)
        let again = try project.make(["data/stamps/episode-gen.settings"] + settings)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try project.modified("data/stamps/episode-gen.settings") == written)
    }
}
