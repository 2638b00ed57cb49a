import Foundation

/// A mistake analysts really make, as a named and versioned transformation of one step of a
/// template's reference program (see <doc:Negatives>).
///
/// The transformation rewrites code lines of the step, one at a time: a rewrite gets a line
/// without its indentation and returns the mistaken line, or nil to leave it. Lines that only
/// report (`hook(...)`, `print(...)`, `submit(...)`) are never rewritten; the `hook` call after a
/// rewritten assignment gets the rewritten line as its code line, so the hook stays grounded in
/// the code that ran. The step's reasoning is kept, except for the phrases the mistake would
/// contradict (``reasoningEdits``): a flawed trace never mentions its mistake.
public struct Mistake: Sendable {
    /// Stable snake_case id, recorded in ``TraceMistake/id``.
    public var id: String
    /// Bumped whenever the transformation changes.
    public var version: String
    /// One sentence for the dataset card: what the analyst does wrong.
    public var summary: String
    /// One sentence a self-correcting trace says once its check revealed the mistake: what the
    /// question asks for instead.
    public var correction: String
    /// Phrases of a step's reasoning that the mistaken code no longer does, and what they become
    /// (in the descriptions of the rewritten hooks too).
    public var reasoningEdits: [(String, String)]
    /// The reasoning of the mistaken step, for a mistake whose step's own reasoning spells out
    /// the very rule the mistake breaks; nil keeps the step's reasoning (edited).
    public var reasoning: String?
    let rewrite: @Sendable (String) -> String?

    public init(id: String, version: String = "1", summary: String, correction: String,
                reasoningEdits: [(String, String)] = [], reasoning: String? = nil, rewrite: @escaping @Sendable (String) -> String?) {
        self.reasoning = reasoning
        self.id = id
        self.version = version
        self.summary = summary
        self.correction = correction
        self.reasoningEdits = reasoningEdits
        self.rewrite = rewrite
    }

    /// The step `step` of `instance` with this mistake made, or nil when the mistake does not
    /// change its code (it is not plausible there).
    public func apply(to instance: TemplateInstance, step: Int) -> MistakeApplication? {
        guard instance.steps.indices.contains(step) else { return nil }
        let original = instance.steps[step]
        guard let code = Self.rewriteCode(original.code, with: rewrite, descriptionEdits: reasoningEdits) else { return nil }
        var reasoning = original.reasoning
        for (phrase, replacement) in reasoningEdits {
            reasoning = reasoning.replacingOccurrences(of: phrase, with: replacement)
        }
        reasoning = reasoning.replacingOccurrences(of: "  ", with: " ").replacingOccurrences(of: " .", with: ".")
        if let replacement = self.reasoning { reasoning = replacement }
        return MistakeApplication(mistake: self, step: step, original: original, mistaken: ProgramStep(reasoning: reasoning, code: code))
    }

    /// Every step of `instance` this mistake changes, in order.
    public func applications(to instance: TemplateInstance) -> [MistakeApplication] {
        instance.steps.indices.compactMap { apply(to: instance, step: $0) }
    }

    /// `code` with `rewrite` applied to each line that computes something, and every hook of a
    /// rewritten line re-pointed at the new line, its description edited like the reasoning;
    /// nil when no line changed.
    static func rewriteCode(_ code: String, with rewrite: (String) -> String?, descriptionEdits: [(String, String)] = []) -> String? {
        var lines = code.components(separatedBy: "\n")
        var changed: [(old: String, new: String)] = []
        for (index, line) in lines.enumerated() {
            let indent = String(line.prefix { $0 == " " })
            let body = String(line.dropFirst(indent.count))
            guard !isReportingLine(body), let new = rewrite(body), new != body else { continue }
            lines[index] = indent + new
            changed.append((body, new))
        }
        guard !changed.isEmpty else { return nil }
        for (index, line) in lines.enumerated() where line.trimmingCharacters(in: .whitespaces).hasPrefix("hook(") {
            for (old, new) in changed where lines[index].contains(Python.literal(old)) {
                lines[index] = lines[index].replacingOccurrences(of: Python.literal(old), with: Python.literal(new))
                guard let marker = lines[index].range(of: "description=") else { continue }
                var description = String(lines[index][marker.upperBound...])
                for (phrase, replacement) in descriptionEdits {
                    description = description.replacingOccurrences(of: phrase, with: replacement)
                }
                lines[index] = String(lines[index][..<marker.upperBound]) + description
            }
        }
        return lines.joined(separator: "\n")
    }

    static func isReportingLine(_ body: String) -> Bool {
        body.hasPrefix("hook(") || body.hasPrefix("print(") || body.hasPrefix("submit(") || body.hasPrefix("#") || body.isEmpty
    }

    // MARK: Rewrites

    /// A rewrite replacing every occurrence of `old` with `new` in lines that `when` accepts.
    static func replacing(_ old: String, with new: String, when: @escaping @Sendable (String) -> Bool = { _ in true }) -> @Sendable (String) -> String? {
        { line in
            guard when(line), line.contains(old) else { return nil }
            return line.replacingOccurrences(of: old, with: new)
        }
    }

    /// A rewrite replacing the matches of the regular expression `pattern` with `template`
    /// (`$1` for groups) in lines that `when` accepts.
    static func matching(_ pattern: String, with template: String, when: @escaping @Sendable (String) -> Bool = { _ in true }) -> @Sendable (String) -> String? {
        { line in
            guard when(line), let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
            let range = NSRange(line.startIndex..., in: line)
            guard expression.firstMatch(in: line, range: range) != nil else { return nil }
            return expression.stringByReplacingMatches(in: line, range: range, withTemplate: template)
        }
    }
}

/// One mistake made in one step of a template instance.
public struct MistakeApplication: Sendable {
    public var mistake: Mistake
    /// The index of the step (and of the turn that runs it).
    public var step: Int
    public var original: ProgramStep
    public var mistaken: ProgramStep

    /// The steps of a flawed trace: `instance`'s, with this step mistaken.
    public func flawedSteps(of instance: TemplateInstance) -> [ProgramStep] {
        var steps = instance.steps
        steps[step] = mistaken
        return steps
    }

    /// The recorded mistake of a flawed trace.
    public var flawedRecord: TraceMistake {
        TraceMistake(id: mistake.id, version: mistake.version, step: step)
    }

    /// The recorded mistake of a self-correcting trace: the mistaken step, the check right
    /// after it and the fix after that.
    public var selfCorrectingRecord: TraceMistake {
        TraceMistake(id: mistake.id, version: mistake.version, step: step, checkStep: step + 1, fixStep: step + 2)
    }
}
