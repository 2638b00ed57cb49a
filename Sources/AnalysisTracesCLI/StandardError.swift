#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes whole lines to standard error, unbuffered (diagnostics and logs go there, never stdout).
public enum FileHandleStandardError {
    public static func write(_ line: String) {
        var text = line
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes `text` as it is (no newline added), for in-place terminal updates.
    public static func writeRaw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
