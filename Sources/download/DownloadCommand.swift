import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser
import Foundation

@main
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Fetch datasets from Kaggle, URLs and local files and normalise them.",
        discussion: """
            Each entry becomes 'data/datasets/<id>/': 'data.csv' (UTF-8, comma-separated, header \
            first) and 'dataset.json' (the Dataset record: title, description, source, licence \
            as the source states it, SHA-256, size, rows, columns, fetch time, loader settings), \
            published together or not at all, plus 'download.run.json' (attempts, the source's \
            encoding, delimiter and file, the other tables in an archive).

            Entries: 'owner/slug', 'owner/slug@3' (version), 'owner/slug:train.csv' (one file) \
            for Kaggle; 'https://...' URLs of CSV, TSV, zip or gzip files; local paths \
            ('./table.csv', '/data/table.zip', 'tables/x.csv'). A source list has one entry per \
            line ('#' comments) or is a JSON list of entry strings.

            Ids: 'owner__slug' for Kaggle ('owner__slug__file' with a file), else the file name \
            without extensions, lower-case. An entry whose folder exists is not fetched again \
            unless '--force' is given; fetching the same content again leaves the folder untouched.

            Kaggle needs credentials: KAGGLE_USERNAME and KAGGLE_KEY, or ~/.kaggle/kaggle.json \
            (mode 600; '$KAGGLE_CONFIG_DIR/kaggle.json' when set), or KAGGLE_API_TOKEN. Without \
            them each Kaggle entry is skipped with one line and the others proceed.

            Exit status: 0 when every entry is present or was skipped for want of Kaggle \
            credentials; 1 when any entry failed (after every other entry was attempted) or the \
            source list is broken; 64 on bad usage; 130 when interrupted.
            """,
        subcommands: [Fetch.self, Search.self],
        defaultSubcommand: Fetch.self
    )
}

extension DownloadCommand {
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Download the entries of a source list or of the command line (the default subcommand)."
        )

        @Option(help: "A source list: one entry per line ('#' comments) or a JSON list of entry strings.")
        var sources: String?

        @Argument(help: "Entries to download, instead of or besides '--sources'.")
        var entries: [String] = []

        @Option(help: "The folder that receives one folder per dataset.")
        var output: String = "data/datasets"

        @Option(help: "Download only the entry whose dataset id is this (the Makefile's per-dataset target uses it).")
        var only: String?

        @Flag(help: "Fetch entries whose dataset folder already exists; unchanged content is still left untouched.")
        var force: Bool = false

        @Option(help: "The most bytes one download may have (checked before and during the transfer).")
        var maxBytes: Int = 512 << 20

        @Option(help: "Requests per download before giving up (429, 5xx, dropped or truncated transfers are retried).")
        var attempts: Int = 5

        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard sources != nil || !entries.isEmpty else { throw ValidationError("give '--sources FILE' or at least one entry") }
            guard maxBytes > 0 else { throw ValidationError("'--max-bytes' must be positive; found \(maxBytes)") }
            guard attempts > 0 else { throw ValidationError("'--attempts' must be at least 1; found \(attempts)") }
            for entry in entries {
                do {
                    _ = try SourceEntry.parse(entry)
                } catch {
                    throw ValidationError("\(error)")
                }
            }
        }

        func run() async throws {
            let logger = try logging.bootstrap(label: "download")
            var limits = TableLimits()
            limits.maxInputBytes = max(limits.maxInputBytes, maxBytes)
            let stage = DownloadStage(
                options: DownloadOptions(
                    outputDirectory: output, force: force, limits: limits,
                    http: HTTPFetchPolicy(maxBytes: maxBytes, maxAttempts: attempts)),
                sourceList: sources, entries: entries.compactMap { try? SourceEntry.parse($0) }, only: only)
            try await StageRun.execute(stage, logger: logger)
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Search Kaggle for datasets and print their refs, ready to paste into a source list.",
            discussion: """
                Prints one line per dataset on stdout: the ref, then a '#' comment with the title, \
                size, licence, votes and usability, e.g. \
                'owner/slug  # Title — 60 KB, CC0-1.0, 905 votes, usability 0.88'. Needs Kaggle \
                credentials (see 'download --help').
                """
        )

        @Argument(help: "Words to search for.")
        var query: [String]

        @Option(help: "'all', 'csv', 'sqlite', 'json', 'bigQuery' or 'parquet'.")
        var fileType: String = "csv"

        @Option(help: "'hottest', 'votes', 'updated', 'active', 'published', 'relevance' or 'usability'.")
        var sortBy: String = "votes"

        @Option(help: "'all', 'cc', 'gpl', 'odb' or 'other'.")
        var license: String = "all"

        @Option(help: "The largest dataset in bytes, or with a unit: '50MB', '2GB', '500KB'.")
        var maxSize: String?

        @Option(help: "The smallest dataset in bytes, or with a unit.")
        var minSize: String?

        @Option(help: "The page of results (20 per page), from 1.")
        var page: Int = 1

        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard KaggleSearchQuery.fileTypes[fileType] != nil else { throw ValidationError("'--file-type' must be one of \(KaggleSearchQuery.fileTypes.keys.sorted().joined(separator: ", ")); found '\(fileType)'") }
            guard KaggleSearchQuery.sortOrders[sortBy] != nil else { throw ValidationError("'--sort-by' must be one of \(KaggleSearchQuery.sortOrders.keys.sorted().joined(separator: ", ")); found '\(sortBy)'") }
            guard KaggleSearchQuery.licenseGroups[license] != nil else { throw ValidationError("'--license' must be one of \(KaggleSearchQuery.licenseGroups.keys.sorted().joined(separator: ", ")); found '\(license)'") }
            guard page >= 1 else { throw ValidationError("'--page' must be at least 1; found \(page)") }
            for (name, value) in [("--max-size", maxSize), ("--min-size", minSize)] {
                if let value, ByteSize.parse(value) == nil { throw ValidationError("'\(name)' must be a size like '50MB' or '1048576'; found '\(value)'") }
            }
            if let max = maxSize.flatMap(ByteSize.parse), let min = minSize.flatMap(ByteSize.parse), max < min {
                throw ValidationError("'--max-size' must not be below '--min-size'")
            }
        }

        func run() async throws {
            let logger = try logging.bootstrap(label: "download")
            let environment = ProcessInfo.processInfo.environment
            let credentials: KaggleCredentials
            do {
                guard let found = try KaggleCredentials.find(environment: environment) else {
                    FileHandleStandardError.write(Diagnostic.format(
                        location: nil, severity: .error, rule: "credentials",
                        message: KaggleCredentials.missingMessage.replacingOccurrences(of: "; skipped", with: "")))
                    throw StageExitCode.failure
                }
                credentials = found
            } catch let error as DownloadError {
                CommandDiagnostics.write(error)
                throw StageExitCode.failure
            }
            let fetcher = HTTPFetcher(logger: logger)
            let client = KaggleClient(
                baseURL: environment["KAGGLE_API_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? KaggleClient.defaultBaseURL,
                credentials: credentials, fetcher: fetcher)
            let search = KaggleSearchQuery(
                search: query.joined(separator: " "), fileType: fileType, sortBy: sortBy, license: license,
                minSize: minSize.flatMap(ByteSize.parse), maxSize: maxSize.flatMap(ByteSize.parse), page: page)
            let results: [KaggleDatasetSummary]
            do {
                results = try await client.search(search)
            } catch {
                await fetcher.shutdown()
                CommandDiagnostics.write(error)
                throw StageExitCode.failure
            }
            await fetcher.shutdown()
            for result in results { print(result.sourceListLine) }
            if results.isEmpty { logger.notice("no datasets matched") }
        }
    }
}
