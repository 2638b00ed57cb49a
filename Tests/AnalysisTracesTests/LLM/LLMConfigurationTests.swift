import Foundation
import Testing
@testable import AnalysisTraces
import AnalysisTracesCLI

@Suite struct LLMConfigurationTests {
    private let base = ["LLM_BASE_URL": "https://api.openai.com/v1", "LLM_MODEL": "gpt-4.1"]

    private func configuration(_ environment: [String: String], role: LLMConfiguration.Role = .teacher, flags: [String] = []) throws -> LLMConfiguration? {
        try LLMOptions.parse(flags).configuration(role: role, environment: environment)
    }

    private func problem(_ environment: [String: String], flags: [String] = []) -> LLMConfigurationError? {
        do {
            _ = try configuration(environment, flags: flags)
            return nil
        } catch let error as LLMConfigurationError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func noBaseURLMeansNoLLM() throws {
        #expect(try configuration([:]) == nil)
        #expect(try configuration(["LLM_MODEL": "gpt-4.1", "LLM_BASE_URL": ""]) == nil)
    }

    @Test func defaultsApplyWhenOnlyURLAndModelAreSet() throws {
        let configuration = try #require(try configuration(base))
        #expect(configuration.baseURL == "https://api.openai.com/v1")
        #expect(configuration.chatCompletionsURL == "https://api.openai.com/v1/chat/completions")
        #expect(configuration.apiKey == nil)
        #expect(configuration.model == "gpt-4.1")
        #expect(configuration.sampling == SamplingParameters())
        #expect(configuration.requestTimeout == .seconds(120))
        #expect(configuration.retry.maxAttempts == 6)
        #expect(configuration.concurrency == 16)
        #expect(configuration.requestsPerMinute == nil && configuration.tokensPerMinute == nil)
        #expect(configuration.budgetUSD == nil)
        #expect(configuration.cacheMode == .readWrite)
        #expect(configuration.cacheDirectory == "data/cache")
    }

    @Test func everyVariableIsRead() throws {
        try IOTestDirectory.with { dir in
            let prices = dir.file("prices.json")
            try Data(#"{"gpt-4.1": {"input_per_million": 2, "output_per_million": 8}, "o3": {"input_per_million": 2, "output_per_million": 8, "reasoning_per_million": 4}}"#.utf8)
                .write(to: URL(fileURLWithPath: prices))
            let environment = base.merging([
                "LLM_API_KEY": "sk-test", "LLM_TEACHER_MODEL": "o3", "LLM_QUESTION_MODEL": "gpt-4.1-mini",
                "LLM_TEMPERATURE": "0.7", "LLM_TOP_P": "0.95", "LLM_MAX_TOKENS": "2048", "LLM_SEED": "7",
                "LLM_EXTRA_BODY": #"{"reasoning_effort": "high"}"#, "LLM_TIMEOUT": "30.5", "LLM_MAX_ATTEMPTS": "3",
                "LLM_CONCURRENCY": "64", "LLM_RPM": "500", "LLM_TPM": "100000", "LLM_PRICES": prices,
                "LLM_BUDGET_USD": "12.5", "LLM_CACHE": "read-only", "LLM_CACHE_DIR": "/tmp/llm-cache",
            ]) { $1 }
            let teacher = try #require(try configuration(environment, role: .teacher))
            #expect(teacher.apiKey == "sk-test")
            #expect(teacher.model == "o3")
            #expect(teacher.sampling == SamplingParameters(
                temperature: 0.7, topP: 0.95, maxTokens: 2048, seed: 7, extraBody: .object([(key: "reasoning_effort", value: .string("high"))])))
            #expect(teacher.requestTimeout == .milliseconds(30_500))
            #expect(teacher.retry.maxAttempts == 3)
            #expect(teacher.concurrency == 64)
            #expect(teacher.requestsPerMinute == 500 && teacher.tokensPerMinute == 100_000)
            #expect(teacher.prices.price(for: "o3") == ModelPrice(inputPerMillion: 2, outputPerMillion: 8, reasoningPerMillion: 4))
            #expect(teacher.budgetUSD == 12.5)
            #expect(teacher.cacheMode == .readOnly)
            #expect(teacher.cacheDirectory == "/tmp/llm-cache")
            #expect(try configuration(environment, role: .questions)?.model == "gpt-4.1-mini")
        }
    }

    @Test func flagsOverrideVariables() throws {
        let environment = base.merging(["LLM_TEACHER_MODEL": "o3", "LLM_TEMPERATURE": "0.1", "LLM_CACHE": "off"]) { $1 }
        let configuration = try #require(try configuration(environment, flags: [
            "--llm-model", "local-model", "--llm-base-url", "http://127.0.0.1:8000/v1", "--llm-temperature", "0.9",
            "--llm-cache", "write-only", "--llm-concurrency", "2",
        ]))
        #expect(configuration.model == "local-model")
        #expect(configuration.baseURL == "http://127.0.0.1:8000/v1")
        #expect(configuration.sampling.temperature == 0.9)
        #expect(configuration.cacheMode == .writeOnly)
        #expect(configuration.concurrency == 2)
    }

    @Test func aBaseURLFlagAloneSwitchesTheLLMOn() throws {
        #expect(try configuration(["LLM_MODEL": "m"], flags: ["--llm-base-url", "http://127.0.0.1:1/v1"])?.model == "m")
    }

    @Test func replayNeedsNoBaseURLOrKey() throws {
        let configuration = try #require(try configuration(["LLM_CACHE": "replay", "LLM_MODEL": "gpt-4.1"]))
        #expect(configuration.baseURL == nil)
        #expect(configuration.cacheMode == .replay)
        #expect(configuration.chatCompletionsURL == nil)
    }

    static let badValues: [(variable: String, value: String, mentions: String)] = [
        ("LLM_BASE_URL", "api.openai.com/v1", "http:// or https://"),
        ("LLM_BASE_URL", "https://", "http:// or https://"),
        ("LLM_TEMPERATURE", "hot", "must be a number ≥ 0; found 'hot'"),
        ("LLM_TEMPERATURE", "-1", "≥ 0"),
        ("LLM_TOP_P", "1.5", "(0, 1]"),
        ("LLM_MAX_TOKENS", "0", "whole number ≥ 1"),
        ("LLM_MAX_TOKENS", "12.5", "whole number ≥ 1"),
        ("LLM_SEED", "-3", "from 0 to"),
        ("LLM_EXTRA_BODY", "[1]", "JSON object"),
        ("LLM_EXTRA_BODY", "{oops", "JSON object"),
        ("LLM_TIMEOUT", "0", "seconds > 0"),
        ("LLM_MAX_ATTEMPTS", "0", "from 1 to 100"),
        ("LLM_CONCURRENCY", "many", "from 1 to 4096"),
        ("LLM_RPM", "0", "requests per minute"),
        ("LLM_TPM", "-5", "tokens per minute"),
        ("LLM_BUDGET_USD", "ten", "US dollars"),
        ("LLM_CACHE", "sometimes", "'read-write', 'read-only', 'write-only', 'off', 'replay'"),
        ("LLM_PRICES", "/nonexistent/prices.json", "cannot be read"),
    ]

    @Test("a bad value is an error naming the variable, the expectation and the value", arguments: badValues)
    func badValue(_ example: (variable: String, value: String, mentions: String)) throws {
        let error = try #require(problem(base.merging([example.variable: example.value]) { $1 }))
        #expect(error.setting == example.variable)
        #expect(error.problem.contains(example.mentions), "\(error)")
        #expect(error.description.hasPrefix("error: '\(example.variable)' "))
    }

    @Test func aBadFlagValueNamesTheFlag() throws {
        let error = try #require(problem(base, flags: ["--llm-temperature", "warm"]))
        #expect(error.setting == "--llm-temperature")
        #expect(error.description == "error: '--llm-temperature' must be a number ≥ 0; found 'warm'")
    }

    @Test func aMissingModelSaysWhichVariablesToSet() throws {
        let error = try #require(problem(["LLM_BASE_URL": "http://127.0.0.1:8000/v1"]))
        #expect(error.setting == "LLM_MODEL")
        #expect(error.problem.contains("LLM_TEACHER_MODEL"))
    }

    @Test("a bad price table is refused with the reason", arguments: [
        (#"[1]"#, "JSON object of models"),
        (#"{"m": 3}"#, "'m' must be an object"),
        (#"{"m": {"input_per_million": 1}}"#, "needs 'input_per_million' and 'output_per_million'"),
        (#"{"m": {"input_per_million": 1, "output_per_million": "2"}}"#, "'m.output_per_million' must be a number"),
        (#"{"m": {"input_per_million": 1, "output_per_million": 2, "cached": 1}}"#, "unknown key 'cached'"),
        (#"{"m": {"input_per_million": -1, "output_per_million": 2}}"#, "must be ≥ 0"),
        (#"{"m": "#, "not valid JSON"),
    ])
    func badPriceTable(_ example: (json: String, mentions: String)) {
        #expect {
            _ = try PriceTable.parse(Array(example.json.utf8), source: "the price table 'p.json'", setting: "LLM_PRICES")
        } throws: { error in
            guard let error = error as? LLMConfigurationError else { return false }
            return error.setting == "LLM_PRICES" && error.problem.contains(example.mentions)
        }
    }

    @Test func pricesBillReasoningAsOutputUnlessTheTableSaysOtherwise() {
        let usage = Usage(calls: 1, promptTokens: 1_000_000, completionTokens: 500_000, reasoningTokens: 200_000)
        let table = PriceTable([
            "plain": ModelPrice(inputPerMillion: 2, outputPerMillion: 8),
            "split": ModelPrice(inputPerMillion: 2, outputPerMillion: 8, reasoningPerMillion: 1),
        ])
        #expect(abs((table.cost(of: usage, model: "plain") ?? 0) - 6) < 1e-9)
        #expect(abs((table.cost(of: usage, model: "split") ?? 0) - 4.6) < 1e-9)
        #expect(table.cost(of: usage, model: "unknown") == nil)
    }
}
