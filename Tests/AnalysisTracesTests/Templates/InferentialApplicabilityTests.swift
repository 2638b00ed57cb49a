import Foundation
import Testing
@testable import AnalysisTraces

/// Where the inferential templates apply, which columns they choose, how their questions read,
/// and that instantiating from the recorded parameters rebuilds the same question.
@Suite struct InferentialApplicabilityTests {
    static func measure(_ name: String, missing: Int = 0, min: Double = 1, std: Double = 2) -> ColumnProfile {
        ColumnProfile(
            name: name, dtype: "float64", role: .measure, missing: missing, missingShare: Double(missing) / 100, unique: 80,
            numeric: NumericSummary(min: min, max: min + 10, mean: min + 5, std: std, median: min + 5, q1: min + 2, q3: min + 8, integerValued: false),
            topValues: nil, dateRange: nil)
    }

    static func category(_ name: String, _ counts: [(String, Int)], dtype: String = "str") -> ColumnProfile {
        ColumnProfile(
            name: name, dtype: dtype, role: counts.count == 2 ? .binaryCategory : .category, missing: 0, missingShare: 0,
            unique: counts.count, numeric: nil, topValues: counts.map { ValueCount(value: $0.0, count: $0.1) }, dateRange: nil)
    }

    static func other(_ name: String, _ role: ColumnRole) -> ColumnProfile {
        ColumnProfile(name: name, dtype: "str", role: role, missing: 0, missingShare: 0, unique: 100, numeric: nil,
                      topValues: [ValueCount(value: "x", count: 1)], dateRange: nil)
    }

    static func date(_ name: String, _ min: String, _ max: String) -> ColumnProfile {
        ColumnProfile(name: name, dtype: "str", role: .date, missing: 0, missingShare: 0, unique: 100, numeric: nil,
                      topValues: nil, dateRange: DateRange(min: min, max: max, parsedShare: 1))
    }

    /// Every role, with identifier and text columns placed first so a careless choice would pick them.
    static let rich = TableProfile(rows: 100, columns: [
        other("row_id", .identifier), other("comment", .text), date("when", "2019-01-03", "2022-03-10"),
        measure("height"), measure("weight"), measure("reach"), measure("score", min: -3),
        category("team", [("north", 40), ("south", 35), ("east", 25)]), category("sex", [("m", 51), ("f", 49)]),
        category("cohort", [("2019", 50), ("2020", 30), ("2021", 20)], dtype: "int64"),
    ])

    static let measuresOnly = TableProfile(rows: 50, columns: [other("name", .identifier), measure("a"), measure("b"), measure("c")])

    static func template(_ id: String) throws -> any QuestionTemplate {
        try #require(InferentialTemplates.all.first { $0.id == id })
    }

    /// The column names a parameter set mentions.
    static func columns(in parameters: JSONValue) -> [String] {
        guard case .object(let members) = parameters else { return [] }
        return members.flatMap { member -> [String] in
            guard member.key.hasSuffix("column") || ["measure", "filter_measure", "response", "predictor", "predictors"].contains(member.key) else { return [] }
            switch member.value {
            case .string(let name): return [name]
            case .array(let names): return names.compactMap { if case .string(let name) = $0 { name } else { nil } }
            default: return []
            }
        }
    }

    @Test func catalogHasAtLeastTwelveInferentialTemplatesWithUniqueIDs() {
        let ids = InferentialTemplates.all.map(\.id)
        #expect(ids.count >= 12)
        #expect(Set(ids).count == ids.count)
        #expect(Set(InferentialTemplates.all.map(\.category)).isSuperset(of: [.distribution, .twoGroups, .multiGroup, .regression, .time, .chain]))
    }

    @Test func everyTemplateAppliesToATableWithEveryRole() {
        for template in InferentialTemplates.all {
            #expect(!template.parameterSets(for: Self.rich).isEmpty, "\(template.id) does not apply")
        }
    }

    @Test func identifierTextAndUnknownColumnsAreNeverChosen() {
        let allowed = Set(Self.rich.columns.filter { ![.identifier, .text].contains($0.role) }.map(\.name))
        for template in InferentialTemplates.all {
            for parameters in template.parameterSets(for: Self.rich) {
                for name in Self.columns(in: parameters) {
                    #expect(allowed.contains(name), "\(template.id) chose \(name)")
                }
            }
        }
    }

    @Test func columnsPlayTheRoleTheirParameterNames() {
        for template in InferentialTemplates.all {
            for parameters in template.parameterSets(for: Self.rich) {
                guard case .object(let members) = parameters else { continue }
                for member in members {
                    guard case .string(let name) = member.value, let column = Self.rich[name] else { continue }
                    switch member.key {
                    case "measure", "filter_measure", "response", "predictor": #expect(column.role == .measure, "\(template.id).\(member.key) = \(name)")
                    case "group_column", "row_column", "column_column": #expect([.category, .binaryCategory].contains(column.role), "\(template.id).\(member.key) = \(name)")
                    case "date_column": #expect(column.role == .date)
                    default: break
                    }
                }
            }
        }
    }

    @Test func columnChoiceIsDeterministicAndFollowsTableOrder() throws {
        for template in InferentialTemplates.all {
            #expect(template.parameterSets(for: Self.rich) == template.parameterSets(for: Self.rich))
        }
        let welch = try Self.template("two_group_mean_test").parameterSets(for: Self.rich)
        // The binary category comes first; labels are typed and sorted.
        #expect(welch.first == .object([
            ("measure", .string("height")), ("group_column", .string("sex")),
            ("groups", .array([.string("f"), .string("m")])), ("alpha", .double(0.05)),
        ]))
        // Then the two most common values of the first other category.
        #expect(welch.contains { $0["group_column"] == .string("team") && $0["groups"] == .array([.string("north"), .string("south")]) })
    }

    @Test func integerCategoryLabelsStayIntegersInTheProgram() throws {
        let profile = TableProfile(rows: 100, columns: [Self.measure("height"), Self.rich["cohort"].map { $0 }].compactMap { $0 })
        let sets = try Self.template("two_group_mean_test").parameterSets(for: profile)
        let parameters = try #require(sets.first)
        #expect(parameters["groups"] == .array([.int(2019), .int(2020)]))
        let instance = try Self.template("two_group_mean_test").instantiate(parameters)
        #expect(instance.program.contains(".isin([2019, 2020])"))
    }

    @Test func templatesNeedingGroupsOrDatesDoNotApplyToMeasuresOnly() {
        let applicable = Set(InferentialTemplates.all.filter { !$0.parameterSets(for: Self.measuresOnly).isEmpty }.map(\.id))
        #expect(applicable == ["normality_test", "skewness_direction", "simple_linear_fit", "multiple_linear_fit"])
        for template in InferentialTemplates.all {
            for parameters in template.parameterSets(for: Self.measuresOnly) {
                #expect(!Self.columns(in: parameters).contains("name"))
            }
        }
    }

    @Test func nothingAppliesToATableOfIdentifiersAndText() {
        let profile = TableProfile(rows: 30, columns: [Self.other("id", .identifier), Self.other("notes", .text)])
        for template in InferentialTemplates.all { #expect(template.parameterSets(for: profile).isEmpty, "\(template.id)") }
    }

    @Test func dateTemplatesNeedEnoughYears() throws {
        let oneYear = TableProfile(rows: 100, columns: [Self.date("when", "2020-01-01", "2020-12-31"), Self.measure("level")])
        #expect(try Self.template("peak_period_mean").parameterSets(for: oneYear).isEmpty)
        #expect(try Self.template("largest_yearly_rise").parameterSets(for: oneYear).isEmpty)
        #expect(try Self.template("date_span").parameterSets(for: oneYear).count == 1)
        let twoYears = TableProfile(rows: 100, columns: [Self.date("when", "2020-01-01", "2021-12-31"), Self.measure("level")])
        #expect(try Self.template("peak_period_mean").parameterSets(for: twoYears).count == 2)
        #expect(try Self.template("largest_yearly_rise").parameterSets(for: twoYears).isEmpty)
        let timestamps = TableProfile(rows: 100, columns: [Self.date("when", "2020-01-01 10:00:00", "2023-01-01 00:00:00"), Self.measure("level")])
        #expect(try Self.template("date_span").parameterSets(for: timestamps).first?["format"] == .string("ISO8601"))
    }

    @Test func groupVariabilityNeedsAPositiveMeasure() throws {
        let profile = TableProfile(rows: 100, columns: [Self.measure("score", min: -3), Self.rich["team"]].compactMap { $0 })
        #expect(try Self.template("chain_group_variability").parameterSets(for: profile).isEmpty)
    }

    @Test func instantiatingFromTheRecordedParametersRebuildsTheSameQuestion() throws {
        for template in InferentialTemplates.all {
            for parameters in template.parameterSets(for: Self.rich) {
                let instance = try template.instantiate(parameters)
                #expect(instance.parameters == parameters)
                #expect(instance.templateID == template.id && instance.version == template.version)
                #expect(try template.instantiate(instance.parameters) == instance, "\(template.id)")
                #expect(instance.program.contains("submit("))
                #expect(instance.steps.allSatisfy { $0.code.contains("hook(") && !$0.reasoning.isEmpty }, "\(template.id)")
            }
        }
    }

    @Test func parametersInAnotherKeyOrderGiveTheSameInstance() throws {
        let template = try Self.template("normality_test")
        let instance = try template.instantiate(.object([("alpha", .double(0.05)), ("measure", .string("h"))]))
        #expect(instance == (try template.instantiate(.object([("measure", .string("h")), ("alpha", .double(0.05))]))))
        #expect(instance.parameters == .object([("measure", .string("h")), ("alpha", .double(0.05))]))
    }

    @Test func parametersRoundTripThroughJSONText() throws {
        for template in InferentialTemplates.all {
            for parameters in template.parameterSets(for: Self.rich) {
                let decoded = try JSONParser.parse(CanonicalJSON.string(parameters))
                #expect(try template.instantiate(decoded) == template.instantiate(parameters), "\(template.id)")
            }
        }
    }

    @Test func testQuestionsStateAlphaRoundingAndTheVariant() throws {
        for template in InferentialTemplates.all {
            for parameters in template.parameterSets(for: Self.rich) {
                let question = try template.instantiate(parameters).question
                if parameters["alpha"] != nil {
                    #expect(question.contains("alpha = 0.05"), "\(template.id)")
                    #expect(question.contains("p-value to 4 decimal places") || question.contains("p-value rounded to 4 decimal places"), "\(template.id)")
                }
                #expect(question.contains("decimal") || template.id == "date_span", "\(template.id) states no rounding")
            }
        }
        let welch = try Self.template("two_group_mean_test").instantiate(try #require(Self.template("two_group_mean_test").parameterSets(for: Self.rich).first))
        #expect(welch.question.contains("Welch") && welch.question.contains("two-sided") && welch.question.contains("unequal variances"))
        #expect(welch.program.contains("equal_var=False"))
        let chi = try Self.template("category_association_test").instantiate(try #require(Self.template("category_association_test").parameterSets(for: Self.rich).first))
        #expect(chi.question.contains("without any continuity correction") && chi.program.contains("correction=False"))
        let ols = try Self.template("multiple_linear_fit").instantiate(try #require(Self.template("multiple_linear_fit").parameterSets(for: Self.rich).first))
        #expect(ols.question.contains("with an intercept"))
    }

    @Test func answerKeysNeverNameAMethod() throws {
        let methods = ["welch", "ttest", "t_test", "anova", "chi", "shapiro", "mann", "whitney", "ols", "regression", "pearson", "fisher"]
        func keys(_ schema: AnswerSchema) -> [String] {
            switch schema {
            case .object(let fields): fields.flatMap { [$0.name] + keys($0.schema) }
            case .list(let items, _), .mapping(let items): keys(items)
            default: []
            }
        }
        for template in InferentialTemplates.all {
            for parameters in template.parameterSets(for: Self.rich) {
                for key in keys(try template.instantiate(parameters).outputSchema) {
                    #expect(!methods.contains { key.lowercased().contains($0) }, "\(template.id) key \(key)")
                }
            }
        }
    }

    @Test(arguments: [
        ("two_group_mean_test", JSONValue.object([("measure", .string("h"))])),
        ("normality_test", .object([("measure", .string("h")), ("alpha", .string("0.05"))])),
        ("normality_test", .object([("measure", .string("h")), ("alpha", .double(0.05)), ("extra", .int(1))])),
        ("category_association_test", .object([("row_column", .string("a")), ("column_column", .string("a")), ("alpha", .double(0.05))])),
        ("peak_period_mean", .object([("date_column", .string("d")), ("format", .string("%d/%m/%Y")), ("measure", .string("m")), ("period", .string("month"))])),
        ("multiple_linear_fit", .object([("response", .string("y")), ("predictors", .array([.string("y"), .string("x")])), ("decimals", .int(4))])),
        ("skewness_direction", .array([])),
    ])
    func malformedParametersAreRejectedWithTheTemplateID(id: String, parameters: JSONValue) throws {
        let error = try #require(throws: TemplateError.self) { try Self.template(id).instantiate(parameters) }
        #expect(error.templateID == id)
    }
}

extension InferentialApplicabilityTests {
    @Test func calendarPartsAreNotTreatedAsMeasures() throws {
        let profile = TableProfile(rows: 100, columns: [Self.measure("year"), Self.measure("Quarter"), Self.measure("gdp")])
        for template in InferentialTemplates.all {
            for parameters in template.parameterSets(for: profile) {
                #expect(Set(Self.columns(in: parameters)).isDisjoint(with: ["year", "Quarter"]), "\(template.id)")
            }
        }
        #expect(try Self.template("skewness_direction").parameterSets(for: profile) == [.object([("measure", .string("gdp"))])])
    }
}
