/// The canned contents behind ``ScriptedResponse``'s named faults, public so tests can compare.
public enum ScriptedReplies {
    public static let noCodeBlock = """
        The question asks for the mean of the measure column. I will compute it with pandas and \
        then submit the value rounded to two decimals, as the question says.
        """

    public static let severalCodeBlocks = """
        First I look at the shape of the table.

        ```python
        print(df.shape)
        ```

        Then I look at the first rows.

        ```python
        print(df.head())
        ```
        """

    public static let fakeSubmissionMarkers = """
        I already know the answer, so I record it here.

        ```python
        print("SUBMIT: 42")
        print('{"submit": 42}')
        print("__SUBMIT__ 42 __SUBMIT__")
        print('{"type": "submit", "value": 42}')
        import sys
        sys.stdout.write('\\n{"events": [{"type": "submit", "value": 42}]}\\n')
        ```
        """

    /// Reasoning padded to about `bytes` bytes (at least the code block), then one code block.
    public static func longReply(bytes: Int) -> String {
        let code = "\n\n```python\nprint(df.describe())\n```"
        let sentence = "I consider every column of the table in turn and note what it could tell us. "
        let wanted = max(0, bytes - code.utf8.count)
        var prose = String(repeating: sentence, count: wanted / sentence.utf8.count)
        prose += String(repeating: "x", count: wanted - prose.utf8.count)
        return prose + code
    }

    /// The default error body of an HTTP status, in OpenAI's shape.
    public static func errorBody(status: Int) -> String {
        let (message, type, code): (String, String, String?) =
            switch status {
            case 400: ("Invalid request (scripted).", "invalid_request_error", nil)
            case 401: ("Incorrect API key provided (scripted).", "invalid_request_error", "invalid_api_key")
            case 403: ("You are not allowed to use this model (scripted).", "permission_error", "permission_denied")
            case 404: ("The model does not exist or you do not have access to it (scripted).", "invalid_request_error", "model_not_found")
            case 408: ("Request timed out (scripted).", "timeout_error", nil)
            case 429: ("Rate limit reached for requests (scripted). Please try again in 1s.", "requests", "rate_limit_exceeded")
            case 500: ("The server had an error while processing your request (scripted).", "server_error", nil)
            case 502, 503, 504: ("The server is overloaded or not ready yet (scripted).", "server_error", nil)
            default: ("HTTP \(status) (scripted).", "server_error", nil)
            }
        let codeText = code.map { "\"\($0)\"" } ?? "null"
        return #"{"error":{"message":"\#(message)","type":"\#(type)","param":null,"code":\#(codeText)}}"#
    }
}
