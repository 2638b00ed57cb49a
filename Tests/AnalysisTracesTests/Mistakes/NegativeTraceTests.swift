import Foundation
import Logging
import Testing
@testable import AnalysisTraces
import TestSupport

/// A purpose-made table on which every catalogued mistake changes the answer of one template
/// question, and the machinery to run gold, flawed and self-correcting traces on it in the real
/// sandbox, the way `episode-gen` does.
enum MistakeFixture {
    /// 20 rows: three groups of unequal spread (C has exactly three present values), two binary
    /// categories, a measure `x` with missing values and three values exactly at 5.0, `y` a
    /// convex function of `x` (ranks agree, values do not), `z` strongly negative in `x`, and
    /// dates over four years; `e` and `f`, two even binary categories associated 7 to 3, a
    /// cross-tab whose expected counts (all 5) allow a chi-square test.
    static let csv = """
        g,b,c,x,y,z,d,e,f
        A,yes,p,4.0,5.479,-7.735,2019-01-01,u,m
        A,yes,q,4.45,8.695,-9.075,2020-02-04,u,m
        A,yes,p,3.59,3.993,-7.214,2021-03-07,u,m
        A,yes,p,5.0,12.636,-9.967,2022-04-10,u,m
        A,yes,q,3.32,3.738,-6.621,2019-05-13,u,m
        A,no,p,,,,2020-06-16,u,m
        A,no,q,4.09,6.748,-8.548,2021-07-19,u,m
        A,no,p,6.01,,-11.997,2022-08-22,u,n
        B,yes,q,2.2,0.795,-3.992,2019-09-25,u,n
        B,yes,q,5.0,12.476,-10.464,2020-10-01,u,n
        B,no,p,2.79,2.228,-5.322,2021-11-04,v,m
        B,no,q,2.71,1.225,-5.384,2022-12-07,v,m
        B,no,q,,,,2019-01-10,v,m
        B,no,p,1.94,0.491,-4.072,2020-02-13,v,n
        B,no,q,2.48,1.036,-4.36,2021-03-16,v,n
        B,no,q,2.92,2.085,-5.611,2022-04-19,v,n
        C,yes,p,6.19,24.248,-12.74,2019-05-22,v,n
        C,no,q,5.0,12.096,-9.978,2020-06-25,v,n
        C,yes,p,5.86,20.107,-11.547,2021-07-01,v,n
        C,no,q,,,,2022-08-04,v,n

        """

    static let dataset = Dataset(
        id: "mistakes", title: "Mistake fixture", description: "Groups, categories, three measures and dates.",
        source: DatasetSource(kind: .bundled, ref: "data.csv", version: nil, file: nil),
        license: DatasetLicense(spdx: nil, name: "CC0", url: nil), sha256: String(repeating: "b", count: 64),
        bytes: csv.utf8.count, rows: 20, columns: ["g", "b", "c", "x", "y", "z", "d", "e", "f"], fetchedAt: "2024-01-01T00:00:00Z",
        loader: LoaderSettings())

    /// For each catalogued mistake, a template question on the table where it changes the answer.
    static let cases: [(mistake: String, template: String, parameters: JSONValue)] = [
        ("population_std", "center_and_spread", p(("column", .string("x")), ("decimals", .int(3)))),
        ("mean_for_median", "center_and_spread", p(("column", .string("x")), ("decimals", .int(3)))),
        ("median_for_mean", "group_means", p(("group_column", .string("g")), ("column", .string("x")), ("decimals", .int(3)))),
        ("round_before_aggregating", "center_and_spread", p(("column", .string("x")), ("decimals", .int(3)))),
        ("inclusive_threshold", "count_above_threshold", p(("column", .string("x")), ("threshold", .double(5.0)))),
        ("strict_threshold", "chain_group_variability", p(("measure", .string("x")), ("group_column", .string("g")))),
        ("one_sided_test", "two_group_mean_test", p(("measure", .string("x")), ("group_column", .string("b")), ("groups", .array([.string("yes"), .string("no")])), ("alpha", .double(0.05)))),
        ("pooled_variance_t_test", "two_group_mean_test", p(("measure", .string("x")), ("group_column", .string("b")), ("groups", .array([.string("yes"), .string("no")])), ("alpha", .double(0.05)))),
        ("count_includes_missing", "correlation_between", p(("first_column", .string("x")), ("second_column", .string("y")), ("decimals", .int(3)))),
        ("any_for_all", "complete_rows", p()),
        ("missing_not_dropped", "simple_linear_fit", p(("response", .string("y")), ("predictor", .string("x")), ("slope_decimals", .int(3)))),
        ("spearman_for_pearson", "correlation_between", p(("first_column", .string("x")), ("second_column", .string("y")), ("decimals", .int(3)))),
        ("quartile_convention", "iqr_outliers", p(("column", .string("y")), ("decimals", .int(3)))),
        ("filter_forgotten", "mean_where_above", p(("filter_column", .string("x")), ("threshold", .double(5.0)), ("column", .string("y")), ("decimals", .int(3)))),
        ("unsorted_top_k", "top_groups_by_mean", p(("group_column", .string("g")), ("column", .string("x")), ("k", .int(2)), ("decimals", .int(3)))),
        ("signed_correlation_strength", "strongest_correlated_pair", p(("columns", .array([.string("x"), .string("y"), .string("z")])), ("decimals", .int(3)))),
        ("biased_skewness", "skewness_direction", p(("measure", .string("x")))),
        ("r_for_r_squared", "simple_linear_fit", p(("response", .string("y")), ("predictor", .string("x")), ("slope_decimals", .int(3)))),
        ("continuity_correction", "category_association_test", p(("row_column", .string("e")), ("column_column", .string("f")), ("alpha", .double(0.05)))),
        ("rank_test_for_anova", "multi_group_mean_test", p(("measure", .string("x")), ("group_column", .string("g")), ("alpha", .double(0.05)))),
        ("off_by_one_period", "largest_yearly_rise", p(("date_column", .string("d")), ("format", .string("%Y-%m-%d")), ("measure", .string("x")))),
        ("reversed_test_decision", "two_group_mean_test", p(("measure", .string("x")), ("group_column", .string("b")), ("groups", .array([.string("yes"), .string("no")])), ("alpha", .double(0.05)))),
        ("adjusted_r_squared", "multiple_linear_fit", p(("response", .string("y")), ("predictors", .array([.string("x"), .string("z")])), ("decimals", .int(3)))),
        ("wrong_normality_test", "normality_test", p(("measure", .string("x")), ("alpha", .double(0.05)))),
        ("ascending_ranking", "top_groups_by_mean", p(("group_column", .string("g")), ("column", .string("x")), ("k", .int(2)), ("decimals", .int(3)))),
        ("inclusive_day_count", "date_span", p(("date_column", .string("d")), ("format", .string("%Y-%m-%d")))),
    ]

    /// Template parameters: an object of these members.
    static func p(_ members: (String, JSONValue)...) -> JSONValue {
        .object(members.map { (key: $0.0, value: $0.1) })
    }

    /// What running one mistake on its question gave.
    struct Outcome: Sendable {
        var question: Question
        var gold: Trace
        var result: NegativeTraceMaker.Result

        var episode: Episode {
            let producer = Producer(teacher: "program", promptVersion: ProgramTeacher().promptVersion, sandbox: [:], tool: "test")
            return Episode(
                id: ContentAddress.episodeID(questionID: question.id, producer: producer), question: question,
                traces: [gold] + result.traces, verification: GroundTruthVerifier().verify(question: question, traces: [gold]),
                usage: .zero, producer: producer)
        }
    }

    /// Runs the gold trace of `template` with `parameters` on the table, then the maker with
    /// `mistake` alone (one flawed and one self-correcting trace asked for).
    static func run(mistake id: String, template templateID: String, parameters: JSONValue, on worker: SandboxWorker) async throws -> Outcome {
        let template = try #require(TemplateCatalog.template(id: templateID))
        let instance = try template.instantiate(parameters)
        let reference = try await TemplateExecution.run(instance, on: worker)
        #expect(reference.failure == nil, "\(templateID): \(reference.failure ?? "")")
        let answer = try #require(reference.answer)
        let question = QuestionGeneration.question(instance, answer: answer, alternatives: reference.alternatives, dataset: dataset)
        let teacher = ProgramTeacher()
        let task = AgentTask(question: question, role: .gold, systemPrompt: "You analyse the table `df`.",
                             userMessage: TeacherPrompt.userMessage(question: question, role: .gold))
        let loop = AgentLoop(configuration: AgentLoopConfiguration(maxTurns: 16), logger: Logger(label: "test"))
        let gold = try await loop.run(task, teacher: teacher, executor: worker)
        #expect(GroundTruthVerifier().verify(question: question, traces: [gold]).verified, "\(templateID): the gold trace must verify")
        let mistake = try #require(MistakeCatalog.mistake(id: id))
        let maker = NegativeTraceMaker(plan: NegativePlan(negatives: 1, recoveries: 1), seed: 0, catalog: [mistake])
        let result = try await maker.traces(for: question, instance: instance, gold: gold, task: task, loop: loop,
                                            promptVersion: teacher.promptVersion, executor: worker)
        return Outcome(question: question, gold: gold, result: result)
    }

    /// The `prm` rows of an episode, parsed, by trace index.
    static func prmRows(_ episode: Episode) throws -> [Int: JSONValue] {
        let rows = TrainingRowBuilder(formats: [.prm]).rows(for: episode).rows[.prm] ?? []
        var byTrace: [Int: JSONValue] = [:]
        for row in rows {
            let value = row
            if case .int(let index)? = value["trace_index"] { byTrace[Int(index)] = value }
        }
        return byTrace
    }
}

@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct NegativeTraceTests {
    @Test func theCatalogueHasAtLeastFifteenMistakesWithDistinctIDsAndACaseEach() {
        let ids = MistakeCatalog.all.map(\.id)
        #expect(ids.count >= 15)
        #expect(Set(ids).count == ids.count)
        #expect(Set(MistakeFixture.cases.map(\.mistake)) == Set(ids), "every catalogued mistake needs a purpose-made case")
    }

    /// The done-criterion of issue 14: for every catalogued mistake, the flawed trace's first bad
    /// step in `prm` is the step the mistake was applied to, its answer is wrong, and the
    /// validate rules find nothing to say about the real traces.
    @Test func everyMistakeGivesAFlawedTraceWhoseFirstBadStepIsTheMistakenStep() async throws {
        try await ProfileTestSandbox.withWorker(csv: MistakeFixture.csv) { worker in
            var recovered = 0
            for (id, template, parameters) in MistakeFixture.cases {
                let outcome = try await MistakeFixture.run(mistake: id, template: template, parameters: parameters, on: worker)
                let episode = outcome.episode
                let flawed = episode.traces.indices.filter { episode.traces[$0].role == .flawed }
                #expect(flawed.count == 1, "\(id) on \(template): no flawed trace; skipped \(outcome.result.skipped)")
                let rows = try MistakeFixture.prmRows(episode)
                for index in flawed {
                    let record = try #require(episode.traces[index].mistake)
                    #expect(record.id == id)
                    #expect(rows[index]?["first_bad_step"] == .int(Int64(record.step)), "\(id): prm row \(String(describing: rows[index]?["labels"]))")
                    #expect(rows[index]?["trace_correct"] == .bool(false))
                }
                for index in episode.traces.indices where episode.traces[index].role == .selfCorrecting {
                    recovered += 1
                    let record = try #require(episode.traces[index].mistake)
                    let labels = rows[index]?["labels"]?.array ?? []
                    #expect(labels.count == episode.traces[index].turns.count)
                    #expect(labels.indices.contains(record.step) && labels[record.step] == .bool(false), "\(id): the mistaken step is bad")
                    #expect(labels.dropFirst(record.step + 1).allSatisfy { $0 == .bool(true) }, "\(id): the check, the fix and what follows are good")
                    #expect(rows[index]?["trace_correct"] == .bool(true))
                }
                #expect(NegativeRules.check(episode).isEmpty, "\(id): \(NegativeRules.check(episode))")
            }
            #expect(recovered >= MistakeFixture.cases.count / 2, "most mistakes can be caught by a check; got \(recovered)")
        }
    }

    @Test func aMistakeThatChangesNoHookedValueIsSkippedWithItsReason() async throws {
        // No value of `x` equals the threshold 5.5, so `>=` for `>` changes nothing here.
        try await ProfileTestSandbox.withWorker(csv: MistakeFixture.csv) { worker in
            let outcome = try await MistakeFixture.run(
                mistake: "inclusive_threshold", template: "count_above_threshold", parameters: MistakeFixture.p(("column", .string("x")), ("threshold", .double(5.5))), on: worker)
            #expect(outcome.result.traces.isEmpty)
            #expect(outcome.result.skipped["inclusive_threshold:no_hooked_value_changed", default: 0] >= 1, "\(outcome.result.skipped)")
        }
    }

    @Test func aSelfCorrectingTraceClaimsOnlyWhatItsCheckPrinted() async throws {
        try await ProfileTestSandbox.withWorker(csv: MistakeFixture.csv) { worker in
            let outcome = try await MistakeFixture.run(mistake: "population_std", template: "center_and_spread", parameters: MistakeFixture.p(("column", .string("x")), ("decimals", .int(3))), on: worker)
            let trace = try #require(outcome.result.traces.first { $0.role == .selfCorrecting })
            let record = try #require(trace.mistake)
            let check = trace.turns[try #require(record.checkStep)]
            #expect(check.execution.succeeded)
            #expect(check.execution.stdout.contains("std_value as step \(record.step + 1) gave it:"))
            let fix = trace.turns[try #require(record.fixStep)]
            #expect(fix.reasoning.hasPrefix("The check does not agree with step \(record.step + 1): `std_value` was"))
            #expect(fix.code == trace.turns[0].code || fix.code.contains("std(ddof=1)"))
            #expect(trace.turns[record.step].code.contains("std(ddof=0)"))
        }
    }
}

/// The `flawed` and `recovery` rules of `validate`, on real episodes with one thing changed.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct NegativeRuleTests {
    static func episode() async throws -> Episode {
        try await ProfileTestSandbox.withWorker(csv: MistakeFixture.csv) { worker in
            try await MistakeFixture.run(mistake: "population_std", template: "center_and_spread",
                                         parameters: MistakeFixture.p(("column", .string("x")), ("decimals", .int(3))), on: worker).episode
        }
    }

    static func rules(_ episode: Episode) -> Set<String> {
        Set(EpisodeRules.check(episode).map(\.rule))
    }

    @Test func aFlawedTraceWhoseAnswerIsAcceptedBreaksTheFlawedRule() async throws {
        var episode = try await Self.episode()
        #expect(EpisodeRules.check(episode).isEmpty, "\(EpisodeRules.check(episode))")
        let t = try #require(episode.traces.firstIndex { $0.role == .flawed })
        let right = try #require(episode.traces[0].answer)
        let last = try #require(episode.traces[t].turns.lastIndex { $0.submission != nil })
        episode.traces[t].turns[last].submission = right
        episode.traces[t].answer = right
        #expect(Self.rules(episode).contains(ValidationRule.flawed.rawValue))
        #expect(!Self.rules(episode).contains(ValidationRule.submission.rawValue))
    }

    @Test func aMistakeRecordedAtAnotherStepThanTheHooksShowBreaksTheRulesOfBothRoles() async throws {
        let episode = try await Self.episode()
        for role in [Trace.Role.flawed, .selfCorrecting] {
            let t = try #require(episode.traces.firstIndex { $0.role == role })
            let record = try #require(episode.traces[t].mistake)
            // An earlier step whose hooked value no longer agrees with the gold trace's: the
            // labels' first bad step moves before the recorded mistake.
            var moved = episode
            let early = try #require(moved.traces[t].turns.indices.first { index in
                index < record.step && moved.traces[t].turns[index].hooks.contains { $0.grounded }
            })
            let hook = try #require(moved.traces[t].turns[early].hooks.firstIndex { $0.grounded })
            moved.traces[t].turns[early].hooks[hook].value = .string("not the gold value")
            let rule = role == .flawed ? ValidationRule.flawed.rawValue : ValidationRule.recovery.rawValue
            #expect(Self.rules(moved).contains(rule), "\(role)")
        }
    }

    @Test func aSelfCorrectingTraceWhoseFixClaimsWhatTheCheckDidNotShowBreaksTheRecoveryRule() async throws {
        var episode = try await Self.episode()
        let t = try #require(episode.traces.firstIndex { $0.role == .selfCorrecting })
        let record = try #require(episode.traces[t].mistake)
        let fix = try #require(record.fixStep)
        var claimed = episode
        claimed.traces[t].turns[fix].reasoning = "The check shows step 2 used the wrong formula; the standard deviation is 1.5.\n\nWe redo it."
        #expect(Self.rules(claimed) == [ValidationRule.recovery.rawValue])

        var unchecked = episode
        let check = try #require(record.checkStep)
        unchecked.traces[t].turns[check].execution.error = ExecutionError(kind: "NameError", message: "name 'x' is not defined", traceback: "")
        #expect(Self.rules(unchecked).contains(ValidationRule.recovery.rawValue))
    }
}

/// The records and rules of flawed and self-correcting traces, on traces built without a sandbox.
struct NegativeRecordTests {
    @Test func aGoldTraceIsWrittenWithoutAMistakeKeySoOldEpisodesStayByteIdentical() throws {
        let trace = Trace(role: .gold, messages: [], turns: [], answer: nil, endReason: .error, error: "x", usage: .zero)
        let value = try RecordEncoder().encodeValue(trace)
        #expect(value.keys == ["role", "messages", "turns", "answer", "end_reason", "error", "usage"])
    }

    @Test func aFlawedTraceRoundTripsItsMistakeAndAGoldTraceWithOneIsRejected() throws {
        let mistake = TraceMistake(id: "population_std", version: "1", step: 1)
        let flawed = Trace(role: .flawed, messages: [], turns: [], answer: nil, endReason: .error, error: "x", usage: .zero, mistake: mistake)
        let bytes = try RecordEncoder().encode(flawed)
        #expect(try RecordDecoder().decode(Trace.self, from: bytes) == flawed)
        var gold = try JSONParser.parse(bytes)
        if case .object(var members) = gold {
            members[0].value = .string("gold")
            gold = .object(members)
        }
        #expect(throws: (any Error).self) { try RecordDecoder().decode(Trace.self, from: JSONWriter.bytes(gold)) }
        var missing = try JSONParser.parse(bytes)
        if case .object(let members) = missing { missing = .object(members.filter { $0.key != "mistake" }) }
        #expect(throws: (any Error).self) { try RecordDecoder().decode(Trace.self, from: JSONWriter.bytes(missing)) }
    }

    @Test func aRewriteKeepsTheHookGroundedInTheRewrittenLine() throws {
        let instance = try CenterSpreadTemplate().instantiate(MistakeFixture.p(("column", .string("x")), ("decimals", .int(3))))
        let mistake = try #require(MistakeCatalog.mistake(id: "population_std"))
        let application = try #require(mistake.apply(to: instance, step: 1))
        let line = "std_value = float(df[\"x\"].std(ddof=0))"
        #expect(application.mistaken.code.contains(line + "\n"))
        #expect(application.mistaken.code.contains("hook(std_value, \(Python.literal(line))"))
        #expect(!application.mistaken.reasoning.contains("sample"))
        #expect(mistake.apply(to: instance, step: 0) == nil)
    }
}

/// `episode-gen` with the negatives on and off, on the bundled iris table.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct NegativeEpisodeGenerationTests {
    @Test func turnedOffTheEpisodesAreByteIdenticalAndTurnedOnTheyOnlyGainTraces() async throws {
        let folder = try DatasetFolder(path: SandboxTestEnvironment.repositoryRoot.appendingPathComponent("data/datasets/iris").path)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("negatives-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var sandbox = SandboxConfiguration(csvPath: folder.csvPath, loader: folder.record.loader, python: SandboxTestEnvironment.python)
        sandbox.cellTimeout = .seconds(60)
        let logger = Logger(label: "test")
        let questions = directory.appendingPathComponent("questions.jsonl.gz").path
        _ = try await QuestionGeneration(dataset: folder, output: questions, sandbox: sandbox, seed: 0, maxQuestions: 6, workers: 1).run(logger: logger)

        func episodes(_ name: String, _ plan: NegativePlan?) async throws -> (bytes: Data, episodes: [Episode]) {
            let output = directory.appendingPathComponent(name + ".jsonl.gz").path
            _ = try await EpisodeGeneration(dataset: folder, questionsPath: questions, output: output, sandbox: sandbox,
                                            teacher: ProgramTeacher(), seed: 0, workers: 1, negatives: plan).run(logger: logger)
            return (try Data(contentsOf: URL(fileURLWithPath: output)), try JSONLinesReader<Episode>(path: output).readAll())
        }
        let before = try await episodes("none", nil)
        let off = try await episodes("off", NegativePlan(negatives: 0, recoveries: 0))
        let on = try await episodes("on", NegativePlan())
        #expect(off.bytes == before.bytes)
        #expect(before.episodes.allSatisfy { $0.traces.count == 1 })
        #expect(on.episodes.count == before.episodes.count)
        for (plain, rich) in zip(before.episodes, on.episodes) {
            #expect(rich.id == plain.id)
            #expect(rich.traces[0] == plain.traces[0])
            #expect(rich.verification == plain.verification)
            #expect(rich.traces.dropFirst().allSatisfy { !$0.role.isAttempt && $0.mistake != nil })
            #expect(rich.traces.filter { $0.role == .flawed }.count <= 2)
            #expect(rich.traces.filter { $0.role == .selfCorrecting }.count <= 1)
            #expect(EpisodeRules.check(rich).isEmpty, "\(EpisodeRules.check(rich))")
        }
        #expect(on.episodes.contains { $0.traces.contains { $0.role == .flawed } })
    }
}
