import Foundation

/// What Kaggle says about a dataset (from `GetDataset` and `GetDatasetMetadata`).
public struct KaggleDatasetInfo: Sendable, Equatable {
    public var ref: String
    public var title: String
    public var subtitle: String
    public var description: String
    /// The licence names as Kaggle states them (`CC0-1.0`, `CC0: Public Domain`, `other`).
    public var licenses: [String]
    public var currentVersion: Int?
    public var totalBytes: Int?
    public var url: String?
}

/// One file of a dataset (`ListDatasetFiles`).
public struct KaggleFile: Sendable, Equatable {
    public var name: String
    public var totalBytes: Int?
}

/// One search result (`ListDatasets`).
public struct KaggleDatasetSummary: Sendable, Equatable {
    public var ref: String
    public var title: String
    public var subtitle: String
    public var totalBytes: Int?
    public var licenseName: String
    public var voteCount: Int?
    public var usabilityRating: Double?
    public var lastUpdated: String
}

/// A dataset search as `download search` runs it; the fields map onto `ListDatasets`.
public struct KaggleSearchQuery: Sendable, Equatable {
    public var search: String
    /// `all`, `csv`, `sqlite`, `json`, `bigQuery`, `parquet`.
    public var fileType: String
    /// `hottest`, `votes`, `updated`, `active`, `published`, `relevance`, `usability`.
    public var sortBy: String
    /// `all`, `cc`, `gpl`, `odb`, `other`.
    public var license: String
    public var minSize: Int?
    public var maxSize: Int?
    public var page: Int

    public init(search: String, fileType: String = "csv", sortBy: String = "votes", license: String = "all", minSize: Int? = nil, maxSize: Int? = nil, page: Int = 1) {
        self.search = search
        self.fileType = fileType
        self.sortBy = sortBy
        self.license = license
        self.minSize = minSize
        self.maxSize = maxSize
        self.page = page
    }

    public static let fileTypes = ["all": "ALL", "csv": "CSV", "sqlite": "SQLITE", "json": "JSON", "bigQuery": "BIG_QUERY", "parquet": "PARQUET"]
    public static let sortOrders = ["hottest": "HOTTEST", "votes": "VOTES", "updated": "UPDATED", "active": "ACTIVE", "published": "PUBLISHED", "relevance": "RELEVANCE", "usability": "USABILITY"]
    public static let licenseGroups = ["all": "ALL", "cc": "CC", "gpl": "GPL", "odb": "ODB", "other": "OTHER"]
}

/// Kaggle's public API as the official client (kaggle 2.x) calls it: `POST
/// <base>/datasets.DatasetApiService/<Method>` with a JSON body of camelCase fields, HTTP Basic
/// (`username:key`) or Bearer authentication, errors as `{"code", "message"}` (even on HTTP
/// 200). The download answers with a redirect to a signed storage URL, which `HTTPFetcher`
/// follows without the `Authorization` header.
public struct KaggleClient: Sendable {
    public static let defaultBaseURL = "https://api.kaggle.com/v1"

    /// `https://api.kaggle.com/v1`, or `KAGGLE_API_BASE` (tests point it at a loopback server).
    public var baseURL: String
    public var credentials: KaggleCredentials
    public var fetcher: HTTPFetcher

    public init(baseURL: String = KaggleClient.defaultBaseURL, credentials: KaggleCredentials, fetcher: HTTPFetcher) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.credentials = credentials
        self.fetcher = fetcher
    }

    /// Title, subtitle, description, licences, current version and size.
    public func info(_ reference: KaggleReference) async throws(DownloadError) -> KaggleDatasetInfo {
        let slugs: [(String, JSONValue)] = [("ownerSlug", .string(reference.owner)), ("datasetSlug", .string(reference.slug))]
        let dataset = try await rpc("GetDataset", slugs, reference: reference)
        let metadata = try await rpc("GetDatasetMetadata", slugs, reference: reference)
        if let message = Self.string(metadata["errorMessage"]), !message.isEmpty {
            throw DownloadError(.http, source: reference.description, "Kaggle could not give the metadata: \(message)")
        }
        let details = metadata["info"] ?? .object([])
        var licenses: [String] = []
        if case .array(let items)? = details["licenses"] {
            licenses = items.compactMap { Self.string($0["name"]) }.filter { !$0.isEmpty }
        }
        if licenses.isEmpty, let name = Self.string(dataset["licenseName"]), !name.isEmpty { licenses = [name] }
        func text(_ key: String) -> String {
            Self.string(details[key]).flatMap { $0.isEmpty ? nil : $0 } ?? Self.string(dataset[key]) ?? ""
        }
        return KaggleDatasetInfo(
            ref: reference.ref, title: text("title"), subtitle: text("subtitle"), description: text("description"),
            licenses: licenses, currentVersion: Self.int(dataset["currentVersionNumber"]).flatMap { $0 > 0 ? $0 : nil },
            totalBytes: Self.int(dataset["totalBytes"]).flatMap { $0 > 0 ? $0 : nil }, url: Self.string(dataset["url"]))
    }

    /// Every file of the dataset (all pages).
    public func files(_ reference: KaggleReference) async throws(DownloadError) -> [KaggleFile] {
        var files: [KaggleFile] = []
        var token = ""
        for _ in 0..<100 {
            var fields: [(String, JSONValue)] = [("ownerSlug", .string(reference.owner)), ("datasetSlug", .string(reference.slug))]
            if let version = reference.version { fields.append(("datasetVersionNumber", .int(Int64(version)))) }
            fields += [("pageToken", .string(token)), ("pageSize", .int(200))]
            let page = try await rpc("ListDatasetFiles", fields, reference: reference)
            if let message = Self.string(page["errorMessage"]), !message.isEmpty {
                throw DownloadError(.http, source: reference.description, "Kaggle could not list the files: \(message)")
            }
            if case .array(let items)? = page["datasetFiles"] {
                for item in items {
                    guard let name = Self.string(item["name"]) ?? Self.string(item["ref"]) else { continue }
                    files.append(KaggleFile(name: name, totalBytes: Self.int(item["totalBytes"])))
                }
            }
            token = Self.string(page["nextPageToken"]) ?? ""
            if token.isEmpty { break }
        }
        return files
    }

    /// Downloads the dataset's archive, or its one named file, to `path`.
    public func download(_ reference: KaggleReference, to path: String) async throws(DownloadError) -> FetchedFile {
        var fields: [(String, JSONValue)] = [("ownerSlug", .string(reference.owner)), ("datasetSlug", .string(reference.slug))]
        if let file = reference.file { fields.append(("fileName", .string(file))) }
        if let version = reference.version { fields.append(("datasetVersionNumber", .int(Int64(version)))) }
        do {
            return try await fetcher.download(request("DownloadDataset", fields), to: path)
        } catch {
            throw explain(error, reference: reference)
        }
    }

    /// Datasets matching `query` (one page of up to 20).
    public func search(_ query: KaggleSearchQuery) async throws(DownloadError) -> [KaggleDatasetSummary] {
        var fields: [(String, JSONValue)] = []
        if let sort = KaggleSearchQuery.sortOrders[query.sortBy], sort != "HOTTEST" { fields.append(("sortBy", .string("DATASET_SORT_BY_" + sort))) }
        if let type = KaggleSearchQuery.fileTypes[query.fileType], type != "ALL" { fields.append(("fileType", .string("DATASET_FILE_TYPE_GROUP_" + type))) }
        if let group = KaggleSearchQuery.licenseGroups[query.license], group != "ALL" { fields.append(("license", .string("DATASET_LICENSE_GROUP_" + group))) }
        fields += [("tagIds", .string("")), ("search", .string(query.search)), ("user", .string(""))]
        if let minSize = query.minSize { fields.append(("minSize", .int(Int64(minSize)))) }
        if let maxSize = query.maxSize { fields.append(("maxSize", .int(Int64(maxSize)))) }
        fields += [("page", .int(Int64(query.page))), ("pageToken", .string("")), ("pageSize", .int(20))]
        let answer: JSONValue
        do {
            let body = try await fetcher.call(request("ListDatasets", fields))
            answer = try JSONParser.parse(body)
        } catch let error as DownloadError {
            throw error.kind == .unauthorized ? explain(error, reference: nil) : error
        } catch {
            throw DownloadError(.http, source: "ListDatasets", "Kaggle's answer is not JSON: \(error)")
        }
        guard case .array(let items)? = answer["datasets"] else { return [] }
        return items.compactMap { item in
            guard let ref = Self.string(item["ref"]) else { return nil }
            let rating: Double? = switch item["usabilityRating"] {
            case .double(let value)?: value
            case .int(let value)?: Double(value)
            default: nil
            }
            return KaggleDatasetSummary(
                ref: ref, title: Self.string(item["title"]) ?? "", subtitle: Self.string(item["subtitle"]) ?? "",
                totalBytes: Self.int(item["totalBytes"]), licenseName: Self.string(item["licenseName"]) ?? "",
                voteCount: Self.int(item["voteCount"]), usabilityRating: rating,
                lastUpdated: Self.string(item["lastUpdated"]) ?? "")
        }
    }

    // MARK: - Helpers

    private func request(_ method: String, _ fields: [(String, JSONValue)]) -> HTTPFetchRequest {
        HTTPFetchRequest(
            url: "\(baseURL)/datasets.DatasetApiService/\(method)", method: .post,
            headers: [("Authorization", credentials.authorization), ("Content-Type", "application/json"), ("Accept", "application/json")],
            body: JSONWriter.bytes(.object(fields.map { (key: $0.0, value: $0.1) })), apiErrors: true)
    }

    private func rpc(_ method: String, _ fields: [(String, JSONValue)], reference: KaggleReference) async throws(DownloadError) -> JSONValue {
        let body: [UInt8]
        do {
            body = try await fetcher.call(request(method, fields))
        } catch {
            throw explain(error, reference: reference)
        }
        do {
            return try JSONParser.parse(body)
        } catch {
            throw DownloadError(.http, source: reference.description, "Kaggle's answer to \(method) is not JSON: \(error)")
        }
    }

    /// Kaggle-specific wording for the errors a user can act on.
    func explain(_ error: DownloadError, reference: KaggleReference?) -> DownloadError {
        let source = reference?.description ?? error.source
        let ref = reference?.ref ?? ""
        switch error.kind {
        case .notFound:
            return DownloadError(.notFound, source: source, "Kaggle has no dataset '\(ref)'\(reference?.file.map { " or no file '\($0)' in it" } ?? "") (\(error.message)); check the spelling of the ref")
        case .forbidden:
            return DownloadError(.forbidden, source: source, "Kaggle refused access to '\(ref)' (\(error.message)): the dataset is private, or its terms must be accepted first at https://www.kaggle.com/datasets/\(ref)")
        case .unauthorized:
            return DownloadError(.unauthorized, source: source, "Kaggle rejected the credentials from \(credentials.origin) (\(error.message)); create a new token at https://www.kaggle.com/settings (API > Create New Token)")
        case .rateLimited:
            return DownloadError(.rateLimited, source: source, "\(error.message); Kaggle rate-limits API calls: wait a little while before retrying")
        default:
            return error.reported(as: source)
        }
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    /// An integer sent as a number or, per proto3 JSON rules for int64, as a string.
    static func int(_ value: JSONValue?) -> Int? {
        switch value {
        case .int(let number)?: Int(number)
        case .double(let number)? where number.rounded() == number: Int(number)
        case .string(let text)?: Int(text)
        default: nil
        }
    }
}
