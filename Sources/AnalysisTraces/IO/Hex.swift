import Crypto
import Foundation

extension Sequence<UInt8> {
    /// The bytes as lower-case hex, two digits each, with `separator` between bytes: how records
    /// write a SHA-256 (`"9f86d0…"`) and how diagnostics show raw bytes (`"1f 8b"`).
    public func hexString(separator: String = "") -> String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * (2 + separator.utf8.count))
        for byte in self {
            if !text.isEmpty { text.append(contentsOf: separator.utf8) }
            text.append(JSONWriter.hexDigit(byte >> 4))
            text.append(JSONWriter.hexDigit(byte & 0x0F))
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// SHA-256 as every record holds it: 64 lower-case hex digits.
public enum SHA256Hex {
    /// The SHA-256 of `bytes`.
    public static func of(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).hexString()
    }
}
