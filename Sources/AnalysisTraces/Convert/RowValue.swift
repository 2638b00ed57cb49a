/// A value of a training row: JSON, except that a floating-point number is always written with
/// a fraction or an exponent (`1.0`, never `1`).
///
/// Arrow (and so Hugging Face `datasets`) infers a column's type from the first file it reads:
/// a score column whose first file happens to hold only `0` and `1` would be typed `int64` and
/// the next split's `0.5` would no longer load. Writing `1.0` keeps such a column `float64` in
/// every file. Free-form values (answers, hook values, schemas) go into rows as JSON *strings*,
/// so that their shape cannot change a column's type either.
public indirect enum RowValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// Written with a fraction or an exponent; must be finite.
    case float(Double)
    case string(String)
    case array([RowValue])
    /// Members in the order given.
    case object([(String, RowValue)])

    /// The compact JSON text of the value.
    public var jsonBytes: [UInt8] {
        var buffer: [UInt8] = []
        write(to: &buffer)
        return buffer
    }

    /// Appends the compact JSON text of the value to `buffer`.
    public func write(to buffer: inout [UInt8]) {
        switch self {
        case .null: buffer.append(contentsOf: "null".utf8)
        case .bool(let flag): buffer.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): JSONWriter.appendInteger(Int64(number), to: &buffer)
        case .float(let number):
            let start = buffer.count
            JSONWriter.appendDouble(number, to: &buffer)
            let written = buffer[start...]
            if number.isFinite && !written.contains(UInt8(ascii: ".")) && !written.contains(UInt8(ascii: "e")) {
                buffer.append(contentsOf: ".0".utf8)
            }
        case .string(let text): JSONWriter.appendString(text, to: &buffer)
        case .array(let items):
            buffer.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                item.write(to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(member.0, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                member.1.write(to: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// `text`, or null when it is nil.
    public static func optional(_ text: String?) -> RowValue {
        text.map(RowValue.string) ?? .null
    }

    /// The compact JSON text of `value` as a string value (document order of object members).
    public static func jsonString(_ value: JSONValue) -> RowValue {
        .string(String(decoding: JSONWriter.bytes(value), as: UTF8.self))
    }
}
