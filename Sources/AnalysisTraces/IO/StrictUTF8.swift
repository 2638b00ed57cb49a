/// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF): the one
/// validator of the JSON parser's strings and of downloaded tables' text.
enum StrictUTF8 {
    /// The length of the valid multi-byte sequence whose lead byte is at `index` of
    /// `base[..<end]`; nil when the sequence is not valid or runs past `end`.
    @inline(__always)
    static func sequenceLength(_ base: UnsafePointer<UInt8>, at index: Int, end: Int) -> Int? {
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch base[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard index + length <= end else { return nil }
        let second = base[index + 1]
        guard second >= low && second <= high else { return nil }
        var offset = index + 2
        while offset < index + length {
            guard base[offset] & 0xC0 == 0x80 else { return nil }
            offset += 1
        }
        return length
    }

    /// Whether all of `bytes` is strict UTF-8.
    static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            var index = 0
            while index < buffer.count {
                if base[index] < 0x80 {
                    index += 1
                    continue
                }
                guard let length = sequenceLength(base, at: index, end: buffer.count) else { return false }
                index += length
            }
            return true
        }
    }
}
