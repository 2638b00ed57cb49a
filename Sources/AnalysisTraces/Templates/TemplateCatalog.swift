/// Every question template, in a fixed order (the order questions are written in).
public enum TemplateCatalog {
    public static let all: [any QuestionTemplate] = DescriptiveTemplates.all + InferentialTemplates.all + AnalystTemplates.all

    /// The template with this id.
    public static func template(id: String) -> (any QuestionTemplate)? {
        all.first { $0.id == id }
    }
}
