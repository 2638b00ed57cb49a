/// `data/datasets/<id>/dataset.json`: where a table came from and how to load it.
public struct Dataset: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// Filesystem-safe slug, also the stem of every per-dataset file (`penguins`, `owner__slug`).
    public var id: String
    public var title: String
    public var description: String
    public var source: DatasetSource
    public var license: DatasetLicense
    /// SHA-256 of the bytes of `data.csv`, lower-case hex.
    public var sha256: String
    /// Size of `data.csv` in bytes.
    public var bytes: Int
    /// Data rows, not counting the header.
    public var rows: Int
    /// Column names in file order.
    public var columns: [String]
    /// When the table was fetched, ISO 8601 in UTC (provenance, not a measurement of a run).
    public var fetchedAt: String
    public var loader: LoaderSettings

    public init(
        id: String, title: String, description: String, source: DatasetSource,
        license: DatasetLicense, sha256: String, bytes: Int, rows: Int, columns: [String],
        fetchedAt: String, loader: LoaderSettings
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.title = title
        self.description = description
        self.source = source
        self.license = license
        self.sha256 = sha256
        self.bytes = bytes
        self.rows = rows
        self.columns = columns
        self.fetchedAt = fetchedAt
        self.loader = loader
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version", id, title, description, source, license, sha256
        case bytes, rows, columns, fetchedAt = "fetched_at", loader
    }
}

public struct DatasetSource: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Shipped in this repository under `data/datasets/`.
        case bundled
        case kaggle
        case url
        case local
    }

    public var kind: Kind
    /// Kaggle ref (`owner/slug`), URL, local path or, for bundled tables, the upstream package and file.
    public var ref: String
    /// Upstream version (a Kaggle dataset version, a package version), when known.
    public var version: String?
    /// The file inside an archive or package that the table was taken from, when there was a choice.
    public var file: String?

    public init(kind: Kind, ref: String, version: String?, file: String?) {
        self.kind = kind
        self.ref = ref
        self.version = version
        self.file = file
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case kind, ref, version, file }
}

public struct DatasetLicense: Codable, Sendable, Equatable {
    /// SPDX identifier when the licence is a known one (`CC0-1.0`, `BSD-3-Clause`); null when unknown.
    public var spdx: String?
    /// The licence as the source states it.
    public var name: String
    public var url: String?

    public init(spdx: String?, name: String, url: String?) {
        self.spdx = spdx
        self.name = name
        self.url = url
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case spdx, name, url }
}

/// How the one canonical loader reads the table, so the profiler, the templates and the
/// sandbox all see the same frame.
public struct LoaderSettings: Codable, Sendable, Equatable {
    public var delimiter: String
    public var encoding: String
    /// Cells equal to one of these (after no trimming) are missing values.
    public var naValues: [String]

    public init(delimiter: String = ",", encoding: String = "utf-8", naValues: [String] = LoaderSettings.defaultNAValues) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.naValues = naValues
    }

    /// The project's NA tokens: pandas' defaults, listed explicitly so that a pandas upgrade
    /// cannot change what counts as missing.
    public static let defaultNAValues = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case delimiter, encoding, naValues = "na_values"
    }
}
