import Foundation
@testable import AnalysisTraces

/// A temporary directory owned by one test, removed on every path.
struct IOTestDirectory {
    let path: String

    static func with<R>(_ body: (IOTestDirectory) throws -> R) throws -> R {
        let directory = try make()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        return try body(directory)
    }

    static func with<R>(_ body: (IOTestDirectory) async throws -> R) async throws -> R {
        let directory = try make()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        return try await body(directory)
    }

    private static func make() throws -> IOTestDirectory {
        let base = FileManager.default.temporaryDirectory.path
        let path = "\(base)/io-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return IOTestDirectory(path: path)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Names in the directory, hidden ones included, sorted.
    func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

enum IOTestSupport {
    /// Writes `lines` as gzip, ending a member after every `perMember` lines (0: one member);
    /// returns the byte offset where each member ends.
    @discardableResult
    static func writeGzip(_ lines: [String], to path: String, perMember: Int = 0, level: Int = 6) throws -> [Int] {
        let writer = try GzipWriter(path: path, mode: .truncate, level: level)
        var ends: [Int] = []
        for (index, line) in lines.enumerated() {
            try writer.writeLine(line)
            if perMember > 0 && (index + 1) % perMember == 0 {
                try writer.finishMember()
                try writer.flush()
                ends.append(writer.bytesWritten)
            }
        }
        let before = writer.membersFinished
        try writer.close()
        if writer.membersFinished > before { ends.append(writer.bytesWritten) }
        return ends
    }

    /// Reads every line as a string.
    static func readLines(
        _ path: String, policy: GzipLineReader.Policy = .strict,
        options: GzipLineReader.Options = GzipLineReader.Options()
    ) throws -> (lines: [String], summary: GzipReadSummary) {
        var lines: [String] = []
        let summary = try GzipLineReader(path: path, options: options).forEachLine(policy: policy) { bytes, number in
            guard number == lines.count + 1 else { throw LineNumberGap(expected: lines.count + 1, found: number) }
            lines.append(String(decoding: bytes, as: UTF8.self))
        }
        return (lines, summary)
    }

    static func bytes(of path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The interpreter for interop tests: Debian's python3, else the first python3 on PATH.
    static let python: String? = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }()

    static let gzipTool: String? = ["/usr/bin/gzip", "/bin/gzip"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Sample lines with varied lengths, escapes and non-ASCII text.
    static func sampleLines(_ count: Int, seed: Int = 1) -> [String] {
        (0..<count).map { index in
            let filler = String(repeating: "x\u{e9}", count: (index * 37 + seed) % 300)
            return #"{"n":\#(index),"text":"line \#(index) \"quoted\" \#(filler)"}"#
        }
    }
}

struct LineNumberGap: Error {
    let expected: Int
    let found: Int
}
