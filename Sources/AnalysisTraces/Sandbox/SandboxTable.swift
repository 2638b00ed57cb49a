/// The table as the zygote loaded it: the shared `df` every worker starts from.
public struct SandboxTable: Sendable, Equatable {
    public var rows: Int
    /// Column names in frame order.
    public var columns: [String]
    /// pandas dtype of each column (`float64`, `int64`, `object`, `str`, ...).
    public var dtypes: [String: String]

    public init(rows: Int, columns: [String], dtypes: [String: String]) {
        self.rows = rows
        self.columns = columns
        self.dtypes = dtypes
    }
}
