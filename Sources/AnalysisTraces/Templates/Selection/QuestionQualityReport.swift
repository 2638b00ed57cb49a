/// What a question set is made of, for `question-gen`'s run log and summary line: counts per
/// template and per column, the columns no question uses and why, the candidates each rule left
/// out, and how many answers are degenerate.
public struct QuestionQualityReport: Sendable, Equatable {
    public var questions = 0
    public var perTemplate: [String: Int] = [:]
    public var perColumn: [String: Int] = [:]
    /// Every profile column no question names, with the reason (its role's reason, or why a
    /// usable column was not drawn), in table order.
    public var unusedColumns: [(name: String, reason: String)] = []
    public var dropped: [QuestionSelection.Drop] = []
    /// Questions with each kind of degenerate answer (``DegenerateAnswer``), and with any.
    public var degenerate: [String: Int] = [:]
    public var degenerateQuestions = 0

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.questions == rhs.questions && lhs.perTemplate == rhs.perTemplate && lhs.perColumn == rhs.perColumn
            && lhs.unusedColumns.map(\.name) == rhs.unusedColumns.map(\.name) && lhs.unusedColumns.map(\.reason) == rhs.unusedColumns.map(\.reason)
            && lhs.dropped == rhs.dropped && lhs.degenerate == rhs.degenerate && lhs.degenerateQuestions == rhs.degenerateQuestions
    }

    public init() {}

    /// The report of `written` (instance and answer) chosen from `profile`, with the drops of the selection.
    public init(profile: TableProfile, written: [(instance: TemplateInstance, answer: JSONValue)], dropped: [QuestionSelection.Drop]) {
        let names = Set(profile.columns.map(\.name))
        questions = written.count
        self.dropped = dropped
        var answersByTemplate: [String: [String: Int]] = [:]
        var degenerateIndices = Set<Int>()
        for (index, item) in written.enumerated() {
            perTemplate[item.instance.templateID, default: 0] += 1
            for column in QuestionSelection.columns(in: item.instance.parameters, names: names) {
                perColumn[column, default: 0] += 1
            }
            if let kind = DegenerateAnswer.kind(item.answer) {
                degenerate[kind, default: 0] += 1
                degenerateIndices.insert(index)
            }
            answersByTemplate[item.instance.templateID, default: [:]][CanonicalJSON.string(item.answer), default: 0] += 1
        }
        // An answer shared by more than half the questions of a template (of at least 3).
        for (index, item) in written.enumerated() {
            let template = item.instance.templateID
            let count = perTemplate[template] ?? 0
            let same = answersByTemplate[template]?[CanonicalJSON.string(item.answer)] ?? 0
            if count >= 3 && same * 2 > count {
                degenerate[DegenerateAnswer.shared, default: 0] += 1
                degenerateIndices.insert(index)
            }
        }
        degenerateQuestions = degenerateIndices.count
        let usable = Set(QuestionSelection.usableMeasures(profile))
        for column in profile.columns where perColumn[column.name] == nil {
            let reason: String = switch column.role {
            case .measure where usable.contains(column.name): "measure not drawn within the question cap"
            case .measure: "measure with too few values or no spread"
            case .category, .binaryCategory: "\(column.reason); no grouping question drew it"
            case .date: "date column; no time question drew it"
            default: column.reason
            }
            unusedColumns.append((column.name, "\(column.role.rawValue): \(reason)"))
        }
    }

    /// Share of questions with a degenerate answer (0 for an empty set).
    public var degenerateShare: Double { questions == 0 ? 0 : Double(degenerateQuestions) / Double(questions) }

    /// Run-log counters: `template.<id>`, `column.<name>`, `dropped.<rule>`, `degenerate.<kind>`.
    public var counters: [String: Int] {
        var out: [String: Int] = ["degenerate": degenerateQuestions, "unused_columns": unusedColumns.count]
        for (key, value) in perTemplate { out["template.\(key)"] = value }
        for (key, value) in perColumn { out["column.\(key)"] = value }
        for (key, value) in degenerate { out["degenerate.\(key)"] = value }
        for rule in QuestionSelection.Drop.Rule.allCases {
            out["dropped.\(rule.rawValue)"] = dropped.filter { $0.rule == rule }.count
        }
        return out
    }

    /// Run-log items: one per unused column and one per dropped candidate, with the reason.
    public var items: [RunLogItem] {
        unusedColumns.map { RunLogItem(id: "column \($0.name)", outcome: "unused: \($0.reason)", seconds: 0, breakdown: [:]) }
            + dropped.map { RunLogItem(id: $0.label, outcome: "dropped_\($0.rule.rawValue): \($0.reason)", seconds: 0, breakdown: [:]) }
    }

    /// The summary line's part: `unused 2, dropped derivable 5 parameters 1 validity 2 degenerate 0, degenerate 1/40`.
    public var line: String {
        let drops = QuestionSelection.Drop.Rule.allCases.map { rule in "\(rule.rawValue) \(dropped.filter { $0.rule == rule }.count)" }
        return "columns used \(perColumn.count), unused \(unusedColumns.count); dropped \(drops.joined(separator: " ")); degenerate \(degenerateQuestions)/\(questions)"
    }
}

/// Answers that say nothing: a count or value of 0, or a p-value below 1e-4 reported without an
/// effect size (the test only says "the groups differ", which the data shows at a glance).
public enum DegenerateAnswer {
    public static let zero = "zero"
    public static let tinyPValue = "p_below_1e-4"
    public static let shared = "shared_by_most_of_template"
    /// Keys that report an effect size next to a p-value.
    public static let effectKeys: Set<String> = ["effect_size", "cohens_d", "eta_squared", "cramers_v", "rank_biserial", "difference"]

    /// The kind of degeneracy of one answer, or nil.
    public static func kind(_ answer: JSONValue) -> String? {
        switch answer {
        case .int(let value): return value == 0 ? zero : nil
        case .double(let value): return value == 0 ? zero : nil
        case .object(let members):
            if let count = members.first(where: { $0.key == "count" })?.value, isZero(count) { return zero }
            if let p = members.first(where: { $0.key == "p_value" })?.value, number(p).map({ $0 < 1e-4 }) == true,
               !members.contains(where: { effectKeys.contains($0.key) }) {
                return tinyPValue
            }
            let numbers = members.compactMap { number($0.value) }
            if !numbers.isEmpty, numbers.count == members.count, numbers.allSatisfy({ $0 == 0 }) { return zero }
            return nil
        default: return nil
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }

    static func isZero(_ value: JSONValue) -> Bool { number(value) == 0 }
}
