/// Why one source could not be downloaded: what went wrong, in words a user can act on.
///
/// Printed compiler-style, `<source>: error: [<kind>] <message>`, where `<source>` is the entry
/// as written in the source list (with its file and line when it came from one). The `kind`
/// also names the failure in the summary and the run log.
public struct DownloadError: DiagnosticError, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A source list entry that is not a Kaggle ref, an `https://` URL or a local path.
        case invalidSource = "invalid-source"
        /// No Kaggle credentials (the entry is skipped, not failed).
        case credentials
        /// The server rejected the credentials (HTTP 401).
        case unauthorized
        /// HTTP 403: a private dataset, terms not accepted, or a signed URL that expired.
        case forbidden
        /// HTTP 404 or a Kaggle `{"code": 404}` body; a missing local file; a file not in the dataset.
        case notFound = "not-found"
        /// Larger than the size limit (declared by the server or counted while downloading).
        case tooLarge = "too-large"
        /// The server sent a web page where a data file was expected.
        case html
        /// 429 until the attempts ran out.
        case rateLimited = "rate-limited"
        /// Any other HTTP status, or a malformed API response.
        case http
        /// Connection refused, reset or timed out until the attempts ran out.
        case network
        /// The body ended before its declared length on every attempt.
        case truncated
        /// More redirects than allowed, or a redirect loop.
        case redirect
        /// The bytes are not a table the pipeline can use (`TableRejection`).
        case notATable = "not-a-table"
        /// The output folder could not be written, or already holds another source's dataset.
        case output
        /// The run was interrupted.
        case cancelled
    }

    public var kind: Kind
    /// What was being fetched: the entry, a URL or a path.
    public var source: String
    public var message: String

    public init(_ kind: Kind, source: String, _ message: String) {
        self.kind = kind
        self.source = source
        self.message = message
    }

    public var diagnosticLocation: String? { source }
    public var diagnosticRule: String? { kind.rawValue }
    public var diagnosticMessage: String { message }

    /// The same error reported against another source name (an entry's file and line).
    public func reported(as source: String) -> DownloadError {
        DownloadError(kind, source: source, message)
    }
}
