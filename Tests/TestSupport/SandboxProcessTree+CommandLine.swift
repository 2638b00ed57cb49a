import AnalysisTraces
import Foundation

extension SandboxProcessTree {
    /// The command line of a process, arguments separated by spaces (tests find the zygote by it).
    public static func commandLine(of pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}
