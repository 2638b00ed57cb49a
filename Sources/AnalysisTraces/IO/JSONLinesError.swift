/// A line of a JSON Lines file that does not decode: the file, the 1-based line, and what is
/// wrong, printed compiler-style:
///
///     data/episodes/x.jsonl.gz:1832: error: [schema] 'traces[0].turns[3].execution.timed_out': expected a boolean; found a number
///     data/episodes/x.jsonl.gz:7: error: [json] at byte 17 of the line: unterminated string
public struct JSONLinesError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The line is not strict JSON.
        case syntax(JSONParseError)
        /// The line is JSON but does not match the record type.
        case schema(RecordDecodingError)
    }

    public var path: String
    public var line: Int
    public var kind: Kind

    public init(path: String, line: Int, kind: Kind) {
        self.path = path
        self.line = line
        self.kind = kind
    }

    /// The error as a diagnostic: rule `schema` with the field path, or rule `json`.
    public var diagnostic: Diagnostic {
        switch kind {
        case .syntax(let error):
            Diagnostic(path: path, line: line, severity: .error, rule: "json", message: "\(error.description) of the line")
        case .schema(let error):
            Diagnostic(path: path, line: line, severity: .error, rule: "schema", message: error.description)
        }
    }

    public var description: String { diagnostic.description }

    /// Decodes one line, turning the decoder's errors into `JSONLinesError`s at `path:line`.
    static func decode<Record: Decodable>(
        _ type: Record.Type, from bytes: UnsafeRawBufferPointer, path: String, line: Int, decoder: RecordDecoder
    ) throws -> Record {
        do {
            return try decoder.decode(type, from: bytes)
        } catch let error as RecordDecodingError {
            throw JSONLinesError(path: path, line: line, kind: .schema(error))
        } catch let error as JSONParseError {
            throw JSONLinesError(path: path, line: line, kind: .syntax(error))
        } catch {
            // A type's own init(from:) threw something the decoder did not translate.
            throw JSONLinesError(path: path, line: line, kind: .schema(RecordDecodingError(path: "", message: "\(error)")))
        }
    }
}
