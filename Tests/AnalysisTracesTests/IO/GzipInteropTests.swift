import Foundation
import TestSupport
import Testing
@testable import AnalysisTraces

@Suite(.timeLimit(.minutes(10))) struct GzipInteropTests {
    @Test(.enabled(if: IOTestSupport.gzipTool != nil, "needs gzip"))
    func gzipDecompressesOurMultiMemberFile() async throws {
        try await IOTestDirectory.with { dir in
            let lines = IOTestSupport.sampleLines(200)
            try IOTestSupport.writeGzip(lines, to: dir.file("ours.gz"), perMember: 30)
            let gzip = try #require(IOTestSupport.gzipTool)
            let decompressed = try await ChildProcess.run(gzip, ["-dc", dir.file("ours.gz")])
            #expect(decompressed.status == 0)
            #expect(decompressed.stdout == lines.joined(separator: "\n") + "\n")
            #expect(try await ChildProcess.run(gzip, ["-t", dir.file("ours.gz")]).status == 0)
        }
    }

    @Test(.enabled(if: IOTestSupport.python != nil, "needs python3"))
    func pythonGzipReadsOurMultiMemberFile() async throws {
        try await IOTestDirectory.with { dir in
            let lines = IOTestSupport.sampleLines(120)
            try IOTestSupport.writeGzip(lines, to: dir.file("ours.gz"), perMember: 11)
            let python = try #require(IOTestSupport.python)
            // Python decompresses every member and writes the bytes back out unchanged.
            let script = "import gzip,sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())"
            let read = try await ChildProcess.run(python, ["-c", script, dir.file("ours.gz")])
            #expect(read.status == 0)
            #expect(read.stdout == lines.joined(separator: "\n") + "\n")
        }
    }

    @Test(.enabled(if: IOTestSupport.python != nil, "needs python3"))
    func readsAMultiMemberFileWrittenByPython() async throws {
        try await IOTestDirectory.with { dir in
            let python = try #require(IOTestSupport.python)
            // Three members from gzip.compress (Python's header has a real MTIME), then a copy of
            // the first appended the way `cat a.gz b.gz` would.
            let script = """
            import gzip, sys
            batches = [[f'{{"n": {i}, "s": "caf\\u00e9 {i}"}}' for i in range(b * 4, b * 4 + 4)] for b in range(3)]
            with open(sys.argv[1], 'wb') as f:
                for batch in batches:
                    f.write(gzip.compress(('\\n'.join(batch) + '\\n').encode(), compresslevel=6))
                f.write(gzip.compress(('\\n'.join(batches[0]) + '\\n').encode(), compresslevel=6))
            """
            #expect(try await ChildProcess.run(python, ["-c", script, dir.file("py.gz")]).status == 0)
            let (read, summary) = try IOTestSupport.readLines(dir.file("py.gz"), policy: .completeMembersOnly)
            let expected = (0..<12).map { #"{"n": \#($0), "s": "café \#($0)"}"# }
            #expect(read == expected + Array(expected.prefix(4)))
            #expect(summary.members == 4)
            #expect(summary.damagedTail == nil)
        }
    }
}
