/// Labels the steps of a trace for process supervision (the `prm` format).
///
/// A step is one turn that ran code. Its checks are:
/// - each grounded hook of the step whose name the reference trace also hooked (grounded): the
///   values agree (see ``valuesAgree(_:_:)``); a trace compared with itself always agrees;
/// - when the step submitted an answer: the answer is right.
///
/// The step's score is the share of its checks that pass (1.0 when it has none) and 0.0 when
/// its code failed (an exception, a time-out or a lost worker); the step is good (label true)
/// when its code ran and every check passes. Hooks named differently from the reference's are
/// not evidence either way; hooks that are not grounded do not count.
public struct StepLabeler: Sendable {
    /// One step's verdict.
    public struct Label: Sendable, Equatable {
        public var good: Bool
        public var score: Double
        /// Checks made and checks passed (hook comparisons plus the submission).
        public var checks: Int
        public var passed: Int
    }

    let episode: Episode
    let outcome: EpisodeOutcome
    /// Reference hook values by name (the last grounded hook of each name in the reference trace).
    let referenceHooks: [String: Hook]

    public init(episode: Episode, outcome: EpisodeOutcome) {
        self.episode = episode
        self.outcome = outcome
        var hooks: [String: Hook] = [:]
        if let reference = outcome.reference {
            for turn in episode.traces[reference].turns {
                for hook in turn.hooks where hook.grounded { hooks[hook.name] = hook }
            }
        }
        referenceHooks = hooks
    }

    /// The label of `turn`, a turn of trace `traceIndex`.
    public func label(_ turn: Turn, trace traceIndex: Int) -> Label {
        var checks = 0
        var passed = 0
        let isReference = traceIndex == outcome.reference
        for hook in turn.hooks where hook.grounded {
            guard let expected = referenceHooks[hook.name] else { continue }
            checks += 1
            if isReference || Self.hooksAgree(hook, expected) { passed += 1 }
        }
        if let submission = turn.submission {
            checks += 1
            if outcome.isRight(submission.value, schema: episode.question.outputSchema) { passed += 1 }
        }
        guard turn.execution.succeeded else {
            return Label(good: false, score: 0, checks: checks, passed: passed)
        }
        let score = checks == 0 ? 1 : Double(passed) / Double(checks)
        return Label(good: passed == checks, score: score, checks: checks, passed: passed)
    }

    /// Two hooks agree when their values do; a summarised value (a bounded summary of a large
    /// one) is compared by the hash of the full value.
    public static func hooksAgree(_ a: Hook, _ b: Hook) -> Bool {
        if a.valueSummarized || b.valueSummarized { return a.valueSHA256 == b.valueSHA256 }
        return valuesAgree(a.value, b.value)
    }

    /// The matcher's rules without a schema: numbers (integers and doubles alike) to the
    /// matcher's relative tolerance for unrounded numbers, strings after its text normalisation,
    /// arrays in order, objects with the same keys and agreeing values, the rest exactly.
    public static func valuesAgree(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if a == b { return true }
        switch (a, b) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            guard let x = number(a), let y = number(b) else { return false }
            return AnswerMatcher.numbersMatch(x, y, decimals: nil)
        case (.string(let x), .string(let y)):
            return AnswerMatcher.normalizedText(x) == AnswerMatcher.normalizedText(y)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { valuesAgree($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            let others = Dictionary(y.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            return x.allSatisfy { member in others[member.key].map { valuesAgree(member.value, $0) } ?? false }
        default:
            return false
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let integer): Double(integer)
        case .double(let double): double
        default: nil
        }
    }
}
