/// A record that does not match its type: an unknown or missing key, a wrong type, a value out
/// of range or not among an enum's cases.
///
/// The description reads `'traces[0].turns[3].execution.timed_out': expected a boolean; found
/// a number`. For a problem with the top-level value, where `path` is empty, it is the message
/// alone. Readers of files add the file and the line in front of it.
public struct RecordDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field, in on-disk key names: keys joined with `.`, array positions as `[n]`
    /// (`traces[0].turns[3].execution.timed_out`). Empty for the top-level value.
    public var path: String
    /// A lower-case statement of the problem, expected versus found
    /// (`expected a string; found a number`, `unknown key 'foo'`).
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "'\(path)': \(message)" }
}
