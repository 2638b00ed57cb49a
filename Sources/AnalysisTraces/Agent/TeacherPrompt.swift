import Foundation

/// A versioned system prompt for teachers, kept as a text resource
/// (`Sources/AnalysisTraces/Agent/Prompts/<version>.md`), and the user message that carries
/// the question.
///
/// The text holds `{{name}}` placeholders, each filled once by ``systemPrompt(datasetTitle:datasetDescription:dataOverview:expectedHooks:)``:
/// `dataset_title`, `dataset_description`, `data_overview` (the text `DatasetOverview` computes
/// in the sandbox) and `expected_hooks`. Substituted values are not scanned again, so a dataset
/// description that contains braces stays as it is. The prompt, the loop's feedback and
/// corrective messages (``AgentMessages``) and the user message together make one prompt
/// version: change any of them, bump the version, and every episode records the new one
/// (`Producer.promptVersion`).
public struct TeacherPrompt: Sendable, Equatable {
    /// The version new episodes use.
    public static let currentVersion = "teacher-v1"
    /// The placeholders every prompt version must use, and no others.
    public static let placeholders = ["dataset_title", "dataset_description", "data_overview", "expected_hooks"]

    public let version: String
    /// The prompt with its placeholders.
    public let template: String

    public init(version: String, template: String) {
        self.version = version
        self.template = template
    }

    /// Loads `<version>.md` from the library's `Prompts` resource folder.
    public static func load(version: String = currentVersion) throws(TeacherPromptError) -> TeacherPrompt {
        guard let folder = Bundle.module.url(forResource: "Prompts", withExtension: nil) else {
            throw .missing(version: version, path: "<bundle>/Prompts/\(version).md")
        }
        let file = folder.appendingPathComponent("\(version).md")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw .missing(version: version, path: file.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .notUTF8(version: version, path: file.path)
        }
        return TeacherPrompt(version: version, template: text)
    }

    /// The system prompt for one dataset and question.
    public func systemPrompt(datasetTitle: String, datasetDescription: String, dataOverview: String, expectedHooks: Int) throws(TeacherPromptError) -> String {
        try render([
            "dataset_title": datasetTitle,
            "dataset_description": datasetDescription,
            "data_overview": dataOverview.hasSuffix("\n") ? String(dataOverview.dropLast()) : dataOverview,
            "expected_hooks": String(expectedHooks),
        ])
    }

    /// Fills every `{{name}}` in one pass. Throws on a placeholder without a value, an unclosed
    /// `{{`, or a value that the text never uses.
    public func render(_ values: [String: String]) throws(TeacherPromptError) -> String {
        var output = ""
        var used = Set<String>()
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                throw .unclosedPlaceholder(version: version, near: String(after.prefix(30)))
            }
            let name = String(after[..<close.lowerBound])
            guard let value = values[name] else { throw .unknownPlaceholder(version: version, name: name) }
            output += value
            used.insert(name)
            rest = after[close.upperBound...]
        }
        output += rest
        if let unused = values.keys.sorted().first(where: { !used.contains($0) }) {
            throw .unusedValue(version: version, name: unused)
        }
        return output
    }

    /// The first user message: the question, and for the gold trace the hint when there is one.
    /// Consistency traces get the question alone, so their answers are independent of the hint.
    public static func userMessage(question: Question, role: Trace.Role) -> String {
        var text = question.question
        if role == .gold, let hint = question.hint, !hint.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            text += "\n\nHint: " + hint
        }
        return text
    }
}
