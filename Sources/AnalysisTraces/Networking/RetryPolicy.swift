import Foundation

/// When and how long to wait before trying a failed HTTP request again: the one policy of the
/// LLM client and of `download`'s fetcher.
///
/// Retried: HTTP 408, 429 (except OpenAI's `insufficient_quota`, which waiting never fixes) and
/// every 5xx but 501 and 505 (a server that cannot do the request at all); a timeout; a
/// connection that failed or dropped, including a body cut short by a dropped connection. Not
/// retried: any other status. The wait before attempt `n + 1` is the server's `Retry-After`
/// (seconds or an HTTP date; `retry-after-ms` too), capped at ``maxRetryAfter``, else
/// exponential backoff with full jitter: a uniform draw from `[0, min(cap, base × 2^(n−1))]`.
/// Waits go through a ``WaitClock`` and draws through a ``RetryJitter``, both injectable, so
/// tests of retries never sleep.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var base: Duration
    public var cap: Duration
    /// The longest wait a `Retry-After` header can ask for.
    public var maxRetryAfter: Duration

    /// The LLM client's defaults (`LLM_MAX_ATTEMPTS` sets the attempts): 6 attempts, backoff
    /// from 0.5 s up to 30 s, `Retry-After` honoured up to 2 minutes.
    public init(maxAttempts: Int = 6, base: Duration = .milliseconds(500), cap: Duration = .seconds(30), maxRetryAfter: Duration = .seconds(120)) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
        self.maxRetryAfter = maxRetryAfter
    }

    /// Whether a response with `status` (and this error message) is worth another attempt.
    public static func isRetryable(status: Int, message: String = "") -> Bool {
        switch status {
        case 429: !message.contains("insufficient_quota") && !message.contains("exceeded your current quota")
        case 408: true
        case 501, 505: false
        case 500..<600: true
        default: false
        }
    }

    /// The full-jitter backoff after failed attempt `attempt` (1-based); `random` is uniform in [0, 1).
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(cap, base * (1 << exponent))
        return ceiling * min(max(random, 0), 1)
    }

    /// The wait a response's headers ask for (`retry-after-ms`, then `Retry-After` as seconds or
    /// an HTTP date relative to `now`), capped at ``maxRetryAfter``; nil when there is none or it
    /// cannot be read.
    public func retryAfter(milliseconds: String?, header: String?, now: Date) -> Duration? {
        if let text = milliseconds?.trimmingCharacters(in: .whitespaces), let ms = Double(text), ms.isFinite, ms >= 0 {
            return min(.milliseconds(Int64(ms.rounded())), maxRetryAfter)
        }
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite {
            return min(.milliseconds(Int64((max(seconds, 0) * 1000).rounded())), maxRetryAfter)
        }
        guard let date = Self.httpDate(text) else { return nil }
        let seconds = max(date.timeIntervalSince(now), 0)
        return min(.milliseconds(Int64((seconds * 1000).rounded())), maxRetryAfter)
    }

    /// The wait after failed attempt `attempt`: what the server asked for, else the backoff
    /// with a draw from `jitter`; `serverAsked` says which.
    public func wait(afterAttempt attempt: Int, retryAfter: Duration?, jitter: RetryJitter) -> (duration: Duration, serverAsked: Bool) {
        if let retryAfter { return (retryAfter, true) }
        return (backoff(afterAttempt: attempt, random: jitter.next()), false)
    }

    /// Waits on `clock` after failed attempt `attempt` for ``wait(afterAttempt:retryAfter:jitter:)``,
    /// first handing the wait to `announce` (for the client's log line).
    /// - Throws: `CancellationError` when the task is cancelled during the wait.
    public func pause(
        afterAttempt attempt: Int, retryAfter: Duration?, clock: WaitClock, jitter: RetryJitter,
        announce: (_ wait: Duration, _ serverAsked: Bool) -> Void
    ) async throws(CancellationError) {
        let wait = wait(afterAttempt: attempt, retryAfter: retryAfter, jitter: jitter)
        announce(wait.duration, wait.serverAsked)
        do {
            try await clock.sleep(wait.duration)
        } catch {
            throw CancellationError()
        }
    }

    /// Parses an HTTP date (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete
    /// RFC 850 and asctime forms).
    static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
