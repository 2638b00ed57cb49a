import Foundation
import TestSupport
import Testing

/// question-gen and episode-gen as Make runs them: real binaries, the real sandbox.
@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct OfflinePathTests {
    static let dataset = "iris"

    func questions(in fixture: PipelineFixture) async throws {
        let outcome = try await fixture.run("question-gen", [
            "--dataset", "data/datasets/\(Self.dataset)", "--output", "questions.jsonl.gz", "--max-questions", "12",
        ])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr.suffix(2000))")
    }

    func episodes(in fixture: PipelineFixture, output: String) async throws -> ChildProcess.Outcome {
        try await fixture.run("episode-gen", [
            "--questions", "questions.jsonl.gz", "--dataset", "data/datasets/\(Self.dataset)", "--output", output,
        ])
    }

    @Test func producesVerifiedEpisodesThatValidateAndAreByteIdenticalAcrossRuns() async throws {
        let fixture = try PipelineFixture(dataset: Self.dataset)
        try await questions(in: fixture)
        let first = try await episodes(in: fixture, output: "a.jsonl.gz")
        #expect(first.status == 0, "stderr: \(first.stderr.suffix(2000))")
        let second = try await episodes(in: fixture, output: "b.jsonl.gz")
        #expect(second.status == 0)
        let a = try Data(contentsOf: URL(fileURLWithPath: fixture.path("a.jsonl.gz")))
        let b = try Data(contentsOf: URL(fileURLWithPath: fixture.path("b.jsonl.gz")))
        #expect(!a.isEmpty && a == b)
        let check = try await ChildProcess.runProduct("validate", [fixture.path("a.jsonl.gz"), "--kind", "episodes"])
        #expect(check.status == 0, "stderr: \(check.stderr.suffix(2000))")
        #expect(check.stderr.contains("12 records, 12 valid"))
        let log = try String(contentsOfFile: fixture.path("a.jsonl.gz.run.json"), encoding: .utf8)
        #expect(log.contains(#""verified": 12"#))
    }

    @Test func leavesAnUnchangedOutputUntouched() async throws {
        let fixture = try PipelineFixture(dataset: Self.dataset)
        try await questions(in: fixture)
        let before = try FileManager.default.attributesOfItem(atPath: fixture.path("questions.jsonl.gz"))[.modificationDate] as? Date
        try await questions(in: fixture)
        let after = try FileManager.default.attributesOfItem(atPath: fixture.path("questions.jsonl.gz"))[.modificationDate] as? Date
        #expect(before != nil && before == after)
    }

    @Test func resumesAfterAKillWithoutLosingOrRepeatingAnEpisode() async throws {
        let fixture = try PipelineFixture(dataset: Self.dataset)
        try await questions(in: fixture)
        let reference = try await episodes(in: fixture, output: "reference.jsonl.gz")
        #expect(reference.status == 0)

        // Start a run and kill it outright once some episodes are in the partial file.
        let partial = fixture.path("killed.jsonl.gz.partial")
        let child = try fixture.start("episode-gen", [
            "--questions", "questions.jsonl.gz", "--dataset", "data/datasets/\(Self.dataset)", "--output", "killed.jsonl.gz",
            "--workers", "1", "--quiet",
        ], output: .discard)
        let resumable = try await child.whileRunning { Self.size(of: partial) > 2_000 }
        child.send(SIGKILL)
        _ = await child.outcome()
        #expect(resumable, "the run finished before it could be killed mid-dataset")
        #expect(!FileManager.default.fileExists(atPath: fixture.path("killed.jsonl.gz")), "no target after a kill")
        #expect(FileManager.default.fileExists(atPath: partial))

        let resumed = try await episodes(in: fixture, output: "killed.jsonl.gz")
        #expect(resumed.status == 0, "stderr: \(resumed.stderr.suffix(2000))")
        #expect(resumed.stderr.contains("resuming from the partial file"))
        #expect(!FileManager.default.fileExists(atPath: partial), "the partial file is gone once published")
        let expected = try Data(contentsOf: URL(fileURLWithPath: fixture.path("reference.jsonl.gz")))
        let actual = try Data(contentsOf: URL(fileURLWithPath: fixture.path("killed.jsonl.gz")))
        #expect(actual == expected, "the resumed output equals an uninterrupted run, byte for byte")
    }

    @Test func stopsOnSIGINTWithExit130AndKeepsThePartialFile() async throws {
        let fixture = try PipelineFixture(dataset: Self.dataset)
        try await questions(in: fixture)
        let partial = fixture.path("stopped.jsonl.gz.partial")
        let child = try fixture.start("episode-gen", [
            "--questions", "questions.jsonl.gz", "--dataset", "data/datasets/\(Self.dataset)", "--output", "stopped.jsonl.gz",
            "--workers", "1", "--quiet",
        ], output: .discard)
        guard try await child.whileRunning(until: { Self.size(of: partial) > 2_000 }), !child.hasExited else {
            Issue.record("the run finished before it could be interrupted")
            return
        }
        child.send(SIGINT)
        let stopped = await child.outcome()
        #expect(stopped.status == 130 && !stopped.signaled)
        #expect(!FileManager.default.fileExists(atPath: fixture.path("stopped.jsonl.gz")))
        #expect(FileManager.default.fileExists(atPath: partial))
    }

    @Test func refusesQuestionsWrittenForAnotherVersionOfTheTable() async throws {
        let fixture = try PipelineFixture(dataset: Self.dataset)
        try await questions(in: fixture)
        try FileManager.default.copyItem(atPath: fixture.path("data/datasets/\(Self.dataset)"), toPath: fixture.path("data/datasets/penguins"))
        // A second dataset folder whose table differs: copy the real penguins in place.
        try FileManager.default.removeItem(atPath: fixture.path("data/datasets/penguins"))
        try FileManager.default.copyItem(at: BundledDatasets.folder("penguins"), to: URL(fileURLWithPath: fixture.path("data/datasets/penguins")))
        let outcome = try await fixture.run("episode-gen", [
            "--questions", "questions.jsonl.gz", "--dataset", "data/datasets/penguins", "--output", "x.jsonl.gz",
        ])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("questions.jsonl.gz:1: error: [input] 'dataset_sha256'"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path("x.jsonl.gz")))
    }

    /// The size of the file at `path`, 0 when it does not exist yet.
    static func size(of path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
