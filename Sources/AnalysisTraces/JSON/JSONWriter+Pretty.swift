extension JSONWriter {
    /// `value` as indented JSON for files people read (`dataset.json`, run logs), laid out as
    /// Python's `json.dumps(value, indent=2, ensure_ascii=False)` lays it out: members in document
    /// order, two spaces per level, `": "` after keys, empty containers as `{}` and `[]`.
    /// No trailing newline.
    public static func prettyBytes(_ value: JSONValue, indent: Int = 2) -> [UInt8] {
        var buffer: [UInt8] = []
        writePretty(value, indent: indent, level: 0, to: &buffer)
        return buffer
    }

    private static func writePretty(_ value: JSONValue, indent: Int, level: Int, to buffer: inout [UInt8]) {
        func newline(_ level: Int) {
            buffer.append(0x0A)
            buffer.append(contentsOf: repeatElement(0x20, count: indent * level))
        }
        switch value {
        case .array(let elements) where !elements.isEmpty:
            buffer.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writePretty(element, indent: indent, level: level + 1, to: &buffer)
            }
            newline(level)
            buffer.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            buffer.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                newline(level + 1)
                appendString(member.key, to: &buffer)
                buffer.append(contentsOf: [UInt8(ascii: ":"), 0x20])
                writePretty(member.value, indent: indent, level: level + 1, to: &buffer)
            }
            newline(level)
            buffer.append(UInt8(ascii: "}"))
        default:
            write(value, to: &buffer)
        }
    }
}
