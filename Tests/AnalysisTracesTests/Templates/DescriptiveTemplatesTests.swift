import Foundation
import Testing
@testable import AnalysisTraces

/// The descriptive templates without a sandbox: where they apply on hand-built profiles, how
/// their parameters round-trip, and what their questions and programs say.
@Suite struct DescriptiveTemplatesTests {
    static let templateIDs = DescriptiveTemplates.all.map(\.id)

    static func template(_ id: String) throws -> any QuestionTemplate {
        try #require(DescriptiveTemplates.all.first { $0.id == id })
    }

    /// Every instance a template makes on the rich profile and on the numeric-only profile.
    static func instances(_ template: any QuestionTemplate) throws -> [TemplateInstance] {
        try [HandProfiles.rich, HandProfiles.numericOnly].flatMap { profile in
            try template.parameterSets(for: profile).map { try template.instantiate($0) }
        }
    }

    @Test func catalogHasAtLeastThirteenDescriptiveTemplatesWithUniqueIDs() {
        #expect(DescriptiveTemplates.all.count >= 13)
        #expect(Set(Self.templateIDs).count == Self.templateIDs.count)
        let categories = Set(DescriptiveTemplates.all.map(\.category))
        #expect(categories == [.descriptive, .filtering, .grouping, .ranking, .missingData, .outliers, .correlation])
        for id in Self.templateIDs {
            #expect(TemplateCatalog.template(id: id)?.id == id)
        }
    }

    @Test(arguments: templateIDs)
    func appliesToTheRichProfile(id: String) throws {
        #expect(!(try Self.template(id)).parameterSets(for: HandProfiles.rich).isEmpty)
    }

    @Test func appliesOnlyWhereTheProfileHasTheRolesItNeeds() throws {
        let numericOnly = Set(DescriptiveTemplates.all.filter { !$0.parameterSets(for: HandProfiles.numericOnly).isEmpty }.map(\.id))
        #expect(numericOnly == [
            "center_and_spread", "five_number_summary", "count_above_threshold", "mean_where_above",
            "iqr_outliers", "z_score_outliers", "correlation_between",
        ])
        for template in DescriptiveTemplates.all {
            #expect(template.parameterSets(for: HandProfiles.identifiersOnly).isEmpty, "\(template.id) applies to a table with no measure or category")
        }
    }

    @Test(arguments: templateIDs)
    func neverTargetsIdentifierTextDateOrConstantColumns(id: String) throws {
        let forbidden: Set<String> = ["row_id", "name", "comment", "day", "constant", "flat", "code"]
        for parameters in (try Self.template(id)).parameterSets(for: HandProfiles.rich) {
            let texts = Self.strings(in: parameters)
            #expect(texts.isDisjoint(with: forbidden), "\(id) chose \(texts.intersection(forbidden))")
        }
    }

    @Test func choosesColumnsInTableOrder() throws {
        let sets = CenterSpreadTemplate().parameterSets(for: HandProfiles.rich)
        #expect(sets.map { $0["column"] } == [.string("x"), .string("y"), .string("z")])
        let pairs = CorrelationTemplate().parameterSets(for: HandProfiles.rich).map { [$0["first_column"], $0["second_column"]] }
        #expect(pairs == [[.string("x"), .string("y")], [.string("x"), .string("z")], [.string("y"), .string("z")]])
        let grouped = GroupMeansTemplate().parameterSets(for: HandProfiles.rich).map { [$0["group_column"], $0["column"]] }
        #expect(grouped == [
            [.string("region"), .string("x")], [.string("region"), .string("y")], [.string("region"), .string("z")],
            [.string("sex"), .string("x")], [.string("sex"), .string("y")], [.string("sex"), .string("z")],
        ])
    }

    @Test func takesRoundThresholdsAndDecimalsFromTheProfile() throws {
        // Round values near the third quartile (x: Q3 20.5, IQR 15; z: Q3 1800, IQR 600), never the median.
        let sets = ThresholdCountTemplate().parameterSets(for: HandProfiles.rich)
        #expect(sets.first == .object([("column", .string("x")), ("threshold", .double(20))]))
        #expect(sets.last == .object([("column", .string("z")), ("threshold", .double(1800))]))
        let filtered = FilteredMeanTemplate().parameterSets(for: HandProfiles.rich).first
        #expect(filtered?["filter_column"] == .string("y") && filtered?["threshold"] == .double(0.7))
        #expect(filtered?["column"] == .string("x") && filtered?["decimals"] == .int(3))
        #expect(CenterSpreadTemplate().parameterSets(for: HandProfiles.rich).map { $0["decimals"] } == [.int(3), .int(4), .int(2)])
    }

    @Test func rankingSizeLeavesAtLeastOneGroupOut() throws {
        let k = MostFrequentValuesTemplate().parameterSets(for: HandProfiles.rich).map { $0["k"] }
        #expect(k == [.int(3)])
        let threeGroups = HandProfiles.rich.replacing("region", unique: 3)
        #expect(TopGroupsByMeanTemplate().parameterSets(for: threeGroups).first?["k"] == .int(2))
    }

    @Test func mostFrequentValuesAsksOnlyForAWellDefinedTopSet() throws {
        func profile(_ counts: [Int]) -> TableProfile {
            var column = HandProfiles.category("kind", labels: counts.indices.map { "v\($0)" })
            column.topValues = counts.enumerated().map { ValueCount(value: "v\($0.offset)", count: $0.element) }
            return TableProfile(rows: counts.reduce(0, +), columns: [column])
        }
        let template = MostFrequentValuesTemplate()
        #expect(template.parameterSets(for: profile([50, 50, 50])).isEmpty)
        #expect(template.parameterSets(for: profile([9, 7, 7, 7, 2])).map { $0["k"] } == [.int(1)])
        #expect(template.parameterSets(for: profile([9, 9, 7, 7, 2])).map { $0["k"] } == [.int(2)])
        #expect(template.parameterSets(for: profile([9, 9, 9, 7])).map { $0["k"] } == [.int(3)])
    }

    @Test func calendarFieldsAreNotMeasures() throws {
        var profile = HandProfiles.numericOnly
        profile.columns.insert(HandProfiles.measure("Year", median: 1990, q1: 1980, q3: 2000), at: 0)
        #expect(CenterSpreadTemplate().parameterSets(for: profile).map { $0["column"] } == [.string("a"), .string("b")])
    }

    @Test(arguments: templateIDs)
    func instantiationIsDeterministicAndRebuildsFromItsOwnParameters(id: String) throws {
        let template = try Self.template(id)
        let instances = try Self.instances(template)
        #expect(!instances.isEmpty)
        for instance in instances {
            #expect(try template.instantiate(instance.parameters) == instance)
            // Through the canonical text, as the parameters travel in a question record.
            let reparsed = try JSONParser.parse(CanonicalJSON.string(instance.parameters))
            #expect(try template.instantiate(reparsed) == instance)
            #expect(instance.templateID == id)
            #expect(instance.version == template.version)
        }
        let sets = template.parameterSets(for: HandProfiles.rich)
        #expect(sets == template.parameterSets(for: HandProfiles.rich))
        for parameters in sets {
            #expect(try template.instantiate(parameters) == (try template.instantiate(parameters)))
        }
    }

    @Test(arguments: templateIDs)
    func questionsStateTheirRoundingAndNameEveryAnswerKey(id: String) throws {
        for instance in try Self.instances(try Self.template(id)) {
            for decimals in Self.decimals(in: instance.outputSchema) {
                #expect(instance.question.contains(QuestionText.decimals(decimals)), "\(id): \(instance.question)")
            }
            if case .object(let fields) = instance.outputSchema {
                for field in fields {
                    #expect(instance.question.contains("\"\(field.name)\""), "\(id) does not name the key \(field.name)")
                }
            }
            #expect(!instance.question.contains("df["), "\(id) reads like code: \(instance.question)")
            #expect(instance.question.hasSuffix("."))
        }
    }

    @Test func questionsStateThresholdsTieRulesDdofAndExclusions() throws {
        let threshold = try ThresholdCountTemplate().instantiate(.object([("column", .string("x")), ("threshold", .double(12.345))]))
        #expect(threshold.question.contains("strictly greater than 12.345"))
        #expect(threshold.question.contains("missing"))
        let whole = try ThresholdCountTemplate().instantiate(.object([("column", .string("x")), ("threshold", .int(20))]))
        #expect(whole.question.contains("greater than 20,"))
        #expect(whole.program.contains("> 20)"))
        let spread = try CenterSpreadTemplate().instantiate(.object([("column", .string("x")), ("decimals", .int(2))]))
        #expect(spread.question.contains("n − 1"))
        #expect(spread.program.contains("ddof=1"))
        let z = try ZScoreOutliersTemplate().instantiate(.object([("column", .string("x")), ("cutoff", .double(3)), ("decimals", .int(3))]))
        #expect(z.question.contains("n − 1") && z.question.contains("more than 3"))
        let iqr = try IQROutliersTemplate().instantiate(.object([("column", .string("x")), ("decimals", .int(2))]))
        #expect(iqr.question.contains("1.5 × IQR") && iqr.question.contains("strictly below"))
        let top = try TopGroupsByMeanTemplate().instantiate(.object([("group_column", .string("region")), ("column", .string("x")), ("k", .int(3)), ("decimals", .int(2))]))
        #expect(top.question.contains("alphabetical"))
        let strongest = try StrongestCorrelationTemplate().instantiate(.object([("columns", .array([.string("x"), .string("y"), .string("z")])), ("decimals", .int(4))]))
        #expect(strongest.question.contains("\"x\", \"y\" and \"z\""))
        #expect(strongest.question.contains("in any order"))
        #expect(strongest.outputSchema == .object(fields: [
            .init(name: "columns", schema: .list(items: .string, ordered: false)),
            .init(name: "correlation", schema: .number(decimals: 4)),
        ]))
    }

    @Test(arguments: templateIDs)
    func programsHaveTwoToSixHookedStepsAndSubmitLast(id: String) throws {
        for instance in try Self.instances(try Self.template(id)) {
            #expect((2...6).contains(instance.steps.count))
            for (index, step) in instance.steps.enumerated() {
                #expect(!step.reasoning.isEmpty)
                let lines = step.code.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                let isLast = index == instance.steps.count - 1
                #expect(lines.contains { $0.hasPrefix("submit(") } == isLast, "\(id) step \(index + 1): submit only in the last step")
                if !isLast { #expect(step.code.contains("hook("), "\(id) step \(index + 1) hooks nothing") }
                // Every hook names the line that computed it, and that line is in the step.
                for line in lines where line.hasPrefix("hook(") {
                    let assignment = lines.first { line.contains(Python.literal($0)) && !$0.hasPrefix("hook(") }
                    #expect(assignment != nil, "\(id): hook not grounded in its step: \(line)")
                }
            }
        }
    }

    @Test func templatesWithPossibleTiesSubmitAlternatives() throws {
        let withAlternatives = Set(DescriptiveTemplates.all.filter { template in
            (try? Self.instances(template))?.contains { $0.alternatives != nil } ?? false
        }.map(\.id))
        #expect(withAlternatives == ["group_with_largest_mean", "top_groups_by_mean", "most_frequent_values", "strongest_correlated_pair"])
    }

    @Test(arguments: [
        ("center_and_spread", JSONValue.object([("column", .string("x"))])),
        ("center_and_spread", .object([("column", .string("x")), ("decimals", .int(2)), ("extra", .int(1))])),
        ("center_and_spread", .object([("column", .int(1)), ("decimals", .int(2))])),
        ("center_and_spread", .object([("column", .string("x")), ("decimals", .double(2.5))])),
        ("center_and_spread", .array([])),
        ("correlation_between", .object([("first_column", .string("x")), ("second_column", .string("x")), ("decimals", .int(4))])),
        ("count_above_threshold", .object([("column", .string("x")), ("threshold", .string("high"))])),
        ("strongest_correlated_pair", .object([("columns", .array([.string("x"), .string("y")])), ("decimals", .int(4))])),
        ("strongest_correlated_pair", .object([("columns", .array([.string("x"), .string("x"), .string("y")])), ("decimals", .int(4))])),
        ("z_score_outliers", .object([("column", .string("x")), ("cutoff", .double(-3)), ("decimals", .int(3))])),
        ("missing_values_by_column", .object([("column", .string("x"))])),
    ])
    func rejectsParametersItCannotUse(id: String, parameters: JSONValue) throws {
        let template = try Self.template(id)
        #expect(throws: TemplateError.self) { try template.instantiate(parameters) }
    }

    // MARK: Helpers

    static func strings(in value: JSONValue) -> Set<String> {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.reduce(into: Set<String>()) { $0.formUnion(strings(in: $1)) }
        case .object(let members): members.reduce(into: Set<String>()) { $0.formUnion(strings(in: $1.value)) }
        default: []
        }
    }

    static func decimals(in schema: AnswerSchema) -> Set<Int> {
        switch schema {
        case .number(let decimals): decimals.map { [$0] } ?? []
        case .integer, .string, .boolean: []
        case .list(let items, _): decimals(in: items)
        case .mapping(let values): decimals(in: values)
        case .object(let fields): fields.reduce(into: Set<Int>()) { $0.formUnion(decimals(in: $1.schema)) }
        }
    }
}

/// Hand-built profiles (the profiler's own tests cover how roles are assigned).
enum HandProfiles {
    static func measure(_ name: String, median: Double, q1: Double, q3: Double, std: Double = 1, missing: Int = 0) -> ColumnProfile {
        ColumnProfile(
            name: name, dtype: "float64", role: .measure, missing: missing, missingShare: Double(missing) / 100, unique: 80,
            numeric: NumericSummary(min: q1 - 10, max: q3 + 10, mean: median, std: std, median: median, q1: q1, q3: q3, integerValued: false),
            topValues: nil, dateRange: nil)
    }

    static func category(_ name: String, role: ColumnRole = .category, dtype: String = "str", labels: [String], missing: Int = 0) -> ColumnProfile {
        ColumnProfile(
            name: name, dtype: dtype, role: role, missing: missing, missingShare: Double(missing) / 100, unique: labels.count,
            numeric: nil, topValues: labels.enumerated().map { ValueCount(value: $0.element, count: 50 - $0.offset) }, dateRange: nil)
    }

    static func other(_ name: String, role: ColumnRole, dtype: String = "str", unique: Int = 100) -> ColumnProfile {
        ColumnProfile(name: name, dtype: dtype, role: role, missing: 0, missingShare: 0, unique: unique, numeric: nil, topValues: nil, dateRange: nil)
    }

    /// 100 rows: an identifier, a text column, a date, a four-valued region, a binary sex, a
    /// float-coded category, a constant, three usable measures (x with missing values), a
    /// measure with no spread, and a measure in the middle of the table after the categories.
    static let rich = TableProfile(rows: 100, columns: [
        other("row_id", role: .identifier, dtype: "int64"),
        other("name", role: .identifier),
        other("comment", role: .text),
        other("day", role: .date, unique: 100),
        measure("x", median: 12.345, q1: 5.5, q3: 20.5, missing: 3),
        category("region", labels: ["north", "south", "east", "west"]),
        category("sex", role: .binaryCategory, labels: ["m", "f"], missing: 2),
        category("code", dtype: "float64", labels: ["1", "2", "3"]),
        category("constant", labels: ["k"]),
        measure("y", median: 0.5, q1: 0.25, q3: 0.71234),
        measure("flat", median: 4, q1: 4, q3: 4, std: 0),
        measure("z", median: 1500, q1: 1200, q3: 1800),
    ])

    /// 50 rows, two measures, nothing missing, nothing to group by.
    static let numericOnly = TableProfile(rows: 50, columns: [
        measure("a", median: 1, q1: 0.5, q3: 2),
        measure("b", median: 10, q1: 5, q3: 20),
    ])

    /// Nothing to measure or group by.
    static let identifiersOnly = TableProfile(rows: 30, columns: [
        other("id", role: .identifier, dtype: "int64"),
        other("title", role: .text),
        other("when", role: .date, unique: 30),
    ])
}

extension TableProfile {
    /// A copy with one column's distinct count (and top values) changed.
    func replacing(_ name: String, unique: Int) -> TableProfile {
        var copy = self
        copy.columns = columns.map { column in
            guard column.name == name else { return column }
            var changed = column
            changed.unique = unique
            changed.topValues = column.topValues.map { Array($0.prefix(unique)) }
            return changed
        }
        return copy
    }
}
