import Foundation
import Testing
@testable import AnalysisTraces

@Suite struct GzipDamageTests {
    /// 40 lines in 8 members of 5 lines.
    private func writeSample(_ dir: IOTestDirectory) throws -> (lines: [String], ends: [Int]) {
        let lines = IOTestSupport.sampleLines(40)
        let ends = try IOTestSupport.writeGzip(lines, to: dir.file("full.gz"), perMember: 5)
        return (lines, ends)
    }

    @Test func strictThrowsTruncatedWithOffsetMemberAndLineForAFileCutMidMember() throws {
        try IOTestDirectory.with { dir in
            let (lines, ends) = try writeSample(dir)
            let full = try IOTestSupport.bytes(of: dir.file("full.gz"))
            let cut = ends[3] + (ends[4] - ends[3]) / 2
            try IOTestSupport.write(Array(full[..<cut]), to: dir.file("cut.gz"))
            var seen: [String] = []
            let error = #expect(throws: GzipError.self) {
                try GzipLineReader(path: dir.file("cut.gz")).forEachLine { bytes, _ in
                    seen.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            #expect(error?.kind == .truncated)
            #expect(error?.offset == cut)
            #expect(error?.memberOffset == ends[3])
            // Strict hands out what it decompressed before the damage (at least 4 members' worth).
            #expect(seen.count >= 20)
            #expect(Array(lines.prefix(seen.count)) == seen)
            #expect(error?.line == seen.count + 1)
            #expect(error?.description.contains("truncated: the file ends at byte \(cut) in the member starting at byte \(ends[3])") == true)
        }
    }

    @Test func completeMembersOnlyReturnsEveryCompleteRecordAndReportsTheTruncation() throws {
        try IOTestDirectory.with { dir in
            let (lines, ends) = try writeSample(dir)
            let full = try IOTestSupport.bytes(of: dir.file("full.gz"))
            let cut = ends[5] + 7
            try IOTestSupport.write(Array(full[..<cut]), to: dir.file("cut.gz"))
            let (read, summary) = try IOTestSupport.readLines(dir.file("cut.gz"), policy: .completeMembersOnly)
            #expect(read == Array(lines.prefix(30)))
            #expect(summary.members == 6)
            #expect(summary.goodOffset == ends[5])
            let tail = try #require(summary.damagedTail)
            #expect(tail.goodOffset == ends[5])
            #expect(tail.completeLines == 30)
            #expect(tail.firstDamagedLine == 31)
            #expect(tail.cause.kind == .truncated)
            #expect(tail.cause.offset == cut)
            #expect(tail.cause.line == 31)
            #expect(tail.description.hasPrefix(dir.file("cut.gz") + ":31: damaged tail after byte \(ends[5])"))
        }
    }

    /// Every cut point of a multi-member file: complete members come back exactly.
    @Test func completeMembersOnlyRecoversExactlyTheMembersBeforeAnyCut() throws {
        try IOTestDirectory.with { dir in
            let lines = IOTestSupport.sampleLines(12)
            let ends = try IOTestSupport.writeGzip(lines, to: dir.file("full.gz"), perMember: 3)
            let full = try IOTestSupport.bytes(of: dir.file("full.gz"))
            for cut in 0...full.count {
                try IOTestSupport.write(Array(full[..<cut]), to: dir.file("cut.gz"))
                let (read, summary) = try IOTestSupport.readLines(dir.file("cut.gz"), policy: .completeMembersOnly)
                let completeMembers = ends.filter { $0 <= cut }.count
                #expect(read == Array(lines.prefix(completeMembers * 3)), "cut at \(cut)")
                #expect(summary.goodOffset == (completeMembers == 0 ? 0 : ends[completeMembers - 1]))
                #expect((summary.damagedTail == nil) == ends.contains(cut) || cut == 0, "cut at \(cut)")
                if cut > 0 && !ends.contains(cut) {
                    #expect(throws: GzipError.self, "cut at \(cut)") {
                        try GzipLineReader(path: dir.file("cut.gz")).forEachLine { _, _ in }
                    }
                }
            }
        }
    }

    @Test func reportsCorruptDeflateDataWithItsOffset() throws {
        try IOTestDirectory.with { dir in
            let (_, ends) = try writeSample(dir)
            var bytes = try IOTestSupport.bytes(of: dir.file("full.gz"))
            // Deflate data of member 3, a little after its 10-byte header.
            for index in (ends[1] + 12)..<(ends[1] + 40) { bytes[index] ^= 0x5A }
            try IOTestSupport.write(bytes, to: dir.file("bad.gz"))
            let error = #expect(throws: GzipError.self) {
                try GzipLineReader(path: dir.file("bad.gz")).forEachLine { _, _ in }
            }
            let kind = try #require(error?.kind)
            switch kind {
            case .corruptData, .crcMismatch, .lengthMismatch: break
            default: Issue.record("expected corrupt data, found \(kind)")
            }
            #expect(error?.memberOffset == ends[1])
            #expect((error?.offset ?? 0) > ends[1])
            let (read, summary) = try IOTestSupport.readLines(dir.file("bad.gz"), policy: .completeMembersOnly)
            #expect(read.count == 10)
            #expect(summary.damagedTail?.goodOffset == ends[1])
        }
    }

    @Test func reportsACRCMismatchAndALengthMismatchInTheTrailer() throws {
        try IOTestDirectory.with { dir in
            let (_, ends) = try writeSample(dir)
            let original = try IOTestSupport.bytes(of: dir.file("full.gz"))
            var crc = original
            crc[ends[2] - 8] ^= 0xFF
            try IOTestSupport.write(crc, to: dir.file("crc.gz"))
            let crcError = #expect(throws: GzipError.self) {
                try GzipLineReader(path: dir.file("crc.gz")).forEachLine { _, _ in }
            }
            #expect(crcError?.kind == .crcMismatch)
            #expect(crcError?.memberOffset == ends[1])
            #expect(crcError?.description.contains("CRC-32 mismatch") == true)

            var length = original
            length[ends[2] - 4] ^= 0x01
            try IOTestSupport.write(length, to: dir.file("len.gz"))
            let lengthError = #expect(throws: GzipError.self) {
                try GzipLineReader(path: dir.file("len.gz")).forEachLine { _, _ in }
            }
            #expect(lengthError?.kind == .lengthMismatch)
        }
    }

    @Test(arguments: [GzipLineReader.Policy.strict, .completeMembersOnly])
    func rejectsInputThatIsNotGzip(policy: GzipLineReader.Policy) throws {
        try IOTestDirectory.with { dir in
            try IOTestSupport.write(Array(#"{"a": 1}"#.utf8) + [0x0A], to: dir.file("plain.jsonl.gz"))
            let error = #expect(throws: GzipError.self) {
                try GzipLineReader(path: dir.file("plain.jsonl.gz")).forEachLine(policy: policy) { _, _ in }
            }
            #expect(error?.kind == .notGzip(found: [0x7B, 0x22, 0x61, 0x22]))
            #expect(error?.offset == 0)
            #expect(error?.description == "\(dir.file("plain.jsonl.gz")):1: not a gzip file: expected the magic bytes 1f 8b at byte 0, found 7b 22 61 22")
            #expect(error?.diagnostic.description.contains(": error: [gzip] not a gzip file") == true)
        }
    }

    @Test func rejectsAZlibStreamThatIsNotGzip() throws {
        try IOTestDirectory.with { dir in
            // A lone 0x1f 0x8b followed by an invalid method byte.
            try IOTestSupport.write([0x1F, 0x8B, 0x07, 0x00, 0, 0, 0, 0, 0, 3, 1, 2, 3], to: dir.file("odd.gz"))
            let error = #expect(throws: GzipError.self) {
                try GzipLineReader(path: dir.file("odd.gz")).forEachLine { _, _ in }
            }
            #expect(error?.kind == .corruptData("unknown compression method"))
        }
    }

    @Test(arguments: [GzipLineReader.Policy.strict, .completeMembersOnly])
    func skipsZeroPaddingBetweenAndAfterMembers(policy: GzipLineReader.Policy) throws {
        try IOTestDirectory.with { dir in
            let (lines, ends) = try writeSample(dir)
            let full = try IOTestSupport.bytes(of: dir.file("full.gz"))
            var padded: [UInt8] = []
            var start = 0
            for end in ends {
                padded += full[start..<end]
                padded += [UInt8](repeating: 0, count: 512)
                start = end
            }
            try IOTestSupport.write(padded, to: dir.file("padded.gz"))
            let (read, summary) = try IOTestSupport.readLines(dir.file("padded.gz"), policy: policy)
            #expect(read == lines)
            #expect(summary.members == 8)
            #expect(summary.goodOffset == padded.count - 512)
            #expect(summary.damagedTail == nil)
        }
    }

    @Test func treatsGarbageAfterTheLastMemberAsDamage() throws {
        try IOTestDirectory.with { dir in
            let (lines, ends) = try writeSample(dir)
            let full = try IOTestSupport.bytes(of: dir.file("full.gz"))
            try IOTestSupport.write(full + Array("garbage".utf8), to: dir.file("g.gz"))
            let error = #expect(throws: GzipError.self) {
                try GzipLineReader(path: dir.file("g.gz")).forEachLine { _, _ in }
            }
            #expect(error?.kind == .notGzip(found: Array("garb".utf8)))
            #expect(error?.offset == full.count)
            #expect(error?.line == 41)
            let (read, summary) = try IOTestSupport.readLines(dir.file("g.gz"), policy: .completeMembersOnly)
            #expect(read == lines)
            #expect(summary.damagedTail?.goodOffset == ends.last)
        }
    }

    @Test(arguments: [GzipLineReader.Policy.strict, .completeMembersOnly])
    func reportsALineOverTheLimitWithItsNumberInsteadOfBufferingIt(policy: GzipLineReader.Policy) throws {
        try IOTestDirectory.with { dir in
            let huge = String(repeating: "y", count: 200_000)
            try IOTestSupport.writeGzip(["ok", "fine", huge, "never"], to: dir.file("huge.gz"), perMember: 1)
            let options = GzipLineReader.Options(maxLineLength: 50_000, bufferSize: 8192)
            var seen: [Int] = []
            let error = #expect(throws: GzipError.self) {
                try GzipLineReader(path: dir.file("huge.gz"), options: options).forEachLine(policy: policy) { _, number in
                    seen.append(number)
                }
            }
            #expect(error?.kind == .lineTooLong(limit: 50_000))
            #expect(error?.line == 3)
            #expect(seen == [1, 2])
            #expect(error?.description.hasPrefix("\(dir.file("huge.gz")):3: line longer than the limit of 50000 bytes") == true)
        }
    }

    @Test func acceptsALineExactlyAtTheLimit() throws {
        try IOTestDirectory.with { dir in
            let line = String(repeating: "z", count: 10_000)
            try IOTestSupport.writeGzip([line], to: dir.file("edge.gz"))
            let options = GzipLineReader.Options(maxLineLength: 10_000, bufferSize: 4096)
            #expect(try IOTestSupport.readLines(dir.file("edge.gz"), options: options).lines == [line])
        }
    }
}
