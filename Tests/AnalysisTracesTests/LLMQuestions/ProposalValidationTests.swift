import Testing
@testable import AnalysisTraces

/// A proposal object in the JSON form the model writes, with any member replaced or removed.
func proposalJSON(
    question: String = "What is the mean \"value\" for each \"group\", rounded to 2 decimal places? Answer with an object from group to mean.",
    hint: String = "Use groupby on the group column and take the mean.",
    difficulty: JSONValue = .string("easy"),
    steps: JSONValue = .int(2),
    schema: JSONValue = .object([("type", .string("number")), ("decimals", .int(2)), ("ordered", .null), ("items", .null), ("fields", .null)]),
    drop: String? = nil,
    extra: (String, JSONValue)? = nil
) -> JSONValue {
    var members: [(key: String, value: JSONValue)] = [
        ("question", .string(question)), ("hint", .string(hint)), ("difficulty", difficulty),
        ("expected_steps", steps), ("output_schema", schema),
    ]
    members.removeAll { $0.key == drop }
    if let extra { members.append(extra) }
    return .object(members)
}

@Suite struct TextComparisonTests {
    @Test("normalisation applies NFKC, folds case and collapses whitespace, punctuation and underscores")
    func normalisesText() {
        #expect(TextComparison.normalized("  What's the MEAN\tof body_mass_g?? ") == "what s the mean of body mass g")
        #expect(TextComparison.normalized("Ｍｅａｎ ｏｆ x²") == "mean of x2")
        #expect(TextComparison.normalized("Straße, café!") == TextComparison.normalized("STRASSE café"))
        #expect(TextComparison.tokens("--") == [])
    }

    @Test("a phrase is contained only as whole consecutive words")
    func containsWholeWords() {
        let text = TextComparison.tokens("the mean body mass of penguins")
        #expect(TextComparison.contains(text, phrase: ["body", "mass"]))
        #expect(!TextComparison.contains(text, phrase: ["mass", "body"]))
        #expect(!TextComparison.contains(text, phrase: ["pen"]))
        #expect(!TextComparison.contains(text, phrase: []))
    }
}

@Suite struct QuestionProposalTests {
    @Test("a well-formed proposal decodes, trimming its texts")
    func decodesAWellFormedProposal() throws {
        let proposal = try QuestionProposal(json: proposalJSON(question: "  How many rows?  ", steps: .int(1)))
        #expect(proposal.question == "How many rows?")
        #expect(proposal.difficulty == .easy)
        #expect(proposal.expectedSteps == 1)
        #expect(proposal.outputSchema == .number(decimals: 2))
    }

    @Test("schema keys that do not apply to a node's type may be left out, at every depth")
    func acceptsOmittedNotApplicableSchemaKeys() throws {
        let schema = JSONValue.object([
            ("type", .string("object")),
            ("fields", .array([
                .object([("name", .string("groups")), ("schema", .object([
                    ("type", .string("list")), ("ordered", .bool(true)), ("items", .object([("type", .string("string"))])),
                ]))]),
                .object([("name", .string("share")), ("schema", .object([("type", .string("number")), ("decimals", .int(3))]))]),
            ])),
        ])
        let proposal = try QuestionProposal(json: proposalJSON(schema: schema))
        #expect(proposal.outputSchema == .object(fields: [
            .init(name: "groups", schema: .list(items: .string, ordered: true)),
            .init(name: "share", schema: .number(decimals: 3)),
        ]))
    }

    static let malformed: [(JSONValue, String)] = [
        (.string("a question"), "a proposal must be an object; found string"),
        (proposalJSON(drop: "hint"), "missing key 'hint'"),
        (proposalJSON(extra: ("answer", .int(3))), "unexpected key 'answer'"),
        (proposalJSON(question: "   "), "'question' must not be empty"),
        (proposalJSON(difficulty: .string("EASY-ish")), "'difficulty' must be one of 'easy', 'medium', 'hard', 'very_hard'; found 'EASY-ish'"),
        (proposalJSON(steps: .int(0)), "'expected_steps' must be an integer from 1 to 20; found 0"),
        (proposalJSON(steps: .double(2.5)), "'expected_steps' must be an integer from 1 to 20; found 2.5"),
        (proposalJSON(steps: .string("3")), "'expected_steps' must be an integer from 1 to 20; found string"),
        (proposalJSON(schema: .string("number")), "'output_schema' is not a valid answer schema"),
        (proposalJSON(schema: .object([("type", .string("list")), ("items", .object([("type", .string("string"))]))])), "'output_schema' is not a valid answer schema"),
        (proposalJSON(schema: .object([("type", .string("decimal"))])), "'output_schema' is not a valid answer schema"),
        (proposalJSON(schema: .object([("type", .string("integer")), ("decimals", .int(2))])), "must have null 'decimals'"),
        (proposalJSON(schema: .object([("type", .string("integer")), ("unit", .string("kg"))])), "unknown key 'unit'"),
    ]

    @Test("malformed proposals are rejected with a reason naming the key", arguments: malformed)
    func rejectsMalformedProposals(_ value: JSONValue, _ expected: String) {
        do {
            _ = try QuestionProposal(json: value)
            Issue.record("accepted a malformed proposal")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}

@Suite struct ProposalParserTests {
    @Test("a bare array and an array in one json fence with prose around it are read")
    func readsTheTwoAcceptedForms() throws {
        #expect(try ProposalParser.parse("  [1, 2]\n").get() == [.int(1), .int(2)])
        let fenced = "Here are the questions:\n\n```JSON\n[{\"a\": 1}]\n```\nGood luck."
        #expect(try ProposalParser.parse(fenced).get() == [.object([("a", .int(1))])])
    }

    static let unusable: [(String, ProposalParser.Problem)] = [
        ("I cannot think of any questions.", .noJSON),
        ("```json\n[1]\n```\n\n```json\n[2]\n```", .severalBlocks(count: 2)),
        ("```python\nprint(1)\n```", .notJSONBlock(label: "python")),
        ("```\n[1]\n```", .notJSONBlock(label: "")),
        ("```json\n[1, 2", .unterminatedBlock),
        ("```json\n{\"questions\": []}\n```", .notAnArray(found: "object")),
        ("[]", .emptyArray),
    ]

    @Test("anything else is rejected with a reason", arguments: unusable)
    func rejectsOtherReplies(_ reply: String, _ problem: ProposalParser.Problem) {
        #expect(ProposalParser.parse(reply) == .failure(problem))
    }

    @Test("invalid JSON names where it fails")
    func rejectsInvalidJSON() {
        guard case .failure(.invalidJSON(let detail)) = ProposalParser.parse("[{\"question\": 'single quotes'}]") else {
            Issue.record("invalid JSON was accepted")
            return
        }
        #expect(detail.contains("at byte"))
    }
}

@Suite struct ProposalValidatorTests {
    static let columns = ["species", "island", "bill_length_mm", "body_mass_g", "mass", "sex"]

    @Test("a question equal after normalisation to a template question or an accepted proposal is a duplicate")
    func rejectsDuplicates() throws {
        let template = "How many rows have \"sex\" missing?"
        var validator = ProposalValidator(columns: Self.columns, templateQuestions: [template])
        let againstTemplate = validator.review(proposalJSON(question: "how many rows have SEX missing", hint: "Count the nulls."))
        #expect(againstTemplate == .failure(.duplicate(of: template, template: true)))

        let first = "What is the median body mass of Adelie penguins, in grams?"
        #expect(try validator.review(proposalJSON(question: first, hint: "Filter then take the median.")).get().question == first)
        let again = validator.review(proposalJSON(question: "What is the median body-mass of ADELIE penguins (in grams)", hint: "Filter on species."))
        #expect(again == .failure(.duplicate(of: first, template: false)))
    }

    @Test("a rejected proposal does not make a later equal one a duplicate")
    func onlyAcceptedProposalsCount() throws {
        var validator = ProposalValidator(columns: Self.columns, templateQuestions: [])
        let question = "What share of penguins are female?"
        _ = validator.review(proposalJSON(question: question, steps: .int(0)))
        #expect(try validator.review(proposalJSON(question: question, hint: "Use value_counts with normalize=True.")).get().question == question)
    }

    static let hintLeaks: [(question: String, hint: String, leaks: Bool)] = [
        // The hint repeated inside the question.
        ("What is the mean bill length? Group by species and take the mean of bill_length_mm.", "Group by species and take the mean of bill_length_mm", true),
        // The hint's content words all in the question, in another order.
        ("Take the mean of bill_length_mm after grouping by species; which species is highest?", "Group by species, then the mean bill_length_mm.", true),
        // A hint that adds a method.
        ("Which species has the highest mean bill length?", "Use groupby on species and compare the means of bill_length_mm, then idxmax.", false),
        // Short hints leak only by containment.
        ("Which island has the most penguins?", "Count rows.", false),
        ("Which island has the most penguins?", "most penguins", true),
    ]

    @Test("the hint leaks when it is contained in the question or most of its content words are", arguments: hintLeaks)
    func detectsHintLeaks(_ example: (question: String, hint: String, leaks: Bool)) {
        #expect((ProposalValidator.hintLeak(question: example.question, hint: example.hint) != nil) == example.leaks)
    }

    @Test("a discovery question is recognised from its wording or from its schema")
    func recognisesDiscoveryQuestions() throws {
        let byWording = try QuestionProposal(json: proposalJSON(question: "Which variable has the most missing values?"))
        #expect(ProposalValidator.isDiscovery(byWording))
        let bySchema = try QuestionProposal(json: proposalJSON(
            question: "Name the measurement most correlated with body mass.",
            schema: .object([("type", .string("object")), ("fields", .array([
                .object([("name", .string("best_feature")), ("schema", .object([("type", .string("string"))]))]),
            ]))])))
        #expect(ProposalValidator.isDiscovery(bySchema))
        let plain = try QuestionProposal(json: proposalJSON(question: "Which species is heaviest on average?"))
        #expect(!ProposalValidator.isDiscovery(plain))
    }

    @Test("columns are found as whole words, and a name inside a longer named column does not count")
    func findsNamedColumns() {
        #expect(ProposalValidator.columnsNamed(in: "Compare body_mass_g across each island.", columns: Self.columns) == ["island", "body_mass_g"])
        #expect(ProposalValidator.columnsNamed(in: "Compare the mass.", columns: Self.columns) == ["mass"])
        #expect(ProposalValidator.columnsNamed(in: "Consider the islands.", columns: Self.columns) == [])
    }

    static let discoveryLeaks: [(question: String, hint: String, leaked: [String]?)] = [
        // Asks which column, and names the one the hint points to.
        ("Which column, body_mass_g or flipper length, is most correlated with bill_length_mm?", "Compute the correlations; body_mass_g wins.", ["body_mass_g"]),
        // The hint points to two columns and the question names both.
        ("Which variable, \"sex\" or \"island\", has more missing values?", "Compare isna().sum() of sex and island.", ["island", "sex"]),
        // The question names one of the two columns the hint points to: not given away.
        ("Which variable has the strongest correlation with body_mass_g?", "Use df.corr() against body_mass_g and look at bill_length_mm.", nil),
        // The hint names no column.
        ("Which column has the most missing values?", "Use isna().sum() and idxmax.", nil),
        // Not a discovery question: naming columns is expected.
        ("What is the mean body_mass_g per species?", "Group by species and average body_mass_g.", nil),
    ]

    @Test("a discovery question leaks when it names every column its hint points to", arguments: discoveryLeaks)
    func detectsDiscoveryLeaks(_ example: (question: String, hint: String, leaked: [String]?)) throws {
        let proposal = try QuestionProposal(json: proposalJSON(question: example.question, hint: example.hint))
        #expect(ProposalValidator.discoveryLeak(proposal, columns: Self.columns) == example.leaked)
    }

    @Test("the first failing rule is the recorded reason")
    func recordsTheFirstFailingRule() {
        var validator = ProposalValidator(columns: Self.columns, templateQuestions: [])
        let leak = validator.review(proposalJSON(question: "Which column has the most missing values, sex or island?", hint: "The sex column."))
        #expect(leak == .failure(.discoveryLeak(columns: ["sex"])))
        let hint = validator.review(proposalJSON(question: "How many penguins live on Biscoe island?", hint: "Biscoe island"))
        guard case .failure(.hintLeak(let detail)) = hint else {
            Issue.record("expected a hint leak, got \(hint)")
            return
        }
        #expect(detail == "the whole hint appears in the question")
    }
}
