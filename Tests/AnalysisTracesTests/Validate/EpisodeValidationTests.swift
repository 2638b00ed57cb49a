import Foundation
import Logging
import Testing
@testable import AnalysisTraces

/// `validate` as a stage: it keeps the episodes that pass, in input order, writes a report,
/// leaves unchanged outputs alone, and refuses an input it cannot use.
@Suite struct EpisodeValidationTests {
    static let logger = Logger(label: "validation-tests")

    /// A passing verified episode, a passing unverified one, one that breaks a rule, a duplicate
    /// question, and a second passing verified one, in that order.
    static func mixedEpisodes() async throws -> [Episode] {
        let good = try await ValidationFixtures.groundTruthEpisode()
        let unverified = try await ValidationFixtures.triangulationEpisode(number: 2, answers: [5.9, 6.1, 7.0])
        var broken = try await ValidationFixtures.groundTruthEpisode(number: 3)
        broken.traces[0].turns[1].execution.stdout = "0    0.0\n"
        var duplicate = good
        duplicate.producer.teacher = "another"
        duplicate.id = duplicate.contentAddress
        let second = try await ValidationFixtures.triangulationEpisode(number: 4, answers: [5.9, 5.9, 6.1])
        return [good, unverified, broken, duplicate, second]
    }

    @Test func writesOnlyThePassingVerifiedEpisodesInInputOrderAndAReport() async throws {
        let episodes = try await Self.mixedEpisodes()
        try await IOTestDirectory.with { directory in
            let input = directory.file("episodes.jsonl.gz")
            try ValidationFixtures.writeEpisodes(episodes, to: input)
            let stage = EpisodeValidation(input: input, output: directory.file("validated.jsonl.gz"))
            let outcome = try stage.run(logger: Self.logger)

            let kept = try JSONLinesReader<Episode>(path: stage.output).readAll()
            #expect(kept.map(\.id) == [episodes[0].id, episodes[4].id])
            let report = outcome.report
            #expect(report.recordsRead == 5)
            #expect(report.recordsKept == 2)
            #expect(report.recordsDropped == 3)
            #expect(report.recordsFailingRules == 2)
            #expect(report.unverified == 1)
            #expect(report.rules == ["feedback": 1, "duplicate": 1])
            #expect(report.diagnostics.count == 2)
            #expect(report.diagnostics.first?.hasPrefix("\(input):3: error: [feedback]") == true, "\(report.diagnostics)")
            #expect(report.diagnostics.last?.hasPrefix("\(input):4: error: [duplicate] question") == true, "\(report.diagnostics)")
            #expect(report.datasets.keys.sorted() == ["fixture"])
            #expect(report.datasets["fixture"]?.kept == 2)
            #expect(report.datasets["fixture"]?.rules == ["feedback": 1, "duplicate": 1])

            let written = try RecordDecoder().decode(ValidationReport.self, from: JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: stage.reportPath)))))
            #expect(written == report)
            #expect(stage.reportPath == directory.file("validated.report.json"))
            #expect(report.summary.contains("5 records read, 2 kept, 3 dropped (2 broke rules, 1 unverified)"))
        }
    }

    @Test func keepsUnverifiedEpisodesThatPassOnlyWhenAsked() async throws {
        let episodes = try await Self.mixedEpisodes()
        try await IOTestDirectory.with { directory in
            let input = directory.file("episodes.jsonl.gz")
            try ValidationFixtures.writeEpisodes(episodes, to: input)
            let stage = EpisodeValidation(input: input, output: directory.file("validated.jsonl.gz"), keepUnverified: true)
            let outcome = try stage.run(logger: Self.logger)
            let kept = try JSONLinesReader<Episode>(path: stage.output).readAll()
            #expect(kept.map(\.id) == [episodes[0].id, episodes[1].id, episodes[4].id])
            #expect(outcome.report.unverified == 1)
            #expect(outcome.report.recordsDropped == 2)
        }
    }

    @Test func anUnchangedRunLeavesBothOutputsAndTheirMtimesAlone() async throws {
        let episodes = try await Self.mixedEpisodes()
        try await IOTestDirectory.with { directory in
            let input = directory.file("episodes.jsonl.gz")
            try ValidationFixtures.writeEpisodes(episodes, to: input)
            let stage = EpisodeValidation(input: input, output: directory.file("validated.jsonl.gz"))
            let first = try stage.run(logger: Self.logger)
            #expect(first.outputChanged && first.reportChanged)
            let old = Date(timeIntervalSince1970: 1_000_000_000)
            for path in [stage.output, stage.reportPath] {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
            }
            let second = try stage.run(logger: Self.logger)
            #expect(!second.outputChanged && !second.reportChanged)
            for path in [stage.output, stage.reportPath] {
                let mtime = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
                #expect(mtime == old, "\(path) was rewritten")
            }
            #expect(try directory.listing() == ["episodes.jsonl.gz", "validated.jsonl.gz", "validated.report.json"])
        }
    }

    @Test(arguments: ["missing", "not gzip", "truncated"])
    func refusesAnInputItCannotUseAndWritesNothing(_ damage: String) async throws {
        let episodes = try await Self.mixedEpisodes()
        try IOTestDirectory.with { directory in
            let input = directory.file("episodes.jsonl.gz")
            switch damage {
            case "not gzip":
                try Data("{\"id\": 1}\n".utf8).write(to: URL(fileURLWithPath: input))
            case "truncated":
                try ValidationFixtures.writeEpisodes(episodes, to: input)
                let data = try Data(contentsOf: URL(fileURLWithPath: input))
                try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: input))
            default:
                break
            }
            let stage = EpisodeValidation(input: input, output: directory.file("validated.jsonl.gz"))
            #expect(throws: StageInputError.self) { try stage.run(logger: Self.logger) }
            #expect(!FileManager.default.fileExists(atPath: stage.output))
            #expect(!FileManager.default.fileExists(atPath: stage.reportPath))
        }
    }

    @Test func anEmptyInputGivesAnEmptyOutput() throws {
        try IOTestDirectory.with { directory in
            let input = directory.file("episodes.jsonl.gz")
            try ValidationFixtures.writeEpisodes([], to: input)
            let stage = EpisodeValidation(input: input, output: directory.file("validated.jsonl.gz"))
            let outcome = try stage.run(logger: Self.logger)
            #expect(outcome.report.recordsRead == 0)
            #expect(try JSONLinesReader<Episode>(path: stage.output).readAll().isEmpty)
        }
    }

    @Test func theCheckerReportsSemanticRulesAndDuplicateQuestions() async throws {
        let episodes = try await Self.mixedEpisodes()
        try IOTestDirectory.with { directory in
            let path = directory.file("episodes.jsonl.gz")
            try ValidationFixtures.writeEpisodes(episodes, to: path)
            let report = StageFileChecker().check(path: path)
            #expect(report.kind == .episodes)
            #expect(report.records == 5)
            #expect(report.validRecords == 3)
            #expect(report.countsByRule == ["feedback": 1, "duplicate": 1])
            #expect(!report.isClean)
        }
    }

    @Test func everyRuleIsNamedAndSummarised() {
        let names = ValidationRule.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        #expect(names.contains("hint-leak"))
        #expect(ValidationRule.allCases.allSatisfy { !$0.summary.isEmpty })
    }
}
