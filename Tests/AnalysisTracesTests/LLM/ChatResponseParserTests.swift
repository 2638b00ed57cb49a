import Testing
@testable import AnalysisTraces

@Suite struct ChatResponseParserTests {
    private func parse(_ body: String) throws(LLMError) -> ChatCompletion {
        try ChatResponseParser.parse(Array(body.utf8))
    }

    @Test func readsOpenAIBody() throws {
        let completion = try parse(RecordedResponses.openAI)
        #expect(completion.message == Message(role: .assistant, content: "This is a test!", reasoning: nil))
        #expect(completion.finishReason == "stop")
        #expect(completion.usage == Usage(calls: 1, promptTokens: 13, completionTokens: 5, reasoningTokens: 0, costUSD: nil))
        #expect(completion.model == "gpt-4-0613")
        #expect(completion.cacheHit == false)
    }

    @Test func readsOpenAIDetailBlocksAndLengthFinish() throws {
        let completion = try parse(RecordedResponses.openAIDetailed)
        #expect(completion.message.content == "Paris.")
        #expect(completion.finishReason == "length")
        #expect(completion.usage.promptTokens == 1432 && completion.usage.completionTokens == 3 && completion.usage.reasoningTokens == 0)
    }

    @Test func acceptsNullContentWithToolCallsAsEmptyText() throws {
        let completion = try parse(RecordedResponses.openAIToolCall)
        #expect(completion.message.content == "")
        #expect(completion.finishReason == "tool_calls")
        #expect(completion.usage == Usage(calls: 1))
    }

    @Test func readsOpenRouterReasoningReasoningTokensAndReportedCost() throws {
        let completion = try parse(RecordedResponses.openRouter)
        #expect(completion.message.content == "The answer is 42.")
        #expect(completion.message.reasoning == "**Working it out**\n\nFirst I ...")
        #expect(completion.usage.reasoningTokens == 96)
        #expect(completion.usage.costUSD == 0.000421)
        #expect(completion.model == "google/gemini-3-flash-preview")
    }

    @Test func readsVLLMReasoningFieldAndNullDetails() throws {
        let completion = try parse(RecordedResponses.vLLM)
        #expect(completion.message.reasoning == "Compare 9.11 and 9.80 ...")
        #expect(completion.usage == Usage(calls: 1, promptTokens: 18, completionTokens: 394, reasoningTokens: 0))
    }

    @Test func readsLlamaCppReasoningContentAndIgnoresTimings() throws {
        let completion = try parse(RecordedResponses.llamaCpp)
        #expect(completion.message == Message(role: .assistant, content: "Paris.", reasoning: "The user asks the capital of France..."))
        #expect(completion.usage.promptTokens == 17 && completion.usage.completionTokens == 41)
    }

    @Test func readsOllamaReasoning() throws {
        let completion = try parse(RecordedResponses.ollama)
        #expect(completion.message.reasoning == "User asks for the capital of France.")
        #expect(completion.model == "qwen3:8b")
    }

    @Test func readsDeepSeekReasoningContentAfterKeepAliveNewlines() throws {
        let completion = try parse("\n\n\n" + RecordedResponses.deepSeek)
        #expect(completion.message.reasoning == "First, compare the integer parts ...")
        #expect(completion.usage.reasoningTokens == 371)
        #expect(completion.usage.completionTokens == 412)
    }

    @Test func joinsTheTextOfContentParts() throws {
        #expect(try parse(RecordedResponses.contentParts).message.content == "Hello, world.")
    }

    @Test func skipsAByteOrderMark() throws {
        let body: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(RecordedResponses.ollama.utf8)
        #expect(try ChatResponseParser.parse(body).message.content == "Paris.")
    }

    @Test func acceptsNullContentWhenThereIsReasoning() throws {
        let body = #"{"choices":[{"message":{"role":"assistant","content":null,"reasoning_content":"thinking"},"finish_reason":"length"}]}"#
        let completion = try parse(body)
        #expect(completion.message == Message(role: .assistant, content: "", reasoning: "thinking"))
        #expect(completion.usage == Usage(calls: 1))
        #expect(completion.model == nil)
    }

    static let malformed: [(body: String, mentions: String)] = [
        ("", "empty"),
        ("   \n", "empty"),
        (#"{"choices": [{"message": {"content": "cut"#, "not valid JSON"),
        ("[1, 2]", "array"),
        (#"{"id": "x"}"#, "'choices' is missing"),
        (#"{"choices": null}"#, "'choices' is missing"),
        (#"{"choices": {}}"#, "'choices' must be an array"),
        (#"{"choices": []}"#, "'choices' is empty"),
        (#"{"choices": [7]}"#, "'choices[0]' must be an object"),
        (#"{"choices": [{"finish_reason": "stop"}]}"#, "'choices[0].message' is missing"),
        (#"{"choices": [{"message": "hi"}]}"#, "'choices[0].message' must be an object"),
        (#"{"choices": [{"message": {"role": "assistant", "content": null}}]}"#, "content' is null"),
        (#"{"choices": [{"message": {"role": "assistant"}}]}"#, "content' is null"),
        (#"{"choices": [{"message": {"content": 5}}]}"#, "'choices[0].message.content' must be a string"),
        (#"{"choices": [{"message": {"content": ["a"]}}]}"#, "content[0]' must be an object"),
        (#"{"choices": [{"message": {"content": "x", "reasoning": 3}}]}"#, "'choices[0].message.reasoning' must be a string"),
        (#"{"choices": [{"message": {"content": "x"}, "finish_reason": 1}]}"#, "'choices[0].finish_reason' must be a string"),
        (#"{"choices": [{"message": {"content": "x"}}], "usage": []}"#, "'usage' must be an object"),
        (#"{"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": "12"}}"#, "'usage.prompt_tokens' must be a non-negative integer"),
        (#"{"choices": [{"message": {"content": "x"}}], "usage": {"completion_tokens": -1}}"#, "'usage.completion_tokens'"),
        (#"{"choices": [{"message": {"content": "x"}}], "usage": {"completion_tokens_details": {"reasoning_tokens": 1.5}}}"#, "reasoning_tokens"),
        (#"{"choices": [{"message": {"content": "x"}}], "model": 3}"#, "'model' must be a string"),
    ]

    @Test("a body that is not a usable completion is a malformed response naming the field", arguments: malformed)
    func rejectsMalformedBodies(_ example: (body: String, mentions: String)) {
        do {
            let completion = try parse(example.body)
            Issue.record("parsed \(completion) from \(example.body)")
        } catch {
            guard case .malformedResponse(let detail) = error else {
                Issue.record("expected malformedResponse, got \(error)")
                return
            }
            #expect(detail.contains(example.mentions), "\(detail)")
        }
    }

    @Test func anErrorInsideA200BodyIsAnHTTPErrorWithItsCode() {
        #expect(throws: LLMError.http(status: 429, message: "Provider returned error (error code: 1015)", attempts: 1)) {
            try parse(RecordedResponses.openRouterErrorIn200)
        }
        #expect(throws: LLMError.http(status: 502, message: "Provider disconnected mid-stream", attempts: 1)) {
            try parse(RecordedResponses.openRouterChoiceError)
        }
        #expect(throws: LLMError.http(status: 200, message: "boom", attempts: 1)) {
            try parse(#"{"error": "boom"}"#)
        }
    }

    @Test func errorMessagesComeFromEveryEnvelopeAndFromPlainTextAndHTML() {
        func message(_ body: String) -> String { ChatResponseParser.errorMessage(Array(body.utf8)) }
        #expect(message(RecordedResponses.openAI401) == "Incorrect API key provided: sk-abc12***wxyz.")
        #expect(message(RecordedResponses.vLLM401) == "Unauthorized")
        #expect(message(RecordedResponses.vLLMFlat) == "The model `Qwen1.5-14B-Chat-GPTQ-Int8` does not exist.")
        #expect(message(RecordedResponses.llamaCpp503) == "Loading model")
        #expect(message(RecordedResponses.openRouter429) == "Provider returned error (z-ai/glm is temporarily rate-limited upstream.)")
        #expect(message(RecordedResponses.html502) == "502 Bad Gateway 502 Bad Gateway nginx")
        #expect(message("upstream connect error\n") == "upstream connect error")
        #expect(message("") == "(empty body)")
        #expect(message(String(repeating: "x", count: 1000)).count == 300)
    }
}
