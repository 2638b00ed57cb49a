import Foundation

/// The answers of an episode's traces grouped by the matcher: the vote histogram, the agreement
/// ratio and the answer entropy that every ``Verification`` stores, whatever its method.
///
/// Grouping is anchored and deterministic: traces are taken in episode order (gold first), and
/// each answer joins the first group whose *first* answer it matches, else opens a new group.
/// The matcher's tolerance relation is not transitive, so anchoring on the first member (rather
/// than chaining through any member) keeps one group from drifting across a range of values.
public struct VoteTally: Sendable, Equatable {
    /// Largest group first; equal sizes in order of their first trace.
    public var groups: [VoteGroup]
    /// Traces that ended with an answer.
    public var submitted: Int

    /// Groups the answers of `traces` (traces without an answer do not vote). `matchesGroundTruth`
    /// labels each group by its first answer; pass nil under triangulation.
    public init(traces: [Trace], matcher: AnswerMatcher, matchesGroundTruth: ((AnswerValue) -> Bool)? = nil) {
        var groups: [VoteGroup] = []
        var submitted = 0
        for (index, trace) in traces.enumerated() {
            guard let answer = trace.answer else { continue }
            submitted += 1
            if let group = groups.firstIndex(where: { matcher.matches(answer.value, $0.answer.value) }) {
                groups[group].traces.append(index)
            } else {
                groups.append(VoteGroup(answer: answer, traces: [index], matchesGroundTruth: matchesGroundTruth?(answer)))
            }
        }
        // A stable sort: groups were created in order of their first trace.
        let ordered = groups.enumerated().sorted { lhs, rhs in
            lhs.element.traces.count != rhs.element.traces.count
                ? lhs.element.traces.count > rhs.element.traces.count
                : lhs.offset < rhs.offset
        }
        self.groups = ordered.map(\.element)
        self.submitted = submitted
    }

    /// Size of the largest group over the number of traces that submitted; nil when none did.
    public var agreement: Double? {
        guard submitted > 0, let largest = groups.first else { return nil }
        return Double(largest.traces.count) / Double(submitted)
    }

    /// Shannon entropy in bits of the group sizes; 0 when every answer agrees, nil when no trace
    /// submitted.
    public var entropy: Double? {
        guard submitted > 0 else { return nil }
        var bits = 0.0
        for group in groups {
            let share = Double(group.traces.count) / Double(submitted)
            bits += share * log2(1 / share)
        }
        return bits
    }
}
