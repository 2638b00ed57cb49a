/// The canonical JSON form of a value and its hash: how answers and hook values are compared
/// and identified across runs and languages.
///
/// The canonical form is the compact ``JSONWriter`` layout with object keys sorted by their
/// UTF-8 bytes at every level: no whitespace, numbers by value in ECMAScript style (so `1` and
/// `1.0` give the same text, integers beyond 2^53 stay exact), strings with minimal escaping
/// and no Unicode normalisation. The tagged non-finite object `{"$float":"nan"}` is an ordinary
/// object. See <doc:CanonicalJSON> for the rules and the published test vectors.
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of `value`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        JSONWriter.bytes(value, sortingKeys: true)
    }

    /// The canonical text of `value`.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// SHA-256 of the canonical bytes of `value`, as 64 lower-case hex digits.
    public static func sha256(_ value: JSONValue) -> String {
        SHA256Hex.of(bytes(value))
    }
}
