import Foundation
import Testing
@testable import AnalysisTraces

@Suite struct GzipRoundTripTests {
    @Test func readsBackTheLinesOfASingleMemberFile() throws {
        try IOTestDirectory.with { dir in
            let lines = IOTestSupport.sampleLines(500)
            let ends = try IOTestSupport.writeGzip(lines, to: dir.file("a.gz"))
            let (read, summary) = try IOTestSupport.readLines(dir.file("a.gz"))
            #expect(read == lines)
            #expect(summary.members == 1)
            #expect(ends.count == 1)
            #expect(summary.goodOffset == ends[0])
            #expect(summary.damagedTail == nil)
        }
    }

    @Test(arguments: [GzipLineReader.Policy.strict, .completeMembersOnly])
    func readsBackTheLinesOfAMultiMemberFile(policy: GzipLineReader.Policy) throws {
        try IOTestDirectory.with { dir in
            let lines = IOTestSupport.sampleLines(100)
            let ends = try IOTestSupport.writeGzip(lines, to: dir.file("m.gz"), perMember: 7)
            let (read, summary) = try IOTestSupport.readLines(dir.file("m.gz"), policy: policy)
            #expect(read == lines)
            #expect(summary.members == 15)
            #expect(ends.count == 15)
            #expect(summary.goodOffset == ends.last)
            #expect(summary.lines == 100)
        }
    }

    @Test func writesAValidEmptyMemberWhenNoLinesWereWritten() throws {
        try IOTestDirectory.with { dir in
            try IOTestSupport.writeGzip([], to: dir.file("empty.gz"))
            let bytes = try IOTestSupport.bytes(of: dir.file("empty.gz"))
            #expect(bytes.count == 20)
            #expect(Array(bytes.prefix(2)) == [0x1F, 0x8B])
            let (read, summary) = try IOTestSupport.readLines(dir.file("empty.gz"))
            #expect(read.isEmpty)
            #expect(summary.members == 1)
        }
    }

    @Test(arguments: [GzipLineReader.Policy.strict, .completeMembersOnly])
    func readsAZeroByteFileAsNoLines(policy: GzipLineReader.Policy) throws {
        try IOTestDirectory.with { dir in
            try IOTestSupport.write([], to: dir.file("zero.gz"))
            let (read, summary) = try IOTestSupport.readLines(dir.file("zero.gz"), policy: policy)
            #expect(read.isEmpty)
            #expect(summary == GzipReadSummary())
        }
    }

    @Test(arguments: [GzipLineReader.Policy.strict, .completeMembersOnly])
    func assemblesALineLongerThanTheReadBuffer(policy: GzipLineReader.Policy) throws {
        try IOTestDirectory.with { dir in
            let long = String(repeating: "0123456789", count: 50_000)
            let lines = ["short", long, "after", long + "!"]
            try IOTestSupport.writeGzip(lines, to: dir.file("long.gz"), perMember: 1)
            let options = GzipLineReader.Options(bufferSize: 4096)
            let (read, _) = try IOTestSupport.readLines(dir.file("long.gz"), policy: policy, options: options)
            #expect(read == lines)
        }
    }

    @Test func handsOutAFinalLineWithoutANewline() throws {
        try IOTestDirectory.with { dir in
            let writer = try GzipWriter(path: dir.file("nonl.gz"), mode: .createNew)
            try writer.writeLine("first")
            try Array("second".utf8).withUnsafeBytes { try writer.write($0) }
            try writer.close()
            for policy in [GzipLineReader.Policy.strict, .completeMembersOnly] {
                let (read, summary) = try IOTestSupport.readLines(dir.file("nonl.gz"), policy: policy)
                #expect(read == ["first", "second"])
                #expect(summary.uncompressedBytes == 12)
            }
        }
    }

    @Test func keepsEmptyLinesAndCountsThem() throws {
        try IOTestDirectory.with { dir in
            let lines = ["a", "", "", "b", ""]
            try IOTestSupport.writeGzip(lines, to: dir.file("blank.gz"))
            #expect(try IOTestSupport.readLines(dir.file("blank.gz")).lines == lines)
        }
    }

    @Test(arguments: [GzipLineReader.Policy.strict, .completeMembersOnly])
    func joinsALineThatSpansAMemberBoundary(policy: GzipLineReader.Policy) throws {
        try IOTestDirectory.with { dir in
            let writer = try GzipWriter(path: dir.file("split.gz"), mode: .createNew)
            try Array("one\ntw".utf8).withUnsafeBytes { try writer.write($0) }
            try writer.finishMember()
            try writer.writeLine("o")
            try writer.finishMember()
            try writer.writeLine("three")
            try writer.close()
            let (read, summary) = try IOTestSupport.readLines(dir.file("split.gz"), policy: policy)
            #expect(read == ["one", "two", "three"])
            #expect(summary.members == 3)
        }
    }

    @Test func writesByteIdenticalOutputForIdenticalInput() throws {
        try IOTestDirectory.with { dir in
            let lines = IOTestSupport.sampleLines(300, seed: 9)
            try IOTestSupport.writeGzip(lines, to: dir.file("1.gz"), perMember: 50)
            try IOTestSupport.writeGzip(lines, to: dir.file("2.gz"), perMember: 50)
            let first = try IOTestSupport.bytes(of: dir.file("1.gz"))
            #expect(first == (try IOTestSupport.bytes(of: dir.file("2.gz"))))
            // MTIME (bytes 4-7) is zero.
            #expect(Array(first[4..<8]) == [0, 0, 0, 0])
        }
    }

    @Test func honoursTheCompressionLevel() throws {
        try IOTestDirectory.with { dir in
            let lines = IOTestSupport.sampleLines(400)
            try IOTestSupport.writeGzip(lines, to: dir.file("l0.gz"), level: 0)
            try IOTestSupport.writeGzip(lines, to: dir.file("l9.gz"), level: 9)
            let stored = try IOTestSupport.bytes(of: dir.file("l0.gz")).count
            let compressed = try IOTestSupport.bytes(of: dir.file("l9.gz")).count
            #expect(compressed < stored / 2)
            #expect(try IOTestSupport.readLines(dir.file("l0.gz")).lines == lines)
            #expect(throws: GzipError.self) { try GzipWriter(path: dir.file("bad.gz"), mode: .truncate, level: 12) }
        }
    }

    @Test func handsOutTheSameLinesWhenMembersExceedTheHoldBackLimit() throws {
        try IOTestDirectory.with { dir in
            let lines = IOTestSupport.sampleLines(2000)
            try IOTestSupport.writeGzip(lines, to: dir.file("big.gz"), perMember: 600)
            let options = GzipLineReader.Options(bufferSize: 4096, holdBackLimit: 10_000)
            let (read, summary) = try IOTestSupport.readLines(dir.file("big.gz"), policy: .completeMembersOnly, options: options)
            #expect(read == lines)
            #expect(summary.members == 4)
        }
    }

    @Test func stopsWhenTheBodyThrowsAndPropagatesItsError() throws {
        struct Stop: Error {}
        try IOTestDirectory.with { dir in
            try IOTestSupport.writeGzip(IOTestSupport.sampleLines(50), to: dir.file("s.gz"))
            var seen = 0
            #expect(throws: Stop.self) {
                try GzipLineReader(path: dir.file("s.gz")).forEachLine { _, number in
                    seen = number
                    if number == 10 { throw Stop() }
                }
            }
            #expect(seen == 10)
        }
    }

    @Test func reportsAMissingFileWithItsPath() throws {
        try IOTestDirectory.with { dir in
            let error = #expect(throws: FileSystemError.self) { try GzipLineReader(path: dir.file("missing.gz")) }
            #expect(error?.errno == ENOENT)
            #expect(error?.description.hasPrefix(dir.file("missing.gz") + ": cannot open for reading") == true)
        }
    }
}
