import Foundation
import Testing
@testable import AnalysisTraces

@Suite struct AtomicFileTests {
    private struct Midway: Error {}

    @Test func publishesTheCompleteFileAndLeavesNoTemporary() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("out.jsonl.gz")
            let lines = IOTestSupport.sampleLines(30)
            try AtomicFile.writeGzip(to: target) { writer in
                for line in lines { try writer.writeLine(line) }
                #expect(!FileManager.default.fileExists(atPath: target))
                #expect(try dir.listing().count == 1)
                #expect(try dir.listing().first?.hasPrefix(".out.jsonl.gz.tmp-\(getpid())-") == true)
            }
            #expect(try dir.listing() == ["out.jsonl.gz"])
            #expect(try IOTestSupport.readLines(target).lines == lines)
        }
    }

    @Test func leavesNoTargetAndNoTemporaryWhenTheBodyThrowsMidway() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("out.jsonl.gz")
            #expect(throws: Midway.self) {
                try AtomicFile.writeGzip(to: target) { writer in
                    for line in IOTestSupport.sampleLines(10_000) { try writer.writeLine(line) }
                    try writer.flush()
                    throw Midway()
                }
            }
            let listing = try dir.listing()
            #expect(listing.isEmpty)
        }
    }

    @Test func leavesAnExistingTargetUntouchedAfterAFailure() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("keep.txt")
            try IOTestSupport.write(Array("old contents\n".utf8), to: target)
            #expect(throws: Midway.self) {
                try AtomicFile.write(to: target) { file in
                    try Array("new".utf8).withUnsafeBytes { try POSIXFile.writeAll(file.fileDescriptor, $0, path: file.temporaryPath) }
                    throw Midway()
                }
            }
            #expect(try dir.listing() == ["keep.txt"])
            #expect(try IOTestSupport.bytes(of: target) == Array("old contents\n".utf8))
        }
    }

    @Test func replacesAnExistingTargetOnCommit() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("t.txt")
            try IOTestSupport.write(Array("old".utf8), to: target)
            try AtomicFile.write(to: target) { file in
                try Array("new".utf8).withUnsafeBytes { try POSIXFile.writeAll(file.fileDescriptor, $0, path: file.temporaryPath) }
            }
            #expect(try IOTestSupport.bytes(of: target) == Array("new".utf8))
            #expect(try dir.listing() == ["t.txt"])
        }
    }

    @Test func removesTheTemporaryWhenTheRenameFails() throws {
        try IOTestDirectory.with { dir in
            // A non-empty directory at the target makes rename(2) fail.
            let target = dir.file("occupied")
            try FileManager.default.createDirectory(atPath: target + "/inside", withIntermediateDirectories: true)
            let error = #expect(throws: FileSystemError.self) {
                try AtomicFile.writeGzip(to: target) { writer in try writer.writeLine("x") }
            }
            #expect(error?.path == target)
            #expect(try dir.listing() == ["occupied"])
        }
    }

    @Test func removesTheTemporaryOfAFileThatIsDroppedUncommitted() throws {
        try IOTestDirectory.with { dir in
            do {
                let file = try AtomicFile(target: dir.file("dropped"))
                #expect(FileManager.default.fileExists(atPath: file.temporaryPath))
            }
            let listing = try dir.listing()
            #expect(listing.isEmpty)
        }
    }

    @Test func discardsInsteadOfPublishingWhenTheTaskIsCancelled() async throws {
        try await IOTestDirectory.with { dir in
            let target = dir.file("cancelled.gz")
            let task = Task {
                try await AtomicFile.writeGzip(to: target) { writer in
                    try writer.writeLine("partial work")
                    await Task.yield()
                    // Cancelled after the body's work: the check before publishing catches it.
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            let listing = try dir.listing()
            #expect(listing.isEmpty)
        }
    }

    @Test func createsTheTemporaryInTheTargetsDirectory() throws {
        try IOTestDirectory.with { dir in
            try FileManager.default.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: false)
            let file = try AtomicFile(target: dir.file("sub/x.gz"))
            #expect(file.temporaryPath.hasPrefix(dir.file("sub/.x.gz.tmp-")))
            file.discard()
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("sub")).isEmpty)
        }
    }
}
