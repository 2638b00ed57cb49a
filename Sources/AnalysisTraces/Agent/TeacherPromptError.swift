/// A prompt that cannot be loaded or filled.
public enum TeacherPromptError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(version: String, path: String)
    case notUTF8(version: String, path: String)
    case unknownPlaceholder(version: String, name: String)
    case unclosedPlaceholder(version: String, near: String)
    case unusedValue(version: String, name: String)

    public var description: String {
        switch self {
        case .missing(let version, let path):
            "\(path): error: prompt '\(version)' is missing from the library's resources"
        case .notUTF8(let version, let path):
            "\(path): error: prompt '\(version)' is not UTF-8 text"
        case .unknownPlaceholder(let version, let name):
            "prompt '\(version)': error: the placeholder '{{\(name)}}' has no value; expected one of \(TeacherPrompt.placeholders.joined(separator: ", "))"
        case .unclosedPlaceholder(let version, let near):
            "prompt '\(version)': error: a '{{' is never closed with '}}', near '\(near)'"
        case .unusedValue(let version, let name):
            "prompt '\(version)': error: the value '\(name)' is given but the prompt has no '{{\(name)}}'"
        }
    }
}
