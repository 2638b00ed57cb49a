import Foundation
import Logging

/// The on-disk response cache: every answer the server gave, keyed by the exact request, so a
/// rerun after a crash never pays twice and a run can be replayed offline.
///
/// **Key**: SHA-256 (hex) of the canonical JSON of `{"request": <body>, "sample": <index>}`,
/// where `<body>` is ``ChatRequestBody/json(_:)`` — model, messages, sampling, extra body — and
/// the sample index tells repeated draws apart even without a seed. The base URL and the API key
/// are not part of the key: the same model asked the same thing through another host (a proxy,
/// a mirror, another vLLM replica) is the same call, and a key must never depend on a secret.
///
/// **Layout**: `<directory>/<first 2 hex digits>/<key>.json`, an indented JSON object for
/// reading with `jq`: `schema_version`, `key`, `sample`, `request` (the body sent), `response`
/// (the server's body as JSON, members in the server's order) and `usage` (as parsed, with the
/// cost at the time of the call). Entries carry no timestamps, so two processes that store the
/// same answer write identical bytes.
///
/// **Writes** are atomic (a temporary file in the same folder, then a rename): readers see a
/// whole entry or none, and concurrent writers of one key — tasks or processes — leave one whole
/// entry (the last rename wins). A write that fails is logged and the call still succeeds.
///
/// **Reads**: an entry that cannot be read, parsed, or whose key or request does not match, is
/// ignored with a warning (a miss) and overwritten by the next store. A hit returns the stored
/// completion with `cacheHit: true` and the original call's usage and cost.
public struct ResponseCache: Sendable {
    public static let schemaVersion = 1

    public let directory: String
    public let mode: CacheMode
    private let logger: Logger

    public init(directory: String, mode: CacheMode, logger: Logger) {
        self.directory = directory
        self.mode = mode
        self.logger = logger
    }

    /// The value whose canonical JSON is hashed into the key.
    public static func keyInput(for request: ChatRequest) -> JSONValue {
        .object([
            (key: "request", value: ChatRequestBody.json(request)),
            (key: "sample", value: .int(Int64(request.sample))),
        ])
    }

    /// The cache key of `request`: 64 lower-case hex digits.
    public static func key(for request: ChatRequest) -> String {
        CanonicalJSON.sha256(keyInput(for: request))
    }

    /// Where the entry of `key` lives.
    public func path(forKey key: String) -> String {
        "\(directory)/\(key.prefix(2))/\(key).json"
    }

    /// The cached completion of `request`, or nil on a miss (always nil when the mode does not read).
    public func lookup(_ request: ChatRequest) -> ChatCompletion? {
        guard mode.reads else { return nil }
        let key = Self.key(for: request)
        let path = path(forKey: key)
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                logger.warning("Ignoring a cache entry that cannot be read.", metadata: ["path": "\(path)"])
            }
            return nil
        }
        do throws(CacheEntryError) {
            return try Self.completion(fromEntry: Array(data), key: key, request: request)
        } catch {
            logger.warning("Ignoring a corrupt cache entry; it will be replaced.", metadata: ["path": "\(path)", "reason": "\(error.reason)"])
            return nil
        }
    }

    /// Stores the server's answer to `request` (nothing when the mode does not write).
    /// `responseBody` is the body as received; `completion` its parsed form with the cost.
    public func store(_ request: ChatRequest, responseBody: [UInt8], completion: ChatCompletion) {
        guard mode.writes else { return }
        let key = Self.key(for: request)
        let path = path(forKey: key)
        let start = ChatResponseParser.contentStart(of: responseBody)
        guard let response = try? JSONParser.parse(Array(responseBody[start...])) else {
            logger.warning("Not caching a response that is not JSON.", metadata: ["key": "\(key)"])
            return
        }
        var usage = completion.usage
        usage.calls = 1
        let entry: JSONValue
        do {
            entry = .object([
                (key: "schema_version", value: .int(Int64(Self.schemaVersion))),
                (key: "key", value: .string(key)),
                (key: "sample", value: .int(Int64(request.sample))),
                (key: "request", value: ChatRequestBody.json(request)),
                (key: "response", value: response),
                (key: "usage", value: try RecordEncoder().encodeValue(usage)),
            ])
        } catch {
            logger.warning("Not caching a response whose usage cannot be encoded.", metadata: ["key": "\(key)", "error": "\(error)"])
            return
        }
        var bytes = JSONWriter.prettyBytes(entry)
        bytes.append(UInt8(ascii: "\n"))
        do {
            try FileManager.default.createDirectory(
                atPath: POSIXFile.directoryName(of: path), withIntermediateDirectories: true)
            try AtomicFile.write(to: path) { file in
                try bytes.withUnsafeBytes { try POSIXFile.writeAll(file.fileDescriptor, $0, path: file.temporaryPath) }
            }
        } catch {
            logger.warning("Could not write a cache entry; the call is not cached.", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    struct CacheEntryError: Error {
        var reason: String
    }

    /// The completion stored in an entry, checked against the key and request it should hold.
    static func completion(fromEntry bytes: [UInt8], key: String, request: ChatRequest) throws(CacheEntryError) -> ChatCompletion {
        let entry: JSONValue
        do {
            entry = try JSONParser.parse(bytes)
        } catch {
            throw CacheEntryError(reason: "not valid JSON (\(error))")
        }
        guard case .int(Int64(schemaVersion))? = entry["schema_version"] else {
            throw CacheEntryError(reason: "'schema_version' is not \(schemaVersion)")
        }
        guard case .string(key)? = entry["key"] else {
            throw CacheEntryError(reason: "'key' does not match the file name")
        }
        guard let stored = entry["request"], CanonicalJSON.bytes(stored) == CanonicalJSON.bytes(ChatRequestBody.json(request)) else {
            throw CacheEntryError(reason: "'request' is not the request this key stands for")
        }
        guard let response = entry["response"] else {
            throw CacheEntryError(reason: "'response' is missing")
        }
        var completion: ChatCompletion
        do {
            completion = try ChatResponseParser.parse(JSONWriter.bytes(response))
        } catch {
            throw CacheEntryError(reason: "'response' is not a usable completion: \(error)")
        }
        guard let usageValue = entry["usage"], let usage = try? RecordDecoder().decode(Usage.self, from: usageValue) else {
            throw CacheEntryError(reason: "'usage' is missing or malformed")
        }
        completion.usage = usage
        completion.cacheHit = true
        return completion
    }
}
