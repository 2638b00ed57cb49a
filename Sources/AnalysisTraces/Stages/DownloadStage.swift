import Foundation
import Logging

/// Settings of one `download` run.
public struct DownloadOptions: Sendable {
    /// Where dataset folders go (`data/datasets`).
    public var outputDirectory: String
    /// Fetch entries whose dataset folder already exists (otherwise they are left as they are).
    public var force: Bool
    public var limits: TableLimits
    public var http: HTTPFetchPolicy
    /// Kaggle's API base URL (`KAGGLE_API_BASE` overrides the default).
    public var kaggleBaseURL: String
    /// The environment Kaggle credentials are read from.
    public var environment: [String: String]
    public var home: String

    public init(
        outputDirectory: String = "data/datasets", force: Bool = false, limits: TableLimits = TableLimits(),
        http: HTTPFetchPolicy = HTTPFetchPolicy(), kaggleBaseURL: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, home: String = NSHomeDirectory()
    ) {
        self.outputDirectory = outputDirectory
        self.force = force
        self.limits = limits
        self.http = http
        self.kaggleBaseURL = kaggleBaseURL ?? environment["KAGGLE_API_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? KaggleClient.defaultBaseURL
        self.environment = environment
        self.home = home
    }
}

/// What became of one entry.
public struct DownloadResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The dataset folder was created or replaced.
        case written
        /// Fetched again; same content, so nothing was touched.
        case unchanged
        /// The folder already existed and a refetch was not forced; nothing was fetched.
        case present
        /// Not attempted (a Kaggle entry without credentials); the message says why.
        case skipped(String)
        case failed(DownloadError)
    }

    public var item: SourceList.Item
    public var id: String
    public var outcome: Outcome
    /// The dataset folder's run log (`download.run.json`), for an entry that reached its table.
    public var runLog: StageReport.Entry?

    /// Failed entries are the only ones that make the command exit 1.
    public var failed: Bool {
        if case .failed = outcome { return true }
        return false
    }

    /// The outcome's name in logs and run logs.
    public var label: String {
        switch outcome {
        case .written: "written"
        case .unchanged: "unchanged"
        case .present: "present"
        case .skipped: "skipped"
        case .failed: "failed"
        }
    }
}

/// The `download` stage: fetches each entry in turn, normalises its table, and publishes
/// `data/datasets/<id>/` (see `DatasetPublisher`) with a `Dataset` record.
///
/// One entry failing never stops the others; each outcome is returned (and logged). Kaggle
/// entries are skipped with one line each when there are no credentials. Cancellation stops
/// after the entry in progress is abandoned (nothing half-written is published).
///
/// As a ``Stage`` (the `download` command), the entries are those of `sourceList` followed by
/// `entries`, narrowed to the one whose dataset id is `only` when it is set.
public struct DownloadStage: Stage {
    public static let name = "download"

    public var options: DownloadOptions
    /// A source list file (one entry per line, or a JSON list).
    public var sourceList: String?
    /// Entries given one by one (the command line).
    public var entries: [SourceEntry]
    /// Download only the entry whose dataset id is this.
    public var only: String?

    public init(options: DownloadOptions, sourceList: String? = nil, entries: [SourceEntry] = [], only: String? = nil) {
        self.options = options
        self.sourceList = sourceList
        self.entries = entries
        self.only = only
    }

    public var datasetLabel: String { only ?? "all" }
    public var outputLabel: String { options.outputDirectory }

    /// The entries of the source list and the command line, in that order, narrowed to `only`.
    public func items() throws -> [SourceList.Item] {
        var items = try sourceList.map { try SourceList.load(path: $0).items } ?? []
        items += entries.map { SourceList.Item(entry: $0, location: $0.description) }
        if let only {
            items = items.filter { DatasetIdentifier.make(for: $0.entry) == only }
            guard !items.isEmpty else {
                throw SourceListError(diagnostics: [Diagnostic(
                    path: sourceList ?? "the command line", line: nil, severity: .error, rule: "source",
                    message: "no entry gives the dataset id '\(only)'")])
            }
        }
        return items
    }

    /// Downloads every entry; entries that failed are the report's diagnostics and fail the run.
    /// An interrupted run throws `CancellationError`.
    public func execute(logger: Logger) async throws -> StageReport {
        let results = await run(try items(), logger: logger)
        if Task.isCancelled || results.contains(where: { if case .failed(let error) = $0.outcome { error.kind == .cancelled } else { false } }) {
            throw CancellationError()
        }
        let counts = Dictionary(grouping: results, by: \.label).mapValues(\.count)
        var failures: [String: Int] = [:]
        var diagnostics: [Diagnostic] = []
        for result in results {
            guard case .failed(let error) = result.outcome else { continue }
            failures[error.kind.rawValue, default: 0] += 1
            diagnostics.append(Diagnostic(path: error.source, line: nil, severity: .error, rule: error.kind.rawValue, message: error.message))
        }
        return StageReport(
            summary: "entries processed", metadata: counts.mapValues { "\($0)" }, diagnostics: diagnostics,
            runLogs: results.compactMap(\.runLog), failed: results.contains(where: \.failed))
    }

    public func run(_ items: [SourceList.Item], logger: Logger) async -> [DownloadResult] {
        let fetcher = HTTPFetcher(policy: options.http, logger: logger)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-traces-download-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        var results: [DownloadResult] = []
        var kaggle: KaggleAccess?
        for item in items {
            let id = DatasetIdentifier.make(for: item.entry)
            if Task.isCancelled {
                results.append(DownloadResult(item: item, id: id, outcome: .failed(DownloadError(.cancelled, source: item.location, "interrupted before it started"))))
                continue
            }
            let outcome: DownloadResult.Outcome
            var runLog: StageReport.Entry?
            do {
                (outcome, runLog) = try await process(item, id: id, fetcher: fetcher, scratch: scratch, kaggle: &kaggle, logger: logger)
            } catch {
                outcome = .failed(Self.located(error, item))
            }
            switch outcome {
            case .written, .unchanged:
                logger.info("dataset \(outcome == .written ? "written" : "unchanged")", metadata: ["dataset": "\(id)", "entry": "\(item.entry)"])
            case .present:
                logger.info("already present; not fetched again", metadata: ["dataset": "\(id)"])
            case .skipped(let why):
                logger.notice("\(item.location == item.entry.description ? item.entry.description : "\(item.location): '\(item.entry)'"): \(why)")
            case .failed(let error):
                logger.error("\(error)")
            }
            results.append(DownloadResult(item: item, id: id, outcome: outcome, runLog: runLog))
        }
        await fetcher.shutdown()
        try? FileManager.default.removeItem(atPath: scratch)
        return results
    }

    /// Kaggle credentials, looked up once: found, missing, or an error to report per entry.
    private enum KaggleAccess {
        case client(KaggleClient)
        case missing
        case broken(DownloadError)
    }

    private struct Fetched {
        var bytes: [UInt8]
        var fileName: String
        var wanted: String?
        var source: DatasetSource
        var title: String
        var description: String
        var license: DatasetLicense
        var finalURL: String?
        var attempts: Int
        var resumes: Int
    }

    /// Fetches, normalises and publishes one entry; returns the outcome and, when the entry
    /// reached its table, the dataset folder's run log.
    private func process(
        _ item: SourceList.Item, id: String, fetcher: HTTPFetcher, scratch: String, kaggle: inout KaggleAccess?,
        logger: Logger
    ) async throws(DownloadError) -> (DownloadResult.Outcome, StageReport.Entry?) {
        let started = Date.now
        let clock = ContinuousClock.now
        let publisher = DatasetPublisher(outputDirectory: options.outputDirectory)
        let folder = publisher.folder(for: id)
        if FileManager.default.fileExists(atPath: folder + "/dataset.json") {
            guard let existing = publisher.existingRecord(id: id) else {
                throw DownloadError(.output, source: folder, "holds a dataset.json that does not read as a Dataset record; move the folder away to download '\(item.entry)' there")
            }
            guard Self.sameSource(existing.source, item.entry) else {
                throw DownloadError(.output, source: folder, "already holds the dataset '\(id)' from '\(existing.source.ref)' (\(existing.source.kind.rawValue)); '\(item.entry)' would get the same id. Move one of them")
            }
            if !options.force { return (.present, nil) }
        }
        let fetched: Fetched
        switch item.entry {
        case .local(let path):
            fetched = try readLocal(path)
        case .url(let url):
            fetched = try await fetchURL(url, fetcher: fetcher, scratch: scratch)
        case .kaggle(let reference):
            if kaggle == nil {
                do {
                    if let credentials = try KaggleCredentials.find(environment: options.environment, home: options.home) {
                        kaggle = .client(KaggleClient(baseURL: options.kaggleBaseURL, credentials: credentials, fetcher: fetcher))
                    } else {
                        kaggle = .missing
                    }
                } catch {
                    kaggle = .broken(error)
                }
            }
            switch kaggle {
            case .client(let client)?:
                fetched = try await fetchKaggle(reference, client: client, scratch: scratch)
            case .broken(let error)?:
                throw error
            case .missing?, nil:
                return (.skipped(KaggleCredentials.missingMessage), nil)
            }
        }
        let table: NormalizedTable
        do {
            table = try TableExtractor.normalize(fetched.bytes, fileName: fetched.fileName, wanted: fetched.wanted, limits: options.limits)
        } catch {
            let kind: DownloadError.Kind = switch error.kind {
            case .tooLarge: .tooLarge
            case .html: .html
            case .noTable where fetched.wanted != nil: .notFound
            default: .notATable
            }
            throw DownloadError(kind, source: item.entry.description, error.description)
        }
        var source = fetched.source
        source.file = table.sourceFile
        let sha = SHA256Hex.of(table.csv)
        let record = Dataset(
            id: id, title: fetched.title, description: fetched.description, source: source, license: fetched.license,
            sha256: sha, bytes: table.csv.count, rows: table.rows, columns: table.columns,
            fetchedAt: started.formatted(.iso8601), loader: table.loaderSettings)
        let outcome = try publisher.publish(record, csv: table.csv)
        logger.info("table normalised", metadata: [
            "dataset": "\(id)", "file": "\(table.sourceFile)", "encoding": "\(table.detectedEncoding)",
            "delimiter": "\(table.detectedDelimiter == "\t" ? "tab" : table.detectedDelimiter)",
            "rows": "\(table.rows)", "columns": "\(table.columns.count)",
            "other_tables": "\(table.otherTables.joined(separator: ", "))", "notes": "\(table.notes.count)",
        ])
        let log = StageReport.Entry(
            path: folder + "/download.run.json", datasetID: id,
            counters: ["http_attempts": fetched.attempts, "http_resumes": fetched.resumes, "downloaded_bytes": fetched.bytes.count],
            failures: [:],
            items: [RunLogItem(id: id, outcome: outcome.rawValue, seconds: (ContinuousClock.now - clock).seconds, breakdown: [:])],
            source: RunLogSource(
                entry: item.entry.description, location: item.location, finalURL: fetched.finalURL,
                sourceFile: table.sourceFile, otherTables: table.otherTables, detectedEncoding: table.detectedEncoding,
                detectedDelimiter: table.detectedDelimiter, notes: table.notes))
        return (outcome == .written ? .written : .unchanged, log)
    }

    /// The error reported against the entry's line in the source list:
    /// `list.txt:3: error: [not-found] 'owner/slug': ...`.
    static func located(_ error: DownloadError, _ item: SourceList.Item) -> DownloadError {
        let entry = item.entry.description
        guard item.location != entry else { return error.reported(as: entry) }
        return DownloadError(error.kind, source: item.location, "'\(entry)': \(error.message)")
    }

    /// Whether a published record came from this entry (same kind and ref).
    static func sameSource(_ source: DatasetSource, _ entry: SourceEntry) -> Bool {
        switch entry {
        case .kaggle(let reference): source.kind == .kaggle && source.ref == reference.ref
        case .url(let url): source.kind == .url && source.ref == url
        case .local(let path): source.kind == .local && source.ref == path
        }
    }

    private func readLocal(_ path: String) throws(DownloadError) -> Fetched {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw DownloadError(.notFound, source: path, "no such file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= options.limits.maxInputBytes else {
            throw DownloadError(.tooLarge, source: path, "the file has \(size) bytes; the limit is \(options.limits.maxInputBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DownloadError(.notFound, source: path, "cannot read the file")
        }
        let name = (path as NSString).lastPathComponent
        return Fetched(
            bytes: [UInt8](data), fileName: name, wanted: nil,
            source: DatasetSource(kind: .local, ref: path, version: nil, file: nil),
            title: DatasetIdentifier.stem(of: name), description: "The table in the local file '\(name)'.",
            license: LicenseCatalog.license(stated: nil), finalURL: nil, attempts: 0, resumes: 0)
    }

    private func fetchURL(_ url: String, fetcher: HTTPFetcher, scratch: String) async throws(DownloadError) -> Fetched {
        let path = scratch + "/" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try await fetcher.download(HTTPFetchRequest(url: url), to: path)
        let bytes = try readDownloaded(path, source: url)
        var name = URL(string: file.finalURL)?.lastPathComponent ?? ""
        if (name as NSString).pathExtension.isEmpty { name = URL(string: url)?.lastPathComponent ?? "" }
        if (name as NSString).pathExtension.isEmpty { name = (name.isEmpty ? "download" : name) + Self.extensionFor(contentType: file.contentType) }
        return Fetched(
            bytes: bytes, fileName: name, wanted: nil,
            source: DatasetSource(kind: .url, ref: url, version: nil, file: nil),
            title: DatasetIdentifier.stem(of: name), description: "The table downloaded from \(url).",
            license: LicenseCatalog.license(stated: nil), finalURL: file.finalURL, attempts: file.attempts, resumes: file.resumes)
    }

    private func fetchKaggle(_ reference: KaggleReference, client: KaggleClient, scratch: String) async throws(DownloadError) -> Fetched {
        let info = try await client.info(reference)
        let limit = options.http.maxBytes
        var wanted: String?
        if let file = reference.file {
            let files = try await client.files(reference)
            let base = (file as NSString).lastPathComponent
            guard let match = files.first(where: { $0.name == file }) ?? files.first(where: { ($0.name as NSString).lastPathComponent == base }) else {
                let names = files.prefix(20).map(\.name).joined(separator: ", ")
                throw DownloadError(.notFound, source: reference.description, "the dataset '\(reference.ref)' has no file '\(file)'; its files: \(names.isEmpty ? "none" : names)")
            }
            if let size = match.totalBytes, size > limit {
                throw DownloadError(.tooLarge, source: reference.description, "'\(match.name)' has \(size) bytes; the limit is \(limit)")
            }
            wanted = base
        } else if let size = info.totalBytes, size > limit {
            throw DownloadError(.tooLarge, source: reference.description, "the dataset has \(size) bytes; the limit is \(limit); name one file with '\(reference.ref):<file>'")
        }
        let path = scratch + "/" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try await client.download(reference, to: path)
        let bytes = try readDownloaded(path, source: reference.description)
        // The official client names a whole dataset '<slug>.zip' and a single file after the
        // final URL (a large file may arrive as '<name>.zip').
        var name = reference.slug + ".zip"
        if let wanted {
            let served = URL(string: file.finalURL)?.lastPathComponent ?? ""
            name = (served == wanted || served == wanted + ".zip") ? served : wanted
        }
        var description = [info.subtitle, info.description].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        if description.isEmpty { description = "The Kaggle dataset \(reference.ref)." }
        let version = reference.version ?? info.currentVersion
        return Fetched(
            bytes: bytes, fileName: name, wanted: wanted,
            source: DatasetSource(kind: .kaggle, ref: reference.ref, version: version.map(String.init), file: nil),
            title: info.title.isEmpty ? reference.slug : info.title, description: description,
            license: LicenseCatalog.license(stated: info.licenses.isEmpty ? nil : info.licenses.joined(separator: ", ")),
            finalURL: file.finalURL, attempts: file.attempts, resumes: file.resumes)
    }

    private func readDownloaded(_ path: String, source: String) throws(DownloadError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DownloadError(.output, source: source, "cannot read the downloaded file back")
        }
        return [UInt8](data)
    }

    static func extensionFor(contentType: String?) -> String {
        let type = contentType?.lowercased() ?? ""
        if type.contains("zip") { return ".zip" }
        if type.contains("gzip") { return ".gz" }
        if type.contains("tab-separated") { return ".tsv" }
        return ".csv"
    }
}
