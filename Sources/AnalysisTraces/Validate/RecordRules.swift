/// Rules a record must satisfy beyond decoding: the contract's invariants that a type cannot
/// express. Each problem is a rule name and a message (expected vs found).
enum RecordRules {
    typealias Problem = (rule: String, message: String)

    static func check(_ question: Question, at path: String = "") -> [Problem] {
        var problems: [Problem] = []
        if question.schemaVersion != Question.currentSchemaVersion {
            problems.append(("version", "'\(path)schema_version' is \(question.schemaVersion); this tool reads version \(Question.currentSchemaVersion)"))
        }
        let expectedID = question.contentAddress
        if question.id != expectedID {
            problems.append(("id", "'\(path)id' does not match the question's content; expected '\(expectedID)', found '\(question.id)'"))
        }
        if question.expectedSteps < 1 {
            problems.append(("schema", "'\(path)expected_steps' must be at least 1; found \(question.expectedSteps)"))
        }
        if question.question.trimmingWhitespace().isEmpty {
            problems.append(("schema", "'\(path)question' must not be empty"))
        }
        if let truth = question.groundTruth {
            problems += hashProblems(truth.value, truth.sha256, "\(path)ground_truth")
            if truth.accepted.isEmpty {
                problems.append(("schema", "'\(path)ground_truth.accepted' must list at least the reference answer; found an empty list"))
            } else if truth.accepted[0].value != truth.value {
                problems.append(("schema", "'\(path)ground_truth.accepted[0]' must be the reference answer 'ground_truth.value'"))
            }
            for (index, answer) in truth.accepted.enumerated() {
                problems += hashProblems(answer.value, answer.sha256, "\(path)ground_truth.accepted[\(index)]")
            }
        }
        return problems
    }

    static func check(_ episode: Episode) -> [Problem] {
        var problems: [Problem] = []
        if episode.schemaVersion != Episode.currentSchemaVersion {
            problems.append(("version", "'schema_version' is \(episode.schemaVersion); this tool reads version \(Episode.currentSchemaVersion)"))
        }
        problems += check(episode.question, at: "question.")
        let expectedID = episode.contentAddress
        if episode.id != expectedID {
            problems.append(("id", "'id' does not match the episode's question and producer; expected '\(expectedID)', found '\(episode.id)'"))
        }
        if episode.traces.isEmpty {
            problems.append(("schema", "'traces' must hold at least the gold trace; found an empty list"))
        } else if episode.traces[0].role != .gold {
            problems.append(("schema", "'traces[0].role' must be 'gold'; found '\(episode.traces[0].role.rawValue)'"))
        }
        for (t, trace) in episode.traces.enumerated() {
            if t > 0 && trace.role == .gold {
                problems.append(("schema", "'traces[\(t)].role' is 'gold'; only the first trace is the gold trace"))
            }
            if let answer = trace.answer {
                problems += hashProblems(answer.value, answer.sha256, "traces[\(t)].answer")
            }
            for (i, turn) in trace.turns.enumerated() {
                if let submission = turn.submission {
                    problems += hashProblems(submission.value, submission.sha256, "traces[\(t)].turns[\(i)].submission")
                }
                for (h, hook) in turn.hooks.enumerated() where !hook.valueSummarized {
                    let actual = CanonicalJSON.sha256(hook.value)
                    if actual != hook.valueSHA256 {
                        problems.append(("hash", "'traces[\(t)].turns[\(i)].hooks[\(h)].value_sha256' does not match the value; expected '\(actual)', found '\(hook.valueSHA256)'"))
                    }
                }
            }
        }
        for (v, group) in episode.verification.votes.enumerated() {
            problems += hashProblems(group.answer.value, group.answer.sha256, "verification.votes[\(v)].answer")
            for index in group.traces where !episode.traces.indices.contains(index) {
                problems.append(("schema", "'verification.votes[\(v)].traces' names trace \(index); the episode has \(episode.traces.count) traces"))
            }
        }
        return problems
    }

    private static func hashProblems(_ value: JSONValue, _ recorded: String, _ path: String) -> [Problem] {
        let actual = CanonicalJSON.sha256(value)
        guard actual != recorded else { return [] }
        return [("hash", "'\(path).sha256' does not match the canonical hash of the value; expected '\(actual)', found '\(recorded)'")]
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
