/// The alternatives cell of the ranking templates: every ordered list of `k` labels whose scores,
/// position by position, equal the reference ranking's scores. These are the rankings that break
/// ties differently from the stated rule; each is an answer a careful analyst could give.
enum RankingTies {
    /// Caps the enumeration (20 tied labels with k = 3 would give 6,840 orderings).
    static let maxAlternatives = 100

    /// Python that reads `scores` (label → score), `top_labels` and `top_scores` from the
    /// namespace and submits `[{labelsKey: [...], scoresKey: top_scores}, ...]`.
    static func alternatives(k: Int, labelsKey: String, scoresKey: String) -> String {
        """
        from itertools import permutations as _permutations
        _candidates = sorted(label for label, score in scores.items() if score >= top_scores[-1])
        _orderings = []
        for _ordering in _permutations(_candidates, \(k)):
            if [scores[label] for label in _ordering] == top_scores:
                _orderings.append({\(Python.literal(labelsKey)): list(_ordering), \(Python.literal(scoresKey)): top_scores})
                if len(_orderings) >= \(maxAlternatives):
                    break
        submit(_orderings)
        """
    }
}
