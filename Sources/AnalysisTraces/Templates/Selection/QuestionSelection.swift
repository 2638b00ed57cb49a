import Foundation

/// Chooses which template questions a dataset gets: a seeded, weighted draw that spreads the
/// questions over the table's columns, with caps, and that never keeps two questions whose
/// answers can be read off one another (``DerivableQuestions``).
///
/// Every template offers all its parameter sets (``QuestionTemplate/parameterSets(for:)``); the
/// draw goes in rounds, one question per template per round (templates in a seeded order), so a
/// small cap keeps the variety of analyses. Within a template it draws a candidate with a weight
/// that falls with how often its measures were already used, so that:
///
/// - no measure column appears a fourth time while some usable measure (``usableMeasures(_:)``)
///   has not appeared at all and could still be placed;
/// - a measure appears at most once per template (`(column, template)` cap), another column at
///   most twice;
/// - a column appears at most ``columnCap(limit:measures:)`` times in all.
///
/// The same profile, seed and exclusions always give the same questions.
public struct QuestionSelection: Sendable {
    /// One parameter set of a template, instantiated, with the profile columns it names.
    public struct Candidate: Sendable {
        public var instance: TemplateInstance
        public var columns: [String]
        /// Position in the template's own list (most natural first).
        public var rank: Int
        public var label: String { Self.label(instance.templateID, instance.parameters) }

        static func label(_ templateID: String, _ parameters: JSONValue) -> String {
            "\(templateID) \(CanonicalJSON.string(parameters))"
        }
    }

    /// A candidate left out, and by which rule.
    public struct Drop: Sendable, Equatable {
        public enum Rule: String, Sendable, CaseIterable {
            /// Its answer can be read off a question already chosen.
            case derivable
            /// Its parameters would make a trivial or invalid question on this profile.
            case parameters
            /// Its validity check on the data failed (sparse cross-tab, trending series, ...).
            case validity
            /// Its answer is degenerate (0, or a p-value below 1e-4 with no effect size).
            case degenerate
        }
        public var label: String
        public var rule: Rule
        public var reason: String
    }

    public var selected: [TemplateInstance] = []
    public var dropped: [Drop] = []
    /// Parameter sets a template could not instantiate (a template bug, reported as a failure).
    public var failures: [(instance: String, message: String)] = []

    /// Measures every template may use: role `measure`, a positive spread, at least 5 values.
    public static func usableMeasures(_ profile: TableProfile) -> [String] {
        DescriptiveColumns.measures(profile).map(\.name)
    }

    /// The most times one column may appear in a question set of `limit` questions.
    static func columnCap(limit: Int, measures: Int) -> Int {
        max(3, Int((2.5 * Double(limit) / Double(max(1, measures))).rounded(.up)))
    }

    /// Draws up to `limit` questions. `excluded` holds candidate labels already known to be
    /// invalid or degenerate (from an earlier run of their programs): they are recorded as
    /// dropped with their reason and never drawn.
    public static func select(
        from profile: TableProfile, seed: UInt64, limit: Int, excluded: [String: Drop] = [:],
        templates: [any QuestionTemplate] = TemplateCatalog.all
    ) -> QuestionSelection {
        var result = QuestionSelection()
        var generator = SeededGenerator(seed: seed)
        let names = Set(profile.columns.map(\.name))
        var pools: [[Candidate]] = []
        for template in templates {
            var pool: [Candidate] = []
            for (rank, parameters) in template.parameterSets(for: profile).enumerated() {
                let label = Candidate.label(template.id, parameters)
                if let drop = excluded[label] {
                    result.dropped.append(drop)
                    continue
                }
                if let reason = template.screen(parameters, profile: profile) {
                    result.dropped.append(Drop(label: label, rule: .parameters, reason: reason))
                    continue
                }
                do {
                    let instance = try template.instantiate(parameters)
                    pool.append(Candidate(instance: instance, columns: columns(in: instance.parameters, names: names), rank: rank))
                } catch {
                    result.failures.append((label, "\(error)"))
                }
            }
            pools.append(pool)
        }
        let measures = usableMeasures(profile)
        let measureSet = Set(measures)
        let cap = columnCap(limit: limit, measures: measures.count)
        var uses: [String: Int] = [:]
        var pairUses: [String: Int] = [:]
        var chosen: [Candidate] = []

        func allowed(_ candidate: Candidate, uncovered: Bool) -> Bool {
            for column in candidate.columns {
                let used = uses[column, default: 0]
                let pair = pairUses[column + "\u{1}" + candidate.instance.templateID, default: 0]
                if measureSet.contains(column) {
                    if pair >= 1 || used >= cap || (uncovered && used >= 3) { return false }
                } else if pair >= 2 || used >= cap {
                    return false
                }
            }
            return true
        }

        func weight(_ candidate: Candidate) -> Double {
            var weight = 1.0 / (1.0 + 0.05 * Double(candidate.rank))
            var fresh = false
            for column in candidate.columns {
                let used = Double(uses[column, default: 0])
                weight /= (1 + used) * (1 + used)
                if measureSet.contains(column) && used == 0 { fresh = true }
            }
            return fresh ? weight * 4 : weight
        }

        while chosen.count < limit {
            var progressed = false
            var order = Array(pools.indices)
            generator.shuffle(&order)
            for index in order where chosen.count < limit {
                // Drop what is derivable from a chosen question, once and for all.
                pools[index].removeAll { candidate in
                    guard let earlier = chosen.first(where: { DerivableQuestions.derivable($0.instance, candidate.instance) }) else { return false }
                    result.dropped.append(Drop(label: candidate.label, rule: .derivable, reason: "can be read off \(earlier.label)"))
                    return true
                }
                let uncovered = measures.contains { uses[$0, default: 0] == 0 && placeable($0, pools) }
                let open = pools[index].indices.filter { allowed(pools[index][$0], uncovered: uncovered) }
                guard !open.isEmpty else { continue }
                let weights = open.map { weight(pools[index][$0]) }
                let total = weights.reduce(0, +)
                var target = Double(generator.next() >> 11) / Double(1 << 53) * total
                var pick = open[open.count - 1]
                for (position, candidateIndex) in open.enumerated() {
                    target -= weights[position]
                    if target < 0 { pick = candidateIndex; break }
                }
                let candidate = pools[index].remove(at: pick)
                for column in candidate.columns {
                    uses[column, default: 0] += 1
                    pairUses[column + "\u{1}" + candidate.instance.templateID, default: 0] += 1
                }
                chosen.append(candidate)
                progressed = true
            }
            if !progressed { break }
        }
        result.selected = chosen.map(\.instance)
        return result
    }

    /// Whether some remaining candidate names `column`.
    static func placeable(_ column: String, _ pools: [[Candidate]]) -> Bool {
        pools.contains { pool in pool.contains { $0.columns.contains(column) } }
    }

    /// The profile columns a parameter set names, in order of appearance, each once: every string
    /// (or string in a list) that is a column name, except under keys that hold group labels.
    static func columns(in parameters: JSONValue, names: Set<String>) -> [String] {
        guard case .object(let members) = parameters else { return [] }
        var found: [String] = []
        func add(_ value: JSONValue) {
            switch value {
            case .string(let text) where names.contains(text) && !found.contains(text): found.append(text)
            case .array(let items): items.forEach(add)
            default: break
            }
        }
        for (key, value) in members where !labelKeys.contains(key) { add(value) }
        return found
    }

    /// Parameter keys whose strings are group labels or formats, never column names.
    static let labelKeys: Set<String> = ["groups", "first_group", "second_group", "format", "period", "label", "value"]
}
