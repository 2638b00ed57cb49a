import AnalysisTraces
import Foundation
import Logging
import LoopbackServers
import Testing

/// A loopback stand-in for Kaggle: the RPC API on one server (Basic auth, `{"code","message"}`
/// errors, a 403 sent with HTTP 200) redirecting downloads to signed URLs on a second server,
/// which serves files like Google Cloud Storage (ranges, ETag).
struct FakeKaggle {
    static let username = "example-user"
    static let key = "0123456789abcdef"
    static let authorization = "Basic " + Data("\(username):\(key)".utf8).base64EncodedString()
    static let table = Array((["species,mass,island"] + (1...60).map { "s\($0 % 3),\(3000 + $0 * 7),i\($0 % 2)" }).joined(separator: "\n").utf8)

    static func api(storage: String) -> LoopbackHTTPServer.Handler {
        { request in
            guard request.headers["authorization"] == authorization else {
                return .json(.object([("code", .int(401)), ("message", .string("Unauthenticated"))]), status: 401)
            }
            let body = (try? JSONParser.parse(request.body)) ?? .null
            guard case .string(let owner)? = body["ownerSlug"] ?? .string("example-owner"), case .string(let slug)? = body["datasetSlug"] ?? .string("") else {
                return .json(.object([("code", .int(400)), ("message", .string("bad request"))]), status: 400)
            }
            let method = request.path.split(separator: "/").last.map(String.init) ?? ""
            if method == "ListDatasets" {
                return .json(.object([("datasets", .array([.object([
                    ("ref", .string("example-owner/titanic-sample")), ("title", .string("Titanic Sample")),
                    ("totalBytes", .int(61194)), ("licenseName", .string("CC0: Public Domain")),
                    ("voteCount", .int(905)), ("usabilityRating", .double(0.88235295)),
                ])])), ("nextPageToken", .string(""))]))
            }
            if slug == "private-one" {
                return .json(.object([("code", .int(403)), ("message", .string("Permission 'datasets.get' was denied"))]), status: 200)
            }
            guard owner == "example-owner", slug == "titanic-sample" else {
                return .json(.object([("code", .int(404)), ("message", .string("Not found"))]), status: 404)
            }
            switch method {
            case "GetDataset":
                return .json(.object([
                    ("ref", .string("example-owner/titanic-sample")), ("title", .string("Titanic Sample")),
                    ("subtitle", .string("Passenger manifest")), ("totalBytes", .string("\(table.count)")),
                    ("licenseName", .string("CC0: Public Domain")), ("currentVersionNumber", .int(3)),
                ]))
            case "GetDatasetMetadata":
                return .json(.object([("info", .object([
                    ("title", .string("Titanic Sample")), ("subtitle", .string("Passenger manifest")),
                    ("description", .string("## About\nA sample.")), ("licenses", .array([.object([("name", .string("CC0-1.0"))])])),
                ])), ("errorMessage", .null)]))
            case "ListDatasetFiles":
                return .json(.object([("datasetFiles", .array([.object([("name", .string("train.csv")), ("totalBytes", .int(Int64(table.count)))])])), ("nextPageToken", .string(""))]))
            case "DownloadDataset":
                if case .string(let file)? = body["fileName"] {
                    return .redirect(to: "\(storage)/kaggle-data-sets/1/2/\(file)?X-Goog-Expires=259200&X-Goog-Signature=ab")
                }
                return .redirect(to: "\(storage)/kaggle-data-sets/1/2/bundle/archive.csv?X-Goog-Expires=259200&X-Goog-Signature=ab")
            default:
                return .json(.object([("code", .int(404)), ("message", .string("no method"))]), status: 404)
            }
        }
    }

    static let storage: LoopbackHTTPServer.Handler = { request in
        .file(table, for: request, contentType: "text/csv", etag: "\"6b1f\"", lastModified: "Mon, 27 May 2024 13:13:07 GMT")
    }

    /// Runs `body` with both servers and a client using good credentials.
    static func with(_ body: (KaggleClient, LoopbackHTTPServer, LoopbackHTTPServer) async throws -> Void) async throws {
        try await withLoopbackHTTPServer(handler: storage) { storageServer in
            try await withLoopbackHTTPServer(handler: api(storage: storageServer.baseURL)) { apiServer in
                let fetcher = HTTPFetcher(policy: HTTPFetcherTests.policy(), clock: VirtualClock().clock, logger: Logger(label: "test"))
                let client = KaggleClient(
                    baseURL: apiServer.baseURL + "/v1",
                    credentials: KaggleCredentials(scheme: .basic(username: username, key: key), origin: "test"), fetcher: fetcher)
                do {
                    try await body(client, apiServer, storageServer)
                } catch {
                    await fetcher.shutdown()
                    throw error
                }
                await fetcher.shutdown()
            }
        }
    }
}

@Suite("Kaggle client against a loopback Kaggle", .timeLimit(.minutes(10)))
struct KaggleClientTests {
    @Test("metadata: title, subtitle, description, licences, version and size")
    func info() async throws {
        try await FakeKaggle.with { client, api, _ in
            let info = try await client.info(KaggleReference(owner: "example-owner", slug: "titanic-sample"))
            #expect(info.title == "Titanic Sample" && info.subtitle == "Passenger manifest")
            #expect(info.description.hasPrefix("## About"))
            #expect(info.licenses == ["CC0-1.0"])
            #expect(info.currentVersion == 3 && info.totalBytes == FakeKaggle.table.count)
            let requests = await api.requests()
            #expect(requests.map(\.path) == ["/v1/datasets.DatasetApiService/GetDataset", "/v1/datasets.DatasetApiService/GetDatasetMetadata"])
            #expect(requests.allSatisfy { $0.method == "POST" && $0.headers["content-type"] == "application/json" })
            #expect(requests[0].bodyText == #"{"ownerSlug":"example-owner","datasetSlug":"titanic-sample"}"#)
        }
    }

    @Test("a download follows the redirect to the signed URL without sending the credentials there")
    func download() async throws {
        try await FakeKaggle.with { client, api, storage in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("kaggle-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let file = try await client.download(KaggleReference(owner: "example-owner", slug: "titanic-sample", version: 3, file: "train.csv"), to: path)
            #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == FakeKaggle.table)
            #expect(file.finalURL.contains("/kaggle-data-sets/1/2/train.csv?X-Goog-Expires"))
            let apiRequests = await api.requests()
            #expect(apiRequests.last?.bodyText == #"{"ownerSlug":"example-owner","datasetSlug":"titanic-sample","fileName":"train.csv","datasetVersionNumber":3}"#)
            let storageRequests = await storage.requests()
            #expect(storageRequests.count == 1)
            #expect(storageRequests[0].method == "GET")
            #expect(storageRequests[0].headers["authorization"] == nil)
        }
    }

    @Test("not found, access refused (a 403 inside an HTTP 200) and bad credentials have clear messages")
    func errors() async throws {
        try await FakeKaggle.with { client, _, _ in
            do {
                _ = try await client.info(KaggleReference(owner: "example-owner", slug: "nope"))
                Issue.record("expected not found")
            } catch let error as DownloadError {
                #expect(error.kind == .notFound && error.message.contains("check the spelling"))
            }
            do {
                _ = try await client.info(KaggleReference(owner: "example-owner", slug: "private-one"))
                Issue.record("expected forbidden")
            } catch let error as DownloadError {
                #expect(error.kind == .forbidden && error.message.contains("terms must be accepted"))
            }
            var wrong = client
            wrong.credentials = KaggleCredentials(scheme: .basic(username: "x", key: "y"), origin: "~/.kaggle/kaggle.json")
            do {
                _ = try await wrong.info(KaggleReference(owner: "example-owner", slug: "titanic-sample"))
                Issue.record("expected unauthorized")
            } catch let error as DownloadError {
                #expect(error.kind == .unauthorized && error.message.contains("~/.kaggle/kaggle.json"))
            }
        }
    }

    @Test("search sends the official request fields and prints source-list lines")
    func search() async throws {
        try await FakeKaggle.with { client, api, _ in
            let results = try await client.search(KaggleSearchQuery(search: "titanic", maxSize: 50_000_000))
            #expect(results.map(\.sourceListLine) == ["example-owner/titanic-sample  # Titanic Sample — 61 KB, CC0: Public Domain, 905 votes, usability 0.88"])
            let body = await api.requests().last?.bodyText ?? ""
            #expect(body == #"{"sortBy":"DATASET_SORT_BY_VOTES","fileType":"DATASET_FILE_TYPE_GROUP_CSV","tagIds":"","search":"titanic","user":"","maxSize":50000000,"page":1,"pageToken":"","pageSize":20}"#)
        }
    }
}

@Suite("download stage: Kaggle, URLs and local files into dataset folders", .timeLimit(.minutes(10)))
struct DownloadStageTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("download-stage-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func options(_ output: String, base: String = "http://127.0.0.1:1/v1", environment: [String: String], force: Bool = false) -> DownloadOptions {
        DownloadOptions(outputDirectory: output, force: force, http: HTTPFetcherTests.policy(), kaggleBaseURL: base,
                        environment: environment, home: output + "/home")
    }

    static let credentials = ["KAGGLE_USERNAME": FakeKaggle.username, "KAGGLE_KEY": FakeKaggle.key]

    static func items(_ entries: String...) throws -> [SourceList.Item] {
        try entries.map { SourceList.Item(entry: try SourceEntry.parse($0), location: $0) }
    }

    @Test("without credentials Kaggle entries are skipped with one line each and the others proceed")
    func skipped() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let csv = root + "/sales.csv"
        try Data(FakeKaggle.table).write(to: URL(fileURLWithPath: csv))
        let results = await DownloadStage(options: Self.options(root + "/out", environment: [:]))
            .run(try Self.items("example-owner/titanic-sample", csv, "other/thing"), logger: Logger(label: "test"))
        #expect(results.map(\.id) == ["example-owner__titanic-sample", "sales", "other__thing"])
        #expect(results[0].outcome == .skipped(KaggleCredentials.missingMessage))
        #expect(results[2].outcome == .skipped(KaggleCredentials.missingMessage))
        #expect(results[1].outcome == .written)
        let folder = try DatasetFolder(path: root + "/out/sales")
        #expect(folder.record.source == DatasetSource(kind: .local, ref: csv, version: nil, file: "sales.csv"))
        #expect(folder.record.license == DatasetLicense(spdx: nil, name: "unknown", url: nil))
        #expect(folder.record.rows == 60 && folder.record.columns == ["species", "mass", "island"])
    }

    @Test("a Kaggle dataset becomes owner__slug with its metadata, licence, version and hash")
    func kaggle() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await withLoopbackHTTPServer(handler: FakeKaggle.storage) { storage in
            try await withLoopbackHTTPServer(handler: FakeKaggle.api(storage: storage.baseURL)) { api in
                let stage = DownloadStage(options: Self.options(root, base: api.baseURL + "/v1", environment: Self.credentials))
                let results = await stage.run(try Self.items("example-owner/titanic-sample:train.csv", "example-owner/missing"), logger: Logger(label: "test"))
                #expect(results[0].outcome == .written)
                guard case .failed(let error) = results[1].outcome else { Issue.record("expected a failure"); return }
                #expect(error.kind == .notFound)
                let folder = try DatasetFolder(path: root + "/example-owner__titanic-sample__train")
                let record = folder.record
                #expect(record.title == "Titanic Sample")
                #expect(record.description == "Passenger manifest\n\n## About\nA sample.")
                #expect(record.source == DatasetSource(kind: .kaggle, ref: "example-owner/titanic-sample", version: "3", file: "train.csv"))
                #expect(record.license.spdx == "CC0-1.0" && record.license.name == "CC0-1.0")
                #expect(record.sha256 == SHA256Hex.of([UInt8](FileManager.default.contents(atPath: folder.csvPath) ?? Data())))
                #expect(record.loader.delimiter == "," && record.loader.encoding == "utf-8")
                let runLog = try #require(results[0].runLog)
                #expect(runLog.path == root + "/example-owner__titanic-sample__train/download.run.json")
                #expect(runLog.source?.sourceFile == "train.csv" && runLog.source?.detectedDelimiter == ",")
                #expect(runLog.counters["downloaded_bytes"] ?? 0 > 0)
                #expect(results[1].runLog == nil, "a failed entry has no dataset folder to hold a run log")
            }
        }
    }

    @Test("a URL is downloaded, and a second download of the same content leaves the folder untouched")
    func urlAndNoOp() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let semicolons = Array(String(decoding: FakeKaggle.table, as: UTF8.self).replacingOccurrences(of: ",", with: ";").utf8)
        try await withLoopbackHTTPServer(handler: { request in
            request.path == "/old.csv" ? .redirect(to: "/data/Penguin%20Sizes.csv") : .chunked(semicolons, chunkSize: 256)
        }) { server in
            let entry = server.baseURL + "/old.csv"
            let first = await DownloadStage(options: Self.options(root, environment: [:])).run(try Self.items(entry), logger: Logger(label: "test"))
            #expect(first.map(\.id) == ["old"])
            #expect(first[0].outcome == .written)
            let folder = try DatasetFolder(path: root + "/old")
            #expect(folder.record.source.kind == .url && folder.record.source.ref == entry)
            let before = try FileManager.default.attributesOfItem(atPath: folder.recordPath)[.modificationDate] as? Date
            let present = await DownloadStage(options: Self.options(root, environment: [:])).run(try Self.items(entry), logger: Logger(label: "test"))
            #expect(present[0].outcome == .present)
            let again = await DownloadStage(options: Self.options(root, environment: [:], force: true)).run(try Self.items(entry), logger: Logger(label: "test"))
            #expect(again[0].outcome == .unchanged)
            let after = try FileManager.default.attributesOfItem(atPath: folder.recordPath)[.modificationDate] as? Date
            #expect(before == after)
            #expect(try DatasetFolder(path: root + "/old").record == folder.record)
        }
    }

    @Test("an HTML page, a 404 and a table too small fail their entry with a reason; nothing is published")
    func failures() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await withLoopbackHTTPServer(handler: { request in
            switch request.path {
            case "/page.csv": LoopbackResponse(headers: ["Content-Type": "text/html"], body: Array("<html></html>".utf8))
            case "/small.csv": .text("a,b\n1,2\n3,4\n")
            default: .text("missing", status: 404)
            }
        }) { server in
            let results = await DownloadStage(options: Self.options(root, environment: [:]))
                .run(try Self.items(server.baseURL + "/page.csv", server.baseURL + "/gone.csv", server.baseURL + "/small.csv"), logger: Logger(label: "test"))
            let kinds = results.map { result -> DownloadError.Kind? in if case .failed(let error) = result.outcome { error.kind } else { nil } }
            #expect(kinds == [.html, .notFound, .notATable])
            let left = try FileManager.default.contentsOfDirectory(atPath: root)
            #expect(left.isEmpty)
        }
    }

    @Test("an entry whose id is taken by another source's dataset is refused")
    func collision() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = root + "/a/sales.csv", b = root + "/b/sales.csv"
        for path in [a, b] {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(FakeKaggle.table).write(to: URL(fileURLWithPath: path))
        }
        let results = await DownloadStage(options: Self.options(root + "/out", environment: [:])).run(try Self.items(a, b), logger: Logger(label: "test"))
        #expect(results[0].outcome == .written)
        guard case .failed(let error) = results[1].outcome else { Issue.record("expected a refusal"); return }
        #expect(error.kind == .output && error.message.contains("already holds"))
    }
}
