/// Decides which proposals become questions. Rules, applied in this order to each proposal;
/// the first that fails is the recorded reason:
///
/// 1. **Shape** (``ProposalRejection/Reason/malformed(_:)``): see ``QuestionProposal/init(json:)``.
/// 2. **Duplicate** (``ProposalRejection/Reason/duplicate(of:template:)``): the question's
///    ``TextComparison/normalized(_:)`` form equals that of a template question of this run or of a
///    proposal accepted before it (in this reply or an earlier one).
/// 3. **Hint leak** (``ProposalRejection/Reason/hintLeak(_:)``): see ``hintLeak(question:hint:)``.
/// 4. **Discovery leak** (``ProposalRejection/Reason/discoveryLeak(columns:)``): see
///    ``discoveryLeak(_:columns:)``.
///
/// An accepted proposal is remembered, so a later duplicate of it is rejected.
public struct ProposalValidator: Sendable {
    /// A hint with at least this many distinct content words leaks when at least
    /// ``overlapThreshold`` of them appear in the question.
    public static let overlapMinimumWords = 3
    public static let overlapThreshold = 0.8

    /// Words left out of the overlap measure: they say nothing about a hint's content.
    public static let stopWords: Set<String> = [
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
        "is", "are", "was", "were", "be", "it", "its", "this", "that", "these", "those", "each",
        "as", "than", "then", "which", "what", "how", "many", "much", "do", "does", "use", "using",
        "s", "into", "per", "all", "any", "there", "their",
    ]

    /// Nouns that, after `which` or `what`, make a question ask for a column.
    public static let columnNouns: Set<String> = [
        "column", "columns", "variable", "variables", "feature", "features", "field", "fields",
        "attribute", "attributes", "predictor", "predictors",
    ]

    public let columns: [String]
    private var seen: [String: (text: String, template: Bool)] = [:]

    /// - Parameters:
    ///   - columns: the table's column names, for the discovery rule.
    ///   - templateQuestions: the run's template question texts, for the duplicate rule.
    public init(columns: [String], templateQuestions: [String]) {
        self.columns = columns
        for text in templateQuestions {
            let key = TextComparison.normalized(text)
            if seen[key] == nil { seen[key] = (text, true) }
        }
    }

    /// Checks one element of a proposals array; an accepted proposal is remembered for the
    /// duplicate rule.
    public mutating func review(_ value: JSONValue) -> Result<QuestionProposal, ProposalRejection.Reason> {
        let proposal: QuestionProposal
        do {
            proposal = try QuestionProposal(json: value)
        } catch {
            return .failure(.malformed(error.description))
        }
        let key = TextComparison.normalized(proposal.question)
        if let earlier = seen[key] {
            return .failure(.duplicate(of: earlier.text, template: earlier.template))
        }
        if let detail = Self.hintLeak(question: proposal.question, hint: proposal.hint) {
            return .failure(.hintLeak(detail))
        }
        if let named = Self.discoveryLeak(proposal, columns: columns) {
            return .failure(.discoveryLeak(columns: named))
        }
        seen[key] = (proposal.question, false)
        return .success(proposal)
    }

    /// Whether the hint's content appears in the question, and how; nil when it does not.
    ///
    /// In normalised words (``TextComparison/tokens(_:)``), the hint leaks when either
    /// - all of its words occur in the question as one consecutive run (the hint is contained in
    ///   the question), or
    /// - it has at least ``overlapMinimumWords`` distinct content words (words not in
    ///   ``stopWords``) and at least ``overlapThreshold`` of them occur anywhere in the question.
    public static func hintLeak(question: String, hint: String) -> String? {
        let questionTokens = TextComparison.tokens(question)
        let hintTokens = TextComparison.tokens(hint)
        if TextComparison.contains(questionTokens, phrase: hintTokens) {
            return "the whole hint appears in the question"
        }
        var content: [String] = []
        for token in hintTokens where !stopWords.contains(token) && !content.contains(token) {
            content.append(token)
        }
        guard content.count >= overlapMinimumWords else { return nil }
        let inQuestion = Set(questionTokens)
        let shared = content.filter { inQuestion.contains($0) }
        let share = Double(shared.count) / Double(content.count)
        guard share >= overlapThreshold else { return nil }
        return "\(shared.count) of the hint's \(content.count) content words appear in the question (\(Int((share * 100).rounded()))%, at least \(Int(overlapThreshold * 100))% leaks)"
    }

    /// Whether a proposal asks for a column's name: its question has `which` or `what` directly
    /// followed by one of ``columnNouns`` (in normalised words: "Which variable …", "what
    /// features …"), or its output schema has an object field whose name, in normalised words,
    /// contains one of those nouns (`{"column": …}`, `"best_feature"`).
    public static func isDiscovery(_ proposal: QuestionProposal) -> Bool {
        let tokens = TextComparison.tokens(proposal.question)
        for (word, next) in zip(tokens, tokens.dropFirst()) where (word == "which" || word == "what") && columnNouns.contains(next) {
            return true
        }
        return schemaNamesColumn(proposal.outputSchema)
    }

    private static func schemaNamesColumn(_ schema: AnswerSchema) -> Bool {
        switch schema {
        case .number, .integer, .string, .boolean: false
        case .list(let items, _): schemaNamesColumn(items)
        case .mapping(let values): schemaNamesColumn(values)
        case .object(let fields):
            fields.contains { field in
                TextComparison.tokens(field.name).contains(where: columnNouns.contains) || schemaNamesColumn(field.schema)
            }
        }
    }

    /// The table's columns a text names: those whose normalised name occurs in the text's
    /// normalised words as a consecutive run, leaving out a column whose name is only part of
    /// another named column's name (`mass` when `body_mass_g` is named). In table order.
    public static func columnsNamed(in text: String, columns: [String]) -> [String] {
        let tokens = TextComparison.tokens(text)
        let named = columns.map { ($0, TextComparison.tokens($0)) }.filter { TextComparison.contains(tokens, phrase: $0.1) }
        return named.filter { column in
            !named.contains { other in
                other.1.count > column.1.count && TextComparison.contains(other.1, phrase: column.1)
            }
        }.map(\.0)
    }

    /// For a discovery question (``isDiscovery(_:)``): the columns its hint points to — the
    /// columns the hint names (``columnsNamed(in:columns:)``) — when there is at least one and
    /// the question names every one of them, so that whichever of them is the answer, the
    /// question gives it away. Nil when the proposal is not a discovery question, its hint names
    /// no column, or at least one of the hint's columns is not named in the question.
    public static func discoveryLeak(_ proposal: QuestionProposal, columns: [String]) -> [String]? {
        guard isDiscovery(proposal) else { return nil }
        let pointed = columnsNamed(in: proposal.hint, columns: columns)
        guard !pointed.isEmpty else { return nil }
        let inQuestion = Set(columnsNamed(in: proposal.question, columns: columns))
        return pointed.allSatisfy(inQuestion.contains) ? pointed : nil
    }
}
