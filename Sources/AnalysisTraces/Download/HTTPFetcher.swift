#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// HTTP for `download`, on one shared AsyncHTTPClient: API calls whose answers fit in memory,
/// and file downloads streamed to disk.
///
/// Rules (each covered by a test against a loopback server):
/// - Redirects are followed up to `policy.maxRedirects` (301/302/303 turn a POST into a GET;
///   `Authorization` is not sent to another origin, e.g. a signed storage URL); a loop or too
///   many redirects is a `.redirect` error.
/// - A body larger than `policy.maxBytes` is refused from its `Content-Length` before it is
///   read, and aborted when the bytes counted pass the limit (a missing `Content-Length` is
///   fine).
/// - An answer ``RetryPolicy`` retries (408, 429, most 5xx), a refused or dropped connection
///   and a body shorter than its `Content-Length` are retried, up to `policy.retry.maxAttempts`
///   requests in all, after the `Retry-After` the server sent or the policy's backoff, waited
///   on the injected ``WaitClock``. A
///   truncated body is resumed with `Range: bytes=<n>-` (and `If-Range`) at the final URL when
///   the server sent `Accept-Ranges: bytes` and an `ETag` or `Last-Modified`; a 206 answer is
///   appended, a 200 restarts the file, a 416 restarts without `Range`.
/// - 401, 403 and 404 fail at once with their kind; a `text/html` answer or a body starting
///   like an HTML page, where a data file was expected, fails as `.html`.
public final class HTTPFetcher: Sendable {
    public let policy: HTTPFetchPolicy
    private let client: HTTPClient
    private let clock: WaitClock
    private let jitter: RetryJitter
    private let wallClock: @Sendable () -> Date
    private let logger: Logger

    /// A fetcher with its own connection pool.
    /// - Parameters:
    ///   - clock: time for the waits between attempts (tests pass one that does not wait).
    ///   - jitter: the random source of backoff jitter.
    ///   - wallClock: the current date, to read `Retry-After` dates.
    public init(
        policy: HTTPFetchPolicy = HTTPFetchPolicy(), clock: WaitClock = .system, jitter: RetryJitter = RetryJitter(),
        wallClock: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        self.policy = policy
        self.clock = clock
        self.jitter = jitter
        self.wallClock = wallClock
        self.logger = logger
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .follow(max: policy.maxRedirects, allowCycles: false)
        configuration.timeout = .init(connect: Self.amount(policy.connectTimeout), read: Self.amount(policy.readTimeout))
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Closes the connections. Call once, when done with the fetcher.
    public func shutdown() async {
        try? await client.shutdown()
    }

    // MARK: - API calls

    /// Performs `request` and returns the body of a 2xx answer (at most `limit` bytes), with
    /// retries on 429/5xx and network errors. Any other status is an error whose message
    /// includes the server's own (`{"message": ...}` or the start of the body).
    public func call(_ request: HTTPFetchRequest, limit: Int = 32 << 20) async throws(DownloadError) -> [UInt8] {
        var attempt = 0
        while true {
            attempt += 1
            let response: HTTPClientResponse
            do {
                response = try await client.execute(makeRequest(request), deadline: .now() + .minutes(10), logger: logger)
            } catch {
                let failure = classify(error, url: request.url)
                guard failure.kind == .network, attempt < policy.retry.maxAttempts else { throw final(failure, attempts: attempt) }
                try await pause(afterAttempt: attempt, retryAfter: nil, reason: failure)
                continue
            }
            let status = Int(response.status.code)
            let body: [UInt8]
            do {
                body = Array(buffer: try await response.body.collect(upTo: limit))
            } catch {
                let failure = classify(error, url: request.url, limit: limit)
                guard failure.kind == .network, attempt < policy.retry.maxAttempts else { throw final(failure, attempts: attempt) }
                try await pause(afterAttempt: attempt, retryAfter: nil, reason: failure)
                continue
            }
            let apiStatus = request.apiErrors ? Self.apiErrorCode(body, headers: response.headers) : nil
            let effective = apiStatus ?? status
            if (200..<300).contains(effective) { return body }
            let failure = Self.statusError(effective, url: request.url, body: body, headers: response.headers)
            if RetryPolicy.isRetryable(status: effective), attempt < policy.retry.maxAttempts {
                try await pause(afterAttempt: attempt, retryAfter: serverWait(response.headers), reason: failure)
                continue
            }
            throw final(failure, attempts: attempt)
        }
    }

    // MARK: - Downloads

    /// Where a truncated body can be continued.
    private struct ResumePoint {
        var url: String
        var validator: String
    }

    /// How one attempt ended, when it did not finish the file.
    private enum AttemptEnd {
        case finished(finalURL: String, contentType: String?)
        case retry(DownloadError, retryAfter: Duration?, resume: ResumePoint?)
    }

    /// Streams the body of `request` to `path` (created or truncated), following the rules
    /// above. On error the file may hold a partial body; the caller removes it.
    public func download(_ request: HTTPFetchRequest, to path: String) async throws(DownloadError) -> FetchedFile {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DownloadError(.output, source: request.url, "cannot create '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { _ = Glibc.close(descriptor) }
        var state = DownloadState(descriptor: descriptor, path: path)
        var resume: ResumePoint?
        var attempt = 0
        var resumes = 0
        while true {
            attempt += 1
            if resume != nil, state.written > 0 { resumes += 1 }
            let end = try await attemptDownload(request, resume: resume, state: &state)
            switch end {
            case .finished(let finalURL, let contentType):
                return FetchedFile(path: path, bytes: state.written, finalURL: finalURL, contentType: contentType, attempts: attempt, resumes: resumes)
            case .retry(let failure, let retryAfter, let next):
                guard attempt < policy.retry.maxAttempts else { throw final(failure, attempts: attempt) }
                resume = next
                try await pause(afterAttempt: attempt, retryAfter: retryAfter, reason: failure)
            }
        }
    }

    private struct DownloadState {
        let descriptor: Int32
        let path: String
        var written = 0

        mutating func restart() throws(DownloadError) {
            guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
                throw DownloadError(.output, source: path, "cannot truncate: \(String(cString: strerror(errno)))")
            }
            written = 0
        }

        mutating func append(_ buffer: ByteBuffer) throws(DownloadError) {
            let failed = buffer.withUnsafeReadableBytes { bytes -> Bool in
                do {
                    try POSIXFile.writeAll(descriptor, bytes, path: path)
                    return false
                } catch {
                    return true
                }
            }
            if failed { throw DownloadError(.output, source: path, "cannot write: \(String(cString: strerror(errno)))") }
            written += buffer.readableBytes
        }
    }

    private func attemptDownload(_ request: HTTPFetchRequest, resume: ResumePoint?, state: inout DownloadState) async throws(DownloadError) -> AttemptEnd {
        let resuming = resume != nil && state.written > 0
        var outgoing: HTTPClientRequest
        if let resume, resuming {
            outgoing = HTTPClientRequest(url: resume.url)
            outgoing.headers.add(name: "User-Agent", value: Self.userAgent)
            outgoing.headers.add(name: "Range", value: "bytes=\(state.written)-")
            outgoing.headers.add(name: "If-Range", value: resume.validator)
        } else {
            try state.restart()
            outgoing = makeRequest(request)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, deadline: .now() + .hours(6), logger: logger)
        } catch {
            let failure = classify(error, url: request.url)
            guard failure.kind == .network else { throw failure }
            return .retry(failure, retryAfter: nil, resume: resume)
        }
        let status = Int(response.status.code)
        let headers = response.headers
        let finalURL = response.url?.absoluteString ?? outgoing.url
        let contentType = headers.first(name: "content-type")

        var expectedTotal: Int?
        switch status {
        case 206 where resuming:
            guard let range = Self.contentRange(headers), range.start == state.written else {
                try state.restart()
                return .retry(DownloadError(.truncated, source: request.url, "the server answered the resume request with a range that does not continue the file"), retryAfter: nil, resume: nil)
            }
            expectedTotal = range.total
        case 200..<300:
            if resuming { try state.restart() }
            if let length = headers.first(name: "content-length").flatMap({ Int($0) }) { expectedTotal = length }
        case 416 where resuming:
            try state.restart()
            return .retry(DownloadError(.truncated, source: request.url, "the server refused to resume (HTTP 416)"), retryAfter: nil, resume: nil)
        default:
            let body = (try? await response.body.collect(upTo: 64 << 10)).map { Array(buffer: $0) } ?? []
            let effective = (request.apiErrors ? Self.apiErrorCode(body, headers: headers) : nil) ?? status
            let failure = Self.statusError(effective, url: request.url, body: body, headers: headers)
            guard RetryPolicy.isRetryable(status: effective) else { throw failure }
            return .retry(failure, retryAfter: serverWait(headers), resume: resume)
        }

        if !resuming {
            if let contentType, contentType.lowercased().contains("text/html") {
                throw DownloadError(.html, source: request.url, "the server sent a web page (Content-Type: \(contentType)) where a data file was expected; the link may need a login or point to a page rather than to the file itself")
            }
            if request.apiErrors, let contentType, contentType.lowercased().contains("application/json") {
                let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
                if let code = Self.apiErrorCode(body, headers: headers) {
                    throw Self.statusError(code, url: request.url, body: body, headers: headers)
                }
                throw DownloadError(.http, source: request.url, "expected a file, found a JSON message: \(Self.snippet(body))")
            }
        }
        if let expectedTotal, expectedTotal > policy.maxBytes {
            throw tooLarge(request.url, "the server declares \(expectedTotal) bytes")
        }

        let validator = headers.first(name: "etag") ?? headers.first(name: "last-modified")
        let resumable = headers.first(name: "accept-ranges")?.lowercased().contains("bytes") == true
        let nextResume = (resumable && validator != nil) ? ResumePoint(url: finalURL, validator: validator ?? "") : nil
        var sniffed = resuming
        do {
            for try await buffer in response.body {
                if state.written + buffer.readableBytes > policy.maxBytes {
                    throw tooLarge(request.url, "more than \(policy.maxBytes) bytes arrived")
                }
                if !sniffed {
                    sniffed = true
                    if Self.looksLikeHTML(buffer) {
                        throw DownloadError(.html, source: request.url, "the server sent an HTML page where a data file was expected; the link may need a login or point to a page rather than to the file itself")
                    }
                }
                try state.append(buffer)
            }
        } catch let failure as DownloadError {
            throw failure
        } catch {
            if Task.isCancelled { throw DownloadError(.cancelled, source: request.url, "interrupted") }
            let failure = DownloadError(.truncated, source: request.url, "the connection broke after \(state.written) bytes (\(Self.describe(error)))")
            return .retry(failure, retryAfter: nil, resume: nextResume)
        }
        if let expectedTotal, state.written != expectedTotal {
            let failure = DownloadError(.truncated, source: request.url, "the body ended after \(state.written) of \(expectedTotal) bytes")
            if state.written > expectedTotal { try state.restart() }
            return .retry(failure, retryAfter: nil, resume: nextResume)
        }
        return .finished(finalURL: finalURL, contentType: contentType)
    }

    // MARK: - Helpers

    static let userAgent = "analysis-traces-download/1"

    private func makeRequest(_ request: HTTPFetchRequest) -> HTTPClientRequest {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method == .post ? .POST : .GET
        outgoing.headers.add(name: "User-Agent", value: Self.userAgent)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(body) }
        return outgoing
    }

    private func tooLarge(_ url: String, _ detail: String) -> DownloadError {
        DownloadError(.tooLarge, source: url, "\(detail); the limit is \(policy.maxBytes) bytes")
    }

    private func final(_ failure: DownloadError, attempts: Int) -> DownloadError {
        guard attempts > 1 else { return failure }
        var copy = failure
        copy.message += " (gave up after \(attempts) attempts)"
        return copy
    }

    /// The wait the server asked for in `headers`, capped by the policy.
    private func serverWait(_ headers: HTTPHeaders) -> Duration? {
        policy.retry.retryAfter(
            milliseconds: headers.first(name: "retry-after-ms"), header: headers.first(name: "retry-after"), now: wallClock())
    }

    /// Waits after failed attempt `attempt`; a cancelled wait ends the download.
    private func pause(afterAttempt attempt: Int, retryAfter: Duration?, reason: DownloadError) async throws(DownloadError) {
        do {
            try await policy.retry.pause(afterAttempt: attempt, retryAfter: retryAfter, clock: clock, jitter: jitter) { wait, serverAsked in
                logger.info("retrying", metadata: [
                    "url": "\(reason.source)", "attempt": "\(attempt + 1)", "reason": "\(reason.kind.rawValue)",
                    "wait": "\(wait)", "retry_after": "\(serverAsked)",
                ])
            }
        } catch {
            throw DownloadError(.cancelled, source: reason.source, "interrupted")
        }
    }

    /// `code` of a JSON `{"code": n, "message": ...}` body when `n >= 400`.
    static func apiErrorCode(_ body: [UInt8], headers: HTTPHeaders) -> Int? {
        guard headers.first(name: "content-type")?.lowercased().contains("json") == true,
              let value = try? JSONParser.parse(body) else { return nil }
        let code: Int?
        switch value["code"] {
        case .int(let number): code = Int(number)
        case .string(let text): code = Int(text)
        default: code = nil
        }
        guard let code, code >= 400 else { return nil }
        return code
    }

    /// The error for an unsuccessful status, with the server's message.
    static func statusError(_ status: Int, url: String, body: [UInt8], headers: HTTPHeaders) -> DownloadError {
        var detail = ""
        if let value = try? JSONParser.parse(body), case .string(let message)? = value["message"] ?? value["error"] {
            detail = message
        } else if headers.first(name: "content-type")?.lowercased().contains("html") != true {
            detail = snippet(body)
        }
        let said = detail.isEmpty ? "" : ": \(detail)"
        switch status {
        case 401: return DownloadError(.unauthorized, source: url, "the server rejected the credentials (HTTP 401)\(said)")
        case 403: return DownloadError(.forbidden, source: url, "access denied (HTTP 403)\(said)")
        case 404, 410: return DownloadError(.notFound, source: url, "not found (HTTP \(status))\(said)")
        case 429: return DownloadError(.rateLimited, source: url, "rate limited (HTTP 429)\(said)")
        default: return DownloadError(.http, source: url, "HTTP \(status)\(said)")
        }
    }

    static func snippet(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return body.count > 200 ? text + "..." : text
    }

    static func looksLikeHTML(_ buffer: ByteBuffer) -> Bool {
        let head = buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, 512)) ?? []
        var text = String(decoding: head, as: UTF8.self).lowercased()
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = String(text.drop(while: { $0.isWhitespace }))
        return text.hasPrefix("<!doctype html") || text.hasPrefix("<html") || text.hasPrefix("<head")
    }

    /// `Content-Range: bytes <start>-<end>/<total>`.
    static func contentRange(_ headers: HTTPHeaders) -> (start: Int, total: Int?)? {
        guard let value = headers.first(name: "content-range"), value.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = value.dropFirst("bytes ".count)
        let parts = spec.split(separator: "/", maxSplits: 1)
        guard let range = parts.first, let dash = range.firstIndex(of: "-"), let start = Int(range[..<dash]) else { return nil }
        let total = parts.count == 2 ? Int(parts[1]) : nil
        return (start, total)
    }

    private func classify(_ error: any Error, url: String, limit: Int? = nil) -> DownloadError {
        if error is CancellationError || Task.isCancelled { return DownloadError(.cancelled, source: url, "interrupted") }
        if let client = error as? HTTPClientError {
            if client == .redirectLimitReached {
                return DownloadError(.redirect, source: url, "more than \(policy.maxRedirects) redirects")
            }
            if client == .redirectCycleDetected {
                return DownloadError(.redirect, source: url, "the redirects go round in a loop")
            }
            if client == .cancelled { return DownloadError(.cancelled, source: url, "interrupted") }
        }
        if let limit, error is NIOTooManyBytesError {
            return DownloadError(.http, source: url, "the answer is larger than \(limit) bytes")
        }
        return DownloadError(.network, source: url, Self.describe(error))
    }

    static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError { return client.description }
        return String(describing: error)
    }

    private static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
