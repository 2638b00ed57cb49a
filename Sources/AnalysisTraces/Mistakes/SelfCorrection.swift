import Foundation

/// The two steps a self-correcting trace adds after its mistaken step: a check that recomputes
/// the step's values by the question's method into `check_` variables and prints both, and the
/// fix, which says what the check's executed output showed and redoes the step.
public enum SelfCorrection {
    /// The name a check gives the recomputed value of `name`.
    public static func checkName(_ name: String) -> String { "check_" + name }

    /// The names a step's code assigns at the start of a line (`name = ...`), in order.
    static func assignedNames(_ code: String) -> [String] {
        var names: [String] = []
        for line in code.components(separatedBy: "\n") {
            let body = line.drop { $0 == " " }
            guard let equals = body.range(of: " = ") else { continue }
            let target = String(body[..<equals.lowerBound])
            guard let first = target.first, first.isLetter || first == "_",
                  target.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !names.contains(target) else { continue }
            names.append(target)
        }
        return names
    }

    /// The names a step hooks (`hook(name, ...)`), in order.
    static func hookedNames(_ code: String) -> [String] {
        var names: [String] = []
        for line in code.components(separatedBy: "\n") {
            let body = line.drop { $0 == " " }
            guard body.hasPrefix("hook("), let comma = body.firstIndex(of: ",") else { continue }
            let name = String(body[body.index(body.startIndex, offsetBy: 5)..<comma])
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The check step after mistaken step `step` (0-based) whose original is `original`: the
    /// original code with every name it assigns renamed `check_<name>` (its hooks too, so they
    /// stay grounded and are not taken for the step's own), its prints and submissions left
    /// out, then one line per hooked value printing what the step gave and the recomputation.
    /// Nil when the step hooks nothing a check could compare.
    public static func checkStep(after step: Int, original: ProgramStep) -> ProgramStep? {
        let hooked = hookedNames(original.code)
        let assigned = assignedNames(original.code)
        let compared = hooked.filter(assigned.contains)
        guard !compared.isEmpty else { return nil }
        var lines: [String] = []
        for line in original.code.components(separatedBy: "\n") {
            let body = line.drop { $0 == " " }
            if body.hasPrefix("print(") || body.hasPrefix("submit(") { continue }
            // Descriptions are prose: a name in them is not the variable.
            if let marker = line.range(of: ", description=") {
                lines.append(rename(String(line[..<marker.lowerBound]), names: assigned) + line[marker.lowerBound...])
            } else {
                lines.append(rename(line, names: assigned))
            }
        }
        for name in compared {
            lines.append("print(\(Python.literal("\(name) as step \(step + 1) gave it:")), \(name), sep=\"\\n\")")
            lines.append("print(\(Python.literal("\(name) recomputed:")), \(checkName(name)), sep=\"\\n\")")
        }
        let list = compared.map { "`\($0)`" }.joined(separator: ", ")
        let reasoning = "Before going on, we check step \(step + 1): we recompute \(list) from scratch, following the question's instructions to the letter, and print both versions side by side."
        return ProgramStep(reasoning: reasoning, code: lines.joined(separator: "\n"))
    }

    /// `line` with each of `names` (not after a dot: attributes keep their names) renamed.
    static func rename(_ line: String, names: [String]) -> String {
        var out = line
        for name in names {
            let pattern = #"(?<![.\w])"# + NSRegularExpression.escapedPattern(for: name) + #"\b"#
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            out = expression.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: checkName(name))
        }
        return out
    }

    /// The reasoning of the fix step: what the check's executed hooks show against the mistaken
    /// step's, and the mistake's correction. Nil when the check shows no difference (then there
    /// is nothing the trace may claim).
    public static func fixReasoning(mistaken: Turn, check: Turn, step: Int, mistake: Mistake, original: ProgramStep) -> String? {
        fixClaim(mistaken: mistaken, check: check, step: step, mistake: mistake).map { $0 + "\n\n" + original.reasoning }
    }

    /// The first paragraph of the fix step's reasoning: the differences the check's executed
    /// hooks show, and the correction; nil when they show none.
    public static func fixClaim(mistaken: Turn, check: Turn, step: Int, mistake: Mistake) -> String? {
        var differences: [String] = []
        for hook in mistaken.hooks where hook.grounded {
            guard let recomputed = check.hooks.last(where: { $0.grounded && $0.name == checkName(hook.name) }) else { continue }
            guard !StepLabeler.hooksAgree(hook, recomputed) else { continue }
            if let given = shortText(hook), let again = shortText(recomputed) {
                differences.append("`\(hook.name)` was \(given) in step \(step + 1) but the recomputation gives \(again)")
            } else {
                differences.append("`\(hook.name)` differs between step \(step + 1) and the recomputation")
            }
        }
        guard !differences.isEmpty else { return nil }
        return "The check does not agree with step \(step + 1): " + differences.joined(separator: "; ")
            + ". So step \(step + 1) was wrong. " + mistake.correction
            + " We redo that step correctly and carry on from the corrected values."
    }

    /// A hook's value as short text (a number, a string, a boolean), or nil for anything longer.
    static func shortText(_ hook: Hook) -> String? {
        guard !hook.valueSummarized else { return nil }
        switch hook.value {
        case .int, .double, .bool:
            return String(decoding: JSONWriter.bytes(hook.value), as: UTF8.self)
        case .string(let text) where text.count <= 40:
            return String(decoding: JSONWriter.bytes(hook.value), as: UTF8.self)
        default:
            return nil
        }
    }
}
