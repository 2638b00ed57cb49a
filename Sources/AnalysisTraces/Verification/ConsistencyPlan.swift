import Foundation

/// How many consistency traces (independent attempts without the hint) an LLM question gets
/// besides its gold trace, by difficulty (see <doc:Verification>): harder questions get more votes.
///
/// The defaults are easy 2, medium 2, hard 4, very hard 6. Written and parsed as
/// `easy=2,medium=2,hard=4,very_hard=6` (the `--consistency` flag); a text that names only some
/// difficulties keeps the defaults for the others. Each count is between 1 and ``maximum``: with
/// no consistency trace an episode could never reach a quorum.
public struct ConsistencyPlan: Sendable, Equatable, CustomStringConvertible {
    /// The most consistency traces one question may get.
    public static let maximum = 32
    public static let `default` = ConsistencyPlan(easy: 2, medium: 2, hard: 4, veryHard: 6)

    public var easy: Int
    public var medium: Int
    public var hard: Int
    public var veryHard: Int

    public init(easy: Int, medium: Int, hard: Int, veryHard: Int) {
        self.easy = easy
        self.medium = medium
        self.hard = hard
        self.veryHard = veryHard
    }

    /// Parses `easy=2,medium=2,hard=4,very_hard=6` (any subset, any order; white space around
    /// items is ignored), starting from ``default``.
    public init(parsing text: String) throws(ConsistencyPlanError) {
        self = .default
        var seen = Set<Question.Difficulty>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .malformedItem(String(trimmed)) }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            guard let difficulty = Question.Difficulty(rawValue: key) else { throw .unknownDifficulty(key) }
            guard seen.insert(difficulty).inserted else { throw .repeated(key) }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            guard let count = Int(value), (1...Self.maximum).contains(count) else {
                throw .badCount(difficulty: key, found: value)
            }
            self[difficulty] = count
        }
    }

    /// Consistency traces for a question of `difficulty`.
    public subscript(difficulty: Question.Difficulty) -> Int {
        get {
            switch difficulty {
            case .easy: easy
            case .medium: medium
            case .hard: hard
            case .veryHard: veryHard
            }
        }
        set {
            switch difficulty {
            case .easy: easy = newValue
            case .medium: medium = newValue
            case .hard: hard = newValue
            case .veryHard: veryHard = newValue
            }
        }
    }

    /// `easy=2,medium=2,hard=4,very_hard=6`: every difficulty, in order.
    public var description: String {
        Question.Difficulty.allCases.map { "\($0.rawValue)=\(self[$0])" }.joined(separator: ",")
    }
}

/// A `--consistency` text that cannot be used; says what was expected.
public enum ConsistencyPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedItem(String)
    case unknownDifficulty(String)
    case repeated(String)
    case badCount(difficulty: String, found: String)

    public var description: String {
        let expected = "expected items like 'easy=2,medium=2,hard=4,very_hard=6'"
        return switch self {
        case .malformedItem(let item):
            "'\(item)' is not 'difficulty=count'; \(expected)"
        case .unknownDifficulty(let name):
            "'\(name)' is not a difficulty; expected one of \(Question.Difficulty.allCases.map(\.rawValue).joined(separator: ", "))"
        case .repeated(let name):
            "'\(name)' is given twice"
        case .badCount(let difficulty, let found):
            "the count for '\(difficulty)' must be a whole number from 1 to \(ConsistencyPlan.maximum); found '\(found)'"
        }
    }
}
