/// Response bodies in the shapes real servers return (from the reference document's captures
/// and schema-derived examples, annotations removed).
enum RecordedResponses {
    static let openAI = """
    {
      "id": "chatcmpl-A652Fhuqsr1kskKe5B63M0eiw3842",
      "object": "chat.completion",
      "created": 1726012687,
      "model": "gpt-4-0613",
      "choices": [
        {
          "index": 0,
          "message": { "role": "assistant", "content": "This is a test!", "refusal": null },
          "logprobs": null,
          "finish_reason": "stop"
        }
      ],
      "usage": { "prompt_tokens": 13, "completion_tokens": 5, "total_tokens": 18 },
      "system_fingerprint": null
    }
    """

    static let openAIDetailed = """
    {
      "id": "chatcmpl-Bx9kq2Zr7yPqLmN0aB1cD2eF3gH4",
      "object": "chat.completion",
      "created": 1767225600,
      "model": "gpt-4.1-2025-04-14",
      "choices": [{
        "index": 0,
        "message": { "role": "assistant", "content": "Paris.", "refusal": null, "annotations": [] },
        "logprobs": null,
        "finish_reason": "length"
      }],
      "usage": {
        "prompt_tokens": 1432, "completion_tokens": 3, "total_tokens": 1435,
        "prompt_tokens_details": { "cached_tokens": 1280, "audio_tokens": 0 },
        "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0,
                                       "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
      },
      "service_tier": "default",
      "system_fingerprint": "fp_51e1070cf2"
    }
    """

    static let openAIToolCall = """
    {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4.1","choices":[{
      "index": 0,
      "message": {
        "role": "assistant", "content": null, "refusal": null,
        "tool_calls": [{ "id": "call_Qx1vA9", "type": "function",
                         "function": { "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}" } }]
      },
      "logprobs": null,
      "finish_reason": "tool_calls"
    }]}
    """

    static let openRouter = """
    {
      "id": "gen-1768528898-MKtgrOMD5dK6dq3iyOSh",
      "provider": "Google",
      "model": "google/gemini-3-flash-preview",
      "object": "chat.completion",
      "created": 1768528898,
      "choices": [{
        "index": 0,
        "logprobs": null,
        "finish_reason": "stop",
        "native_finish_reason": "STOP",
        "message": {
          "role": "assistant",
          "content": "The answer is 42.",
          "refusal": null,
          "reasoning": "**Working it out**\\n\\nFirst I ...",
          "reasoning_details": [
            { "type": "reasoning.text", "text": "**Working it out**\\n\\nFirst I ...",
              "format": "google-gemini-v1", "index": 0 }
          ]
        }
      }],
      "usage": {
        "prompt_tokens": 194, "completion_tokens": 120, "total_tokens": 314,
        "prompt_tokens_details": { "cached_tokens": 0, "cache_write_tokens": 0, "audio_tokens": 0 },
        "completion_tokens_details": { "reasoning_tokens": 96 },
        "cost": 0.000421, "is_byok": false,
        "cost_details": { "upstream_inference_cost": null,
                          "upstream_inference_prompt_cost": 0.0000582,
                          "upstream_inference_completions_cost": 0.000363 }
      }
    }
    """

    static let openRouterErrorIn200 = """
    {"id":"gen-1","object":"chat.completion","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":null}}],
     "error":{"message":"Provider returned error","code":429,"metadata":{"raw":"error code: 1015","provider_name":"Kluster"}},
     "user_id":"user_1"}
    """

    static let openRouterChoiceError = """
    {"choices":[{"message":{"role":"assistant","content":"partial output..."},"finish_reason":"error",
      "error":{"code":502,"message":"Provider disconnected mid-stream","metadata":{"error_type":"provider_unavailable"}}}]}
    """

    static let vLLM = """
    {
      "id": "chatcmpl-8f3c2a1e9b7d4c6f",
      "object": "chat.completion",
      "created": 1773821726,
      "model": "Qwen/Qwen3-8B",
      "choices": [{
        "index": 0,
        "message": { "role": "assistant", "content": "9.8 is greater.", "refusal": null, "annotations": null,
                     "audio": null, "function_call": null, "reasoning": "Compare 9.11 and 9.80 ..." },
        "logprobs": null,
        "finish_reason": "stop",
        "stop_reason": null,
        "token_ids": null
      }],
      "service_tier": null,
      "system_fingerprint": null,
      "usage": { "prompt_tokens": 18, "total_tokens": 412, "completion_tokens": 394, "prompt_tokens_details": null },
      "prompt_logprobs": null,
      "prompt_token_ids": null,
      "kv_transfer_params": null
    }
    """

    static let llamaCpp = """
    {
      "choices": [{
        "finish_reason": "stop",
        "index": 0,
        "message": { "role": "assistant", "content": "Paris.", "reasoning_content": "The user asks the capital of France..." }
      }],
      "created": 1781492230,
      "model": "gemma-4-31B-it-UD-Q6_K_XL.gguf",
      "system_fingerprint": "b9554-d403f00ec",
      "object": "chat.completion",
      "usage": { "completion_tokens": 41, "prompt_tokens": 17, "total_tokens": 58,
                 "prompt_tokens_details": { "cached_tokens": 7 } },
      "id": "chatcmpl-qC6laQHbZ2CmxNvJ4NoB1L93LcVF7nfe",
      "timings": { "cache_n": 7, "prompt_n": 10, "prompt_ms": 251.51, "prompt_per_token_ms": 25.151,
                   "prompt_per_second": 39.76, "predicted_n": 41, "predicted_ms": 598.2,
                   "predicted_per_token_ms": 14.59, "predicted_per_second": 68.54 }
    }
    """

    static let ollama = """
    {
      "id": "chatcmpl-412",
      "object": "chat.completion",
      "created": 1767225600,
      "model": "qwen3:8b",
      "system_fingerprint": "fp_ollama",
      "choices": [{
        "index": 0,
        "message": { "role": "assistant", "content": "Paris.", "reasoning": "User asks for the capital of France." },
        "finish_reason": "stop"
      }],
      "usage": { "prompt_tokens": 14, "completion_tokens": 31, "total_tokens": 45 }
    }
    """

    static let deepSeek = """
    {
      "id": "930c60df-bf64-41c9-a88e-3ec75f81e00e",
      "object": "chat.completion",
      "created": 1737522000,
      "model": "deepseek-reasoner",
      "choices": [{
        "index": 0,
        "message": { "role": "assistant", "content": "9.8 is greater than 9.11.",
                     "reasoning_content": "First, compare the integer parts ..." },
        "logprobs": null,
        "finish_reason": "stop"
      }],
      "usage": { "prompt_tokens": 18, "completion_tokens": 412, "total_tokens": 430,
                 "prompt_tokens_details": { "cached_tokens": 0 },
                 "completion_tokens_details": { "reasoning_tokens": 371 },
                 "prompt_cache_hit_tokens": 0, "prompt_cache_miss_tokens": 18 },
      "system_fingerprint": "fp_7e73fd9a08_prod0425fp8"
    }
    """

    static let contentParts = """
    {"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
     "message":{"role":"assistant","content":[{"type":"text","text":"Hello, "},{"type":"image_url","image_url":{"url":"data:"}},{"type":"text","text":"world."}]},
     "finish_reason":"stop"}]}
    """

    // Error bodies of non-200 responses.
    static let openAI401 = #"{"error":{"message":"Incorrect API key provided: sk-abc12***wxyz.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#
    static let openAIQuota = #"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#
    static let vLLM401 = #"{"error": "Unauthorized"}"#
    static let vLLMFlat = #"{"object":"error","message":"The model `Qwen1.5-14B-Chat-GPTQ-Int8` does not exist.","type":"NotFoundError","param":null,"code":404}"#
    static let llamaCpp503 = #"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#
    static let openRouter429 = #"{"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"z-ai/glm is temporarily rate-limited upstream.","provider_name":"BaseTen"}}}"#
    static let html502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}
