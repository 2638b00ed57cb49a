/// The versioned prompt of LLM question generation: the system prompt (a text resource,
/// `Sources/AnalysisTraces/Agent/Prompts/<version>.md`, filled like ``TeacherPrompt``) and the
/// user messages the generator writes into the conversation.
///
/// The system prompt's placeholders are `dataset_title`, `dataset_description`,
/// `data_overview` and `exploration_turns`, each used once. The prompt, the messages below and
/// the exploration feedback (``AgentMessages/feedback(cell:execution:hooks:notes:)`` and
/// ``AgentMessages/corrective(_:)``, shared with the teacher) make one version: change any of
/// them, bump ``currentVersion``; every LLM question records it as `generator.version`.
public struct QuestionPrompt: Sendable, Equatable {
    /// The version new questions use.
    public static let currentVersion = "questions-v1"
    public static let placeholders = ["dataset_title", "dataset_description", "data_overview", "exploration_turns"]

    public let template: TeacherPrompt
    public var version: String { template.version }

    public init(version: String, template: String) {
        self.template = TeacherPrompt(version: version, template: template)
    }

    /// Loads `<version>.md` from the library's `Prompts` resource folder.
    public static func load(version: String = currentVersion) throws(TeacherPromptError) -> QuestionPrompt {
        let loaded = try TeacherPrompt.load(version: version)
        return QuestionPrompt(version: loaded.version, template: loaded.template)
    }

    /// The system prompt for one dataset.
    public func systemPrompt(datasetTitle: String, datasetDescription: String, dataOverview: String, explorationTurns: Int) throws(TeacherPromptError) -> String {
        try template.render([
            "dataset_title": datasetTitle,
            "dataset_description": datasetDescription,
            "data_overview": dataOverview.hasSuffix("\n") ? String(dataOverview.dropLast()) : dataOverview,
            "exploration_turns": String(explorationTurns),
        ])
    }

    // MARK: - Messages

    /// The first user message when there is at least one exploration cell.
    public static func start(cells: Int) -> String {
        "Explore the table. You have \(cells) \(cells == 1 ? "cell" : "cells"). Reply with a few sentences of reasoning, then exactly one ```python block, then stop."
    }

    /// The note after a cell, while cells remain.
    public static func cellsLeft(_ left: Int) -> String {
        left == 1 ? "You have 1 exploration cell left." : "You have \(left) exploration cells left."
    }

    /// The request for questions, after the exploration.
    public static func request(count: Int) -> String {
        "The exploration is over; no more code will be run. Now write \(count) \(count == 1 ? "question" : "questions") about the table, as described in the system prompt: "
            + "a JSON array of objects with exactly the keys \"question\", \"hint\", \"difficulty\", \"expected_steps\" and \"output_schema\", alone or in one ```json block. "
            + "Make the questions differ in the analysis they ask for, and mix the difficulties."
    }

    /// The request for more questions after too few were usable: every rejection of the last
    /// reply with its reason, and how many are still wanted.
    public static func reask(rejections: [ProposalRejection], missing: Int, accepted: [String]) -> String {
        var paragraphs: [String] = []
        if rejections.isEmpty {
            paragraphs.append("Some questions are still missing.")
        } else {
            paragraphs.append("Some of your questions cannot be used:\n" + rejections.map { "- " + $0.description }.joined(separator: "\n"))
        }
        if !accepted.isEmpty {
            paragraphs.append("These questions were accepted; do not repeat them:\n" + accepted.map { "- " + $0 }.joined(separator: "\n"))
        }
        paragraphs.append("Write \(missing) new \(missing == 1 ? "question" : "questions") in the same JSON format, a JSON array alone or in one ```json block, each different from the accepted ones.")
        return paragraphs.joined(separator: "\n\n")
    }
}
