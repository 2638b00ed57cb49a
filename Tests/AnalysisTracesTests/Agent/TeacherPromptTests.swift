import Testing
@testable import AnalysisTraces

@Suite struct TeacherPromptTests {
    @Test func loadsTheCurrentPromptAndFillsEveryPlaceholder() throws {
        let prompt = try TeacherPrompt.load()
        #expect(prompt.version == "teacher-v1")
        for name in TeacherPrompt.placeholders {
            #expect(prompt.template.contains("{{\(name)}}"), "the prompt uses {{\(name)}}")
        }
        let text = try prompt.systemPrompt(
            datasetTitle: "Palmer penguins", datasetDescription: "Measurements of {{three}} species.",
            dataOverview: "344 rows × 8 columns\n", expectedHooks: 4)
        #expect(!text.contains("{{dataset_"))
        #expect(text.contains("Dataset: Palmer penguins"))
        #expect(text.contains("Measurements of {{three}} species."), "substituted text is not scanned again")
        #expect(text.contains("344 rows × 8 columns\n"))
        #expect(text.contains("about 4 hooks"))
    }

    @Test func statesTheHelperSignaturesAndTheTurnFormat() throws {
        let prompt = try TeacherPrompt.load()
        #expect(prompt.template.contains("`submit(answer)`"))
        #expect(prompt.template.contains("`hook(value, code_line, name=None, depends_on=(), description=None)`"))
        #expect(prompt.template.contains("Exactly one ```python code block"))
    }

    @Test func refusesUnknownOrUnclosedPlaceholdersAndUnusedValues() {
        #expect(throws: TeacherPromptError.unknownPlaceholder(version: "t", name: "rows")) {
            try TeacherPrompt(version: "t", template: "{{rows}}").render([:])
        }
        #expect(throws: TeacherPromptError.unclosedPlaceholder(version: "t", near: "rows")) {
            try TeacherPrompt(version: "t", template: "a {{rows").render(["rows": "1"])
        }
        #expect(throws: TeacherPromptError.unusedValue(version: "t", name: "extra")) {
            try TeacherPrompt(version: "t", template: "{{a}}").render(["a": "1", "extra": "2"])
        }
        do {
            _ = try TeacherPrompt.load(version: "teacher-v999")
            Issue.record("a prompt that does not exist was loaded")
        } catch {
            guard case .missing(let version, let path) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(version == "teacher-v999")
            #expect(path.hasSuffix("teacher-v999.md"))
        }
    }
}
