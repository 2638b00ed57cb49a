/// What the profiler found in a table, computed inside the sandbox from the frame the canonical
/// loader produced, so that the profile and every later execution see the same data.
public struct TableProfile: Codable, Sendable, Equatable {
    public var rows: Int
    public var columns: [ColumnProfile]

    public init(rows: Int, columns: [ColumnProfile]) {
        self.rows = rows
        self.columns = columns
    }

    public subscript(name: String) -> ColumnProfile? { columns.first { $0.name == name } }

    /// Columns with a role, in table order.
    public func columns(_ role: ColumnRole) -> [ColumnProfile] { columns.filter { $0.role == role } }

    public enum CodingKeys: String, CodingKey, CaseIterable { case rows, columns }
}

/// How a column can be used in a question.
public enum ColumnRole: String, Codable, Sendable, CaseIterable {
    /// A numeric quantity to aggregate, compare or model.
    case measure
    /// A label with a few distinct values to group or filter by.
    case category
    /// A category with exactly two distinct values.
    case binaryCategory = "binary_category"
    /// A row key or a code: unique, sequential or evenly stepped whole numbers, an id-like name, a
    /// zip or FIPS code; never an analysis target.
    case identifier
    /// The name of its row (distinct short text such as a state or a county): never a target, but
    /// what a lookup question answers with.
    case label
    /// A calendar field (`year`, `quarter`, `month`, ...): a point in time, not a quantity.
    case calendar
    /// A coordinate of a regular grid (with ``ColumnProfile/related``): the rows hold every
    /// combination of a few values, so modelling one on the other is empty by construction.
    case coordinate
    /// An affine function of an earlier measure (``ColumnProfile/related``): the same quantity twice.
    case derived
    /// One value, or one value in at least 95% of the rows: nothing to measure or compare.
    case constant
    /// Calendar dates or timestamps (stored as text the loader keeps as is).
    case date
    /// Free text: many distinct, long strings.
    case text
}

public struct ColumnProfile: Codable, Sendable, Equatable {
    public var name: String
    /// The pandas dtype the canonical loader gave the column (`float64`, `int64`, `str`, `bool`, ...).
    public var dtype: String
    public var role: ColumnRole
    /// Why the profiler chose ``role``, in words (`"key: a whole number that rises by exactly 1 ..."`).
    public var reason: String
    /// The other column a role depends on: the column a ``ColumnRole/derived`` column is a
    /// function of, the partner of a grid ``ColumnRole/coordinate``, or the period column of a
    /// grouping unit (a ``ColumnRole/category`` observed once per period); nil otherwise.
    public var related: String?
    /// Missing cells (as the loader's NA tokens define them).
    public var missing: Int
    public var missingShare: Double
    /// Distinct non-missing values.
    public var unique: Int
    /// For numeric columns (not bool) with at least one finite value.
    public var numeric: NumericSummary?
    /// The most frequent values with counts, most frequent first, ties by value (categories,
    /// binary categories and text; at most 10).
    public var topValues: [ValueCount]?
    /// For text columns whose values parse as dates (at least 95%): every `date` column, and
    /// possibly a binary category or constant column of dates.
    public var dateRange: DateRange?

    public init(name: String, dtype: String, role: ColumnRole, missing: Int, missingShare: Double, unique: Int,
                numeric: NumericSummary?, topValues: [ValueCount]?, dateRange: DateRange?, reason: String = "", related: String? = nil) {
        self.name = name
        self.dtype = dtype
        self.role = role
        self.reason = reason
        self.related = related
        self.missing = missing
        self.missingShare = missingShare
        self.unique = unique
        self.numeric = numeric
        self.topValues = topValues
        self.dateRange = dateRange
    }

    /// A category whose groups are units observed once per period of ``related`` (firms every
    /// year): the entity of a per-unit time series.
    public var isGroupingUnit: Bool { role == .category && related != nil }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, dtype, role, reason, related, missing, missingShare = "missing_share", unique, numeric
        case topValues = "top_values", dateRange = "date_range"
    }
}

public struct NumericSummary: Codable, Sendable, Equatable {
    public var min: Double
    public var max: Double
    public var mean: Double
    /// Sample standard deviation (ddof = 1); 0 for a single value.
    public var std: Double
    public var median: Double
    public var q1: Double
    public var q3: Double
    /// Every non-missing value is a whole number.
    public var integerValued: Bool

    public init(min: Double, max: Double, mean: Double, std: Double, median: Double, q1: Double, q3: Double, integerValued: Bool) {
        self.min = min
        self.max = max
        self.mean = mean
        self.std = std
        self.median = median
        self.q1 = q1
        self.q3 = q3
        self.integerValued = integerValued
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case min, max, mean, std, median, q1, q3, integerValued = "integer_valued"
    }
}

public struct ValueCount: Codable, Sendable, Equatable {
    public var value: String
    public var count: Int

    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case value, count }
}

public struct DateRange: Codable, Sendable, Equatable {
    /// ISO 8601 dates (`YYYY-MM-DD`, or with a time when the column has times).
    public var min: String
    public var max: String
    /// Share of non-missing values that parsed as dates.
    public var parsedShare: Double

    public init(min: String, max: String, parsedShare: Double) {
        self.min = min
        self.max = max
        self.parsedShare = parsedShare
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case min, max, parsedShare = "parsed_share" }
}
