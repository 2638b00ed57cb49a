/// Questions whose answers can be read off one another: one relation between templates, written
/// once, instead of a special case in each template.
///
/// A ``Family`` lists templates and, for each, the parameters that name the thing its answer
/// describes. Two questions of the same family whose named columns are the same set are
/// derivable from each other (R² of a line is the squared correlation of the same pair; the
/// group with the largest mean is read off the table of group means), so a question set keeps
/// only the first of them.
public enum DerivableQuestions {
    public struct Family: Sendable {
        public var name: String
        /// Template id → the parameter keys whose values (column names) identify the subject.
        public var members: [String: [String]]
    }

    public static let families: [Family] = [
        Family(name: "the means of a measure per group", members: [
            "group_means": ["group_column", "column"],
            "group_with_largest_mean": ["group_column", "column"],
            "top_groups_by_mean": ["group_column", "column"],
            "difference_between_two_groups": ["group_column", "column"],
            "two_group_mean_test": ["group_column", "measure"],
        ]),
        Family(name: "the summary statistics of one measure", members: [
            "center_and_spread": ["column"],
            "five_number_summary": ["column"],
            "iqr_outliers": ["column"],
            "z_score_outliers": ["column"],
        ]),
        Family(name: "the ranking of labelled rows by a measure", members: [
            "label_with_extreme_value": ["label_column", "measure"],
            "top_labels_by_value": ["label_column", "measure"],
        ]),
        Family(name: "the linear association of two measures", members: [
            "correlation_between": ["first_column", "second_column"],
            "simple_linear_fit": ["response", "predictor"],
        ]),
    ]

    /// The family and subject of a question, or nil when its template is in no family.
    public static func subject(templateID: String, parameters: JSONValue) -> (family: String, columns: Set<String>)? {
        guard case .object(let members) = parameters else { return nil }
        for family in families {
            guard let keys = family.members[templateID] else { continue }
            var columns = Set<String>()
            for key in keys {
                guard let value = members.first(where: { $0.key == key })?.value, case .string(let name) = value else { return nil }
                columns.insert(name)
            }
            return (family.name, columns)
        }
        return nil
    }

    /// Whether two questions can be read off each other.
    public static func derivable(_ first: TemplateInstance, _ second: TemplateInstance) -> Bool {
        guard let a = subject(templateID: first.templateID, parameters: first.parameters),
              let b = subject(templateID: second.templateID, parameters: second.parameters) else { return false }
        return a.family == b.family && a.columns == b.columns
    }
}
