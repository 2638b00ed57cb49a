/// Bounds the hook values kept in a trace: a value whose canonical form is over the limit is
/// replaced by a summary object (the hook's `value_summarized` is then true), while the hook's
/// hash is always taken over the full value.
///
/// Summaries, all with the full value's canonical size in `canonical_bytes`:
/// - a DataFrame (the sandbox's `{"columns", "index", "data"}` layout):
///   `{"kind": "table", "rows", "columns", "column_names", "index_head", "head", "canonical_bytes"}`;
/// - a list: `{"kind": "array", "length", "head", "canonical_bytes"}`;
/// - an object (a Series is one, keyed by its index): `{"kind": "object", "size", "head", "canonical_bytes"}`;
/// - a string: `{"kind": "string", "length", "prefix", "canonical_bytes"}` (length in characters).
///
/// `head` holds the leading elements (rows, items, members) that fit in about half the limit;
/// an element too large to fit ends the head. A summary is never larger than the limit plus a
/// few hundred bytes of keys and counts.
public enum HookValueSummary {
    /// `value` itself when its canonical form has at most `limitBytes` bytes, else its summary.
    public static func bounded(_ value: JSONValue, limitBytes: Int) -> (value: JSONValue, summarized: Bool) {
        let size = CanonicalJSON.bytes(value).count
        guard size > limitBytes else { return (value, false) }
        let budget = max(limitBytes / 2, 64)
        let canonicalBytes = JSONValue.int(Int64(size))
        switch value {
        case .object(let members) where isTable(members):
            let columns = arrayMember(members, "columns")
            let index = arrayMember(members, "index")
            let rows = arrayMember(members, "data")
            let head = prefix(rows, fitting: budget)
            let names = prefix(columns, fitting: budget / 4)
            let labels = prefix(Array(index.prefix(head.count)), fitting: budget / 4)
            return (.object([
                ("kind", .string("table")),
                ("rows", .int(Int64(rows.count))),
                ("columns", .int(Int64(columns.count))),
                ("column_names", .array(names)),
                ("index_head", .array(labels)),
                ("head", .array(head)),
                ("canonical_bytes", canonicalBytes),
            ]), true)
        case .array(let items):
            return (.object([
                ("kind", .string("array")),
                ("length", .int(Int64(items.count))),
                ("head", .array(prefix(items, fitting: budget))),
                ("canonical_bytes", canonicalBytes),
            ]), true)
        case .object(let members):
            var head: [(key: String, value: JSONValue)] = []
            var used = 0
            for member in members {
                let cost = CanonicalJSON.bytes(.object([member])).count
                if used + cost > budget { break }
                head.append(member)
                used += cost
            }
            return (.object([
                ("kind", .string("object")),
                ("size", .int(Int64(members.count))),
                ("head", .object(head)),
                ("canonical_bytes", canonicalBytes),
            ]), true)
        case .string(let text):
            return (.object([
                ("kind", .string("string")),
                ("length", .int(Int64(text.count))),
                ("prefix", .string(utf8Prefix(text, bytes: budget))),
                ("canonical_bytes", canonicalBytes),
            ]), true)
        case .null, .bool, .int, .double:
            return (value, false)
        }
    }

    private static func isTable(_ members: [(key: String, value: JSONValue)]) -> Bool {
        guard members.map(\.key) == ["columns", "index", "data"] else { return false }
        return members.allSatisfy { if case .array = $0.value { true } else { false } }
    }

    private static func arrayMember(_ members: [(key: String, value: JSONValue)], _ key: String) -> [JSONValue] {
        for member in members where member.key == key {
            if case .array(let items) = member.value { return items }
        }
        return []
    }

    /// The leading items whose canonical forms together fit in `budget` bytes.
    private static func prefix(_ items: [JSONValue], fitting budget: Int) -> [JSONValue] {
        var kept: [JSONValue] = []
        var used = 0
        for item in items {
            let cost = CanonicalJSON.bytes(item).count + 1
            if used + cost > budget { break }
            kept.append(item)
            used += cost
        }
        return kept
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character.
    static func utf8Prefix(_ text: String, bytes: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            let cost = character.utf8.count
            if used + cost > bytes { break }
            result.append(character)
            used += cost
        }
        return result
    }
}
