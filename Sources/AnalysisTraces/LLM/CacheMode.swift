/// How the response cache is used (`LLM_CACHE`, `--llm-cache`).
public enum CacheMode: String, Sendable, CaseIterable {
    /// Answer from the cache when it can, call the server otherwise and store the answer. The default.
    case readWrite = "read-write"
    /// Answer from the cache when it can, call the server otherwise; store nothing.
    case readOnly = "read-only"
    /// Always call the server and store every answer (refreshes the cache).
    case writeOnly = "write-only"
    /// Neither read nor write the cache.
    case off
    /// Offline replay: answer only from the cache; a miss is ``LLMError/cacheMiss(key:)`` and the
    /// network is never used (no base URL or key needed).
    case replay

    /// Whether lookups are made.
    public var reads: Bool { self == .readWrite || self == .readOnly || self == .replay }
    /// Whether server answers are stored.
    public var writes: Bool { self == .readWrite || self == .writeOnly }
    /// Whether a miss may go to the server.
    public var usesNetwork: Bool { self != .replay }
}
