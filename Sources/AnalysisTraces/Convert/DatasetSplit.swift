import Foundation

/// Assigns whole datasets to the train, validation and test splits, so that no table is seen in
/// two splits.
///
/// The datasets are ordered by SHA-256 of `"<seed>:<dataset id>"` (ties by id), then cut in that
/// order: the first `n_train` go to train, the next `n_val` to val, the rest to test. The counts
/// apportion the `n` datasets by the ratios with the largest-remainder method (ties favour train,
/// then val), and train always gets at least one dataset: with one dataset everything is train;
/// with the default 0.8/0.1/0.1, eight datasets split 6/1/1 and two split 2/0/0. The result
/// depends only on the set of ids, the ratios and the seed.
public struct DatasetSplit: Sendable, Equatable {
    /// The ratios, each ≥ 0, summing to 1 (within 1e-6).
    public var ratios: [Split: Double]
    public var seed: Int

    public init(ratios: [Split: Double], seed: Int) {
        self.ratios = ratios
        self.seed = seed
    }

    /// Parses `"0.8,0.1,0.1"` (train, val, test).
    public static func parseRatios(_ text: String) -> [Split: Double]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        let values = parts.compactMap { $0 }
        guard values.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(values.reduce(0, +) - 1) <= 1e-6, values[0] > 0 else { return nil }
        return [.train: values[0], .val: values[1], .test: values[2]]
    }

    /// How many datasets each split gets out of `count`.
    public func counts(for count: Int) -> [Split: Int] {
        guard count > 0 else { return [.train: 0, .val: 0, .test: 0] }
        let quotas = Split.allCases.map { (split: $0, quota: (ratios[$0] ?? 0) * Double(count)) }
        var counts = Dictionary(uniqueKeysWithValues: quotas.map { ($0.split, Int($0.quota.rounded(.down))) })
        var left = count - counts.values.reduce(0, +)
        let byRemainder = quotas.enumerated().sorted { lhs, rhs in
            let a = lhs.element.quota - lhs.element.quota.rounded(.down)
            let b = rhs.element.quota - rhs.element.quota.rounded(.down)
            return abs(a - b) > 1e-9 ? a > b : lhs.offset < rhs.offset
        }
        for entry in byRemainder where left > 0 {
            counts[entry.element.split, default: 0] += 1
            left -= 1
        }
        if counts[.train, default: 0] == 0 {
            let donor: Split = counts[.test, default: 0] > 0 ? .test : .val
            counts[donor, default: 0] -= 1
            counts[.train] = 1
        }
        return counts
    }

    /// The split of every dataset id.
    public func assign(_ datasetIDs: [String]) -> [String: Split] {
        let unique = Array(Set(datasetIDs))
        let ordered = unique.map { (id: $0, key: Self.key(seed: seed, id: $0)) }
            .sorted { $0.key != $1.key ? $0.key < $1.key : $0.id < $1.id }
            .map(\.id)
        let counts = counts(for: ordered.count)
        var assignment: [String: Split] = [:]
        var position = 0
        for split in Split.allCases {
            for _ in 0..<counts[split, default: 0] where position < ordered.count {
                assignment[ordered[position]] = split
                position += 1
            }
        }
        return assignment
    }

    /// The ordering key of a dataset: lower-case hex SHA-256 of `"<seed>:<id>"`.
    public static func key(seed: Int, id: String) -> String {
        SHA256Hex.of(Array("\(seed):\(id)".utf8))
    }
}
