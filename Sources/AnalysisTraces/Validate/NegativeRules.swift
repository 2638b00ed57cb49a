/// The rules on flawed and self-correcting traces (see <doc:Negatives>), recomputed from what
/// the traces hold:
///
/// - `flawed`: a flawed trace follows every gold and consistency trace; its mistake is in the
///   catalogue at its recorded version; its mistaken step is a turn of the trace whose hooks
///   disagree with the gold trace's; and, when the question has ground truth, its answer matches
///   none of the accepted answers.
/// - `recovery`: a self-correcting trace's check is the turn after its mistaken step and its fix
///   the turn after that; the check ran without error and hooks a recomputed `check_<name>` that
///   disagrees with the mistaken step's `<name>`; and the fix's reasoning opens with exactly the
///   claim ``SelfCorrection/fixClaim(mistaken:check:step:mistake:)`` makes from those executed
///   hooks, so it claims nothing the check's output does not show.
/// - both: the step labels that `convert` derives from the hooks (``StepLabeler``) are the ones
///   the recorded mistake implies: every step before the mistaken one is good and the mistaken
///   step is the first bad one; in a self-correcting trace the check, the fix and every later
///   step are good again.
enum NegativeRules {
    typealias Problem = RecordRules.Problem

    static func check(_ episode: Episode) -> [Problem] {
        var problems: [Problem] = []
        var seenNegative = false
        let gold = episode.traces.first { $0.role == .gold }
        var reference: [String: Hook] = [:]
        for turn in gold?.turns ?? [] {
            for hook in turn.hooks where hook.grounded { reference[hook.name] = hook }
        }
        let labeler = StepLabeler(episode: episode, outcome: EpisodeOutcome(episode: episode))
        for (t, trace) in episode.traces.enumerated() {
            if trace.role.isAttempt {
                if seenNegative {
                    problems.append((ValidationRule.flawed.rawValue, "'traces[\(t)]' is a \(trace.role.rawValue) trace after a flawed or self-correcting one; those follow every gold and consistency trace"))
                }
                continue
            }
            seenNegative = true
            guard let record = trace.mistake else { continue }  // decoding requires it
            let rule = trace.role == .flawed ? ValidationRule.flawed.rawValue : ValidationRule.recovery.rawValue
            guard let mistake = MistakeCatalog.mistake(id: record.id) else {
                problems.append((rule, "'traces[\(t)].mistake.id' is '\(record.id)', which is not in the mistake catalogue"))
                continue
            }
            if mistake.version != record.version {
                problems.append((rule, "'traces[\(t)].mistake.version' is '\(record.version)'; the catalogue's '\(mistake.id)' is at version '\(mistake.version)'"))
            }
            guard trace.turns.indices.contains(record.step) else {
                problems.append((rule, "'traces[\(t)].mistake.step' is \(record.step), but the trace has \(trace.turns.count) turns"))
                continue
            }
            let mistaken = trace.turns[record.step]
            let changed = mistaken.hooks.contains { hook in
                hook.grounded && reference[hook.name].map { !StepLabeler.hooksAgree(hook, $0) } == true
            }
            if !changed {
                problems.append((rule, "the mistaken step 'traces[\(t)].turns[\(record.step)]' hooks no value that differs from the gold trace's; a mistake that changes nothing is not one"))
            }
            problems += labelProblems(trace, t, record: record, rule: rule, labeler: labeler)
            switch trace.role {
            case .flawed:
                problems += flawedProblems(trace, t, record: record, question: episode.question)
            case .selfCorrecting:
                problems += recoveryProblems(trace, t, record: record, mistake: mistake, mistaken: mistaken)
            case .gold, .consistency:
                break
            }
        }
        return problems
    }

    /// The hook-derived labels against the recorded mistake: good before the mistaken step, bad
    /// at it, and (self-correcting traces) good from the check on.
    static func labelProblems(_ trace: Trace, _ t: Int, record: TraceMistake, rule: String, labeler: StepLabeler) -> [Problem] {
        let bad = trace.turns.indices.filter { index in
            !trace.turns[index].code.isEmpty && !labeler.label(trace.turns[index], trace: t).good
        }
        let consistent = trace.role == .selfCorrecting ? bad == [record.step] : bad.first == record.step
        if consistent { return [] }
        let found = bad.map(String.init).joined(separator: ", ")
        let after = trace.role == .selfCorrecting ? ", and every step from the check on must be good" : ""
        return [(rule, "the hooks of 'traces[\(t)]' label turns [\(found)] bad, but its mistake is recorded at turn \(record.step); the first bad step must be the mistaken one\(after)")]
    }

    static func flawedProblems(_ trace: Trace, _ t: Int, record: TraceMistake, question: Question) -> [Problem] {
        let rule = ValidationRule.flawed.rawValue
        var problems: [Problem] = []
        if record.checkStep != nil || record.fixStep != nil {
            problems.append((rule, "'traces[\(t)].mistake' of a flawed trace has a check or fix step; only self-correcting traces have them"))
        }
        if let truth = question.groundTruth, let answer = trace.answer,
           case .matches(let index) = GroundTruthVerifier().check(answer.value, against: truth, schema: question.outputSchema) {
            problems.append((rule, "the answer of the flawed trace 'traces[\(t)]' matches accepted answer \(index + 1) of \(GroundTruthVerifier.accepted(truth).count); a flawed trace must end wrong"))
        }
        return problems
    }

    static func recoveryProblems(_ trace: Trace, _ t: Int, record: TraceMistake, mistake: Mistake, mistaken: Turn) -> [Problem] {
        let rule = ValidationRule.recovery.rawValue
        guard let checkStep = record.checkStep, let fixStep = record.fixStep,
              checkStep == record.step + 1, fixStep == record.step + 2 else {
            return [(rule, "'traces[\(t)].mistake' must name the check as the turn after the mistaken step (\(record.step + 1)) and the fix as the one after it (\(record.step + 2)); found check \(record.checkStep.map(String.init) ?? "null"), fix \(record.fixStep.map(String.init) ?? "null")")]
        }
        guard trace.turns.indices.contains(fixStep) else {
            return [(rule, "the self-correcting trace 'traces[\(t)]' claims a check at turn \(checkStep) and a fix at turn \(fixStep), but has \(trace.turns.count) turns")]
        }
        let check = trace.turns[checkStep]
        guard check.execution.succeeded else {
            return [(rule, "the check 'traces[\(t)].turns[\(checkStep)]' did not run to the end (\(check.execution.error?.kind ?? "timeout")); a trace cannot claim what it did not see")]
        }
        guard let claim = SelfCorrection.fixClaim(mistaken: mistaken, check: check, step: record.step, mistake: mistake) else {
            return [(rule, "the check 'traces[\(t)].turns[\(checkStep)]' hooks no recomputed value that differs from the mistaken step's; it reveals nothing")]
        }
        let reasoning = trace.turns[fixStep].reasoning
        guard reasoning.hasPrefix(claim) else {
            return [(rule, "the fix 'traces[\(t)].turns[\(fixStep)]' does not claim what the check's executed output shows; \(TextDifference.describe(expected: claim, found: String(reasoning.prefix(claim.count + 40))))")]
        }
        return []
    }
}
