import Foundation
import Testing
@testable import AnalysisTraces

@Suite struct PartialFileTests {
    private func records(_ range: Range<Int>) -> [String] {
        range.map { #"{"record":\#($0),"payload":"\#(String(repeating: "p", count: $0 * 13 % 97))"}"# }
    }

    private func resume(_ partial: PartialFile) throws -> (records: [String], report: PartialFileResume) {
        var resumed: [String] = []
        let report = try partial.open { bytes, number in
            #expect(number == resumed.count + 1)
            resumed.append(String(decoding: bytes, as: UTF8.self))
        }
        return (resumed, report)
    }

    /// Writes the records, one member each, straight through and published: the reference.
    private func uninterrupted(_ all: [String], _ dir: IOTestDirectory, name: String = "reference.gz") throws -> [UInt8] {
        let partial = PartialFile(target: dir.file(name))
        try partial.open()
        for record in all { try partial.append(Array(record.utf8)) }
        try partial.publish()
        return try IOTestSupport.bytes(of: dir.file(name))
    }

    @Test func publishesAllRecordsAndLeavesNoPartialBehind() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("episodes.jsonl.gz")
            let partial = PartialFile(target: target)
            #expect(partial.path == target + ".partial")
            let report = try partial.open()
            #expect(report == PartialFileResume())
            for record in records(0..<25) { try partial.append(Array(record.utf8)) }
            #expect(partial.recordCount == 25)
            try partial.publish()
            #expect(try dir.listing() == ["episodes.jsonl.gz"])
            #expect(try IOTestSupport.readLines(target).lines == records(0..<25))
        }
    }

    @Test func publishesAValidGzipFileWhenThereAreNoRecords() throws {
        try IOTestDirectory.with { dir in
            let partial = PartialFile(target: dir.file("none.gz"))
            try partial.open()
            try partial.publish()
            #expect(try IOTestSupport.bytes(of: dir.file("none.gz")).count == 20)
            #expect(try IOTestSupport.readLines(dir.file("none.gz")).lines.isEmpty)
        }
    }

    @Test func resumesAfterACleanCloseWithoutLossOrDuplicates() throws {
        try IOTestDirectory.with { dir in
            let all = records(0..<20)
            let reference = try uninterrupted(all, dir)
            let target = dir.file("out.gz")
            let first = PartialFile(target: target)
            try first.open()
            for record in all.prefix(8) { try first.append(Array(record.utf8)) }
            try first.close()

            let second = PartialFile(target: target)
            let (resumed, report) = try resume(second)
            #expect(resumed == Array(all.prefix(8)))
            #expect(report.discardedBytes == 0)
            #expect(second.recordCount == 8)
            for record in all.dropFirst(resumed.count) { try second.append(Array(record.utf8)) }
            try second.publish()
            #expect(try IOTestSupport.readLines(target).lines == all)
            #expect(try IOTestSupport.bytes(of: target) == reference)
        }
    }

    /// A writer killed at any byte: the resumed run hands back exactly the complete records,
    /// and finishing the work gives the same file as an uninterrupted run.
    @Test func resumesAPartialFileKilledMidMemberAtAnyOffset() throws {
        try IOTestDirectory.with { dir in
            let all = records(0..<6)
            let reference = try uninterrupted(all, dir)
            let ends = try memberEnds(of: all, dir)
            let target = dir.file("out.gz")
            for cut in 0...reference.count {
                try IOTestSupport.write(Array(reference[..<cut]), to: PartialFile.partialPath(for: target))
                let partial = PartialFile(target: target)
                let (resumed, report) = try resume(partial)
                let complete = ends.filter { $0 <= cut }.count
                #expect(resumed == Array(all.prefix(complete)), "cut at \(cut)")
                #expect(report.goodOffset == (complete == 0 ? 0 : ends[complete - 1]), "cut at \(cut)")
                #expect(report.discardedBytes == cut - report.goodOffset, "cut at \(cut)")
                #expect((report.damagedTail != nil) == (report.discardedBytes > 0), "cut at \(cut)")
                for record in all.dropFirst(resumed.count) { try partial.append(Array(record.utf8)) }
                try partial.publish()
                #expect(try IOTestSupport.bytes(of: target) == reference, "cut at \(cut)")
                try FileManager.default.removeItem(atPath: target)
            }
        }
    }

    @Test func loseOnlyTheUnflushedBatchWhenTheWriterDies() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("batched.gz")
            let all = records(0..<20)
            let options = PartialFile.Options(recordsPerMember: 3)
            do {
                let dying = PartialFile(target: target, options: options)
                try dying.open()
                for record in all.prefix(8) { try dying.append(Array(record.utf8)) }
                // Dropped without close(): records 7 and 8 were never flushed.
            }
            let partial = PartialFile(target: target, options: options)
            let (resumed, _) = try resume(partial)
            #expect(resumed == Array(all.prefix(6)))
            for record in all.dropFirst(resumed.count) { try partial.append(Array(record.utf8)) }
            try partial.publish()
            #expect(try IOTestSupport.readLines(target).lines == all)
        }
    }

    @Test func cutsOffZeroBytesAndGarbageLeftAtTheTail() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("tail.gz")
            let all = records(0..<5)
            let writer = PartialFile(target: target)
            try writer.open()
            for record in all.prefix(3) { try writer.append(Array(record.utf8)) }
            try writer.close()
            let path = PartialFile.partialPath(for: target)
            let good = try IOTestSupport.bytes(of: path)
            try IOTestSupport.write(good + [UInt8](repeating: 0, count: 4096) + [0x1F, 0x8B, 8, 0, 0], to: path)
            let partial = PartialFile(target: target)
            let (resumed, report) = try resume(partial)
            #expect(resumed == Array(all.prefix(3)))
            #expect(report.goodOffset == good.count)
            #expect(report.discardedBytes == 4096 + 5)
            #expect(try IOTestSupport.bytes(of: path) == good)
            for record in all.dropFirst(3) { try partial.append(Array(record.utf8)) }
            try partial.publish()
            #expect(try IOTestSupport.readLines(target).lines == all)
        }
    }

    @Test func refusesToResumeAFileThatIsNotGzipAndLeavesItUntouched() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("x.jsonl.gz")
            let path = PartialFile.partialPath(for: target)
            let text = Array("{\"not\": \"gzip\"}\n".utf8)
            try IOTestSupport.write(text, to: path)
            let error = #expect(throws: GzipError.self) { try PartialFile(target: target).open() }
            #expect(error?.offset == 0)
            #expect(try IOTestSupport.bytes(of: path) == text)
        }
    }

    @Test func refusesASecondWriterOnTheSamePartialFile() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("locked.gz")
            let first = PartialFile(target: target)
            try first.open()
            let error = #expect(throws: FileSystemError.self) { try PartialFile(target: target).open() }
            #expect(error?.errno == EWOULDBLOCK)
            try first.close()
            try PartialFile(target: target).open()
        }
    }

    @Test func rejectsARecordThatContainsANewline() throws {
        try IOTestDirectory.with { dir in
            let partial = PartialFile(target: dir.file("nl.gz"))
            try partial.open()
            #expect(throws: FileSystemError.self) { try partial.append(Array("a\nb".utf8)) }
            #expect(partial.recordCount == 0)
            try partial.discard()
            #expect(try dir.listing().isEmpty)
        }
    }

    /// The member end offsets of `records` written one per member.
    private func memberEnds(of records: [String], _ dir: IOTestDirectory) throws -> [Int] {
        try IOTestSupport.writeGzip(records, to: dir.file("ends.gz"), perMember: 1)
    }
}
