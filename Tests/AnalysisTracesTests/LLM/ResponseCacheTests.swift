import Foundation
import Testing
@testable import AnalysisTraces

@Suite struct ResponseCacheTests {
    private func cache(_ dir: IOTestDirectory, _ mode: CacheMode) -> ResponseCache {
        ResponseCache(directory: dir.file("cache"), mode: mode, logger: LLMTestSupport.logger)
    }

    @Test func storesAnEntryUnderItsKeyAndReturnsItAsAHitWithTheOriginalUsage() throws {
        try IOTestDirectory.with { dir in
            let cache = cache(dir, .readWrite)
            let request = LLMTestSupport.request()
            #expect(cache.lookup(request) == nil)
            cache.store(request, responseBody: LLMTestSupport.body("42", prompt: 30, completion: 7),
                        completion: LLMTestSupport.completion("42", prompt: 30, completion: 7, cost: 0.25))
            let key = ResponseCache.key(for: request)
            let path = dir.file("cache/\(key.prefix(2))/\(key).json")
            #expect(cache.path(forKey: key) == path)
            #expect(FileManager.default.fileExists(atPath: path))
            let hit = try #require(cache.lookup(request))
            #expect(hit.cacheHit)
            #expect(hit.message.content == "42")
            #expect(hit.usage == Usage(calls: 1, promptTokens: 30, completionTokens: 7, reasoningTokens: 0, costUSD: 0.25))
            let entry = try JSONParser.parse(Array(try #require(FileManager.default.contents(atPath: path))))
            #expect(entry["key"] == .string(key))
            #expect(entry["request"]?["model"] == .string("scripted-model"))
            #expect(entry["response"]?["choices"] != nil)
            #expect(entry["usage"]?["cost_usd"] == .double(0.25))
            // No temporary files left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("cache/\(key.prefix(2))")) == ["\(key).json"])
        }
    }

    @Test func twoStoresOfTheSameAnswerWriteIdenticalBytes() throws {
        try IOTestDirectory.with { dir in
            let cache = cache(dir, .readWrite)
            let request = LLMTestSupport.request()
            let path = cache.path(forKey: ResponseCache.key(for: request))
            cache.store(request, responseBody: LLMTestSupport.body("a"), completion: LLMTestSupport.completion("a"))
            let first = FileManager.default.contents(atPath: path)
            cache.store(request, responseBody: LLMTestSupport.body("a"), completion: LLMTestSupport.completion("a"))
            #expect(FileManager.default.contents(atPath: path) == first)
        }
    }

    @Test("each mode reads and writes as documented", arguments: [
        (CacheMode.readWrite, true, true), (.readOnly, true, false), (.writeOnly, false, true), (.off, false, false), (.replay, true, false),
    ])
    func modes(_ example: (mode: CacheMode, reads: Bool, writes: Bool)) throws {
        try IOTestDirectory.with { dir in
            let request = LLMTestSupport.request()
            let seeded = cache(dir, .readWrite)
            let other = LLMTestSupport.request("another question")
            seeded.store(request, responseBody: LLMTestSupport.body("seeded"), completion: LLMTestSupport.completion("seeded"))
            let cache = cache(dir, example.mode)
            #expect((cache.lookup(request) != nil) == example.reads)
            cache.store(other, responseBody: LLMTestSupport.body("new"), completion: LLMTestSupport.completion("new"))
            #expect((seeded.lookup(other) != nil) == example.writes)
        }
    }

    @Test func aCorruptEntryIsAMissAndIsOverwrittenByTheNextStore() throws {
        try IOTestDirectory.with { dir in
            let cache = cache(dir, .readWrite)
            let request = LLMTestSupport.request()
            let path = cache.path(forKey: ResponseCache.key(for: request))
            for corrupt in ["{\"schema_version\": 1, \"key\": \"", "[]", "{\"schema_version\": 1}"] {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(corrupt.utf8).write(to: URL(fileURLWithPath: path))
                #expect(cache.lookup(request) == nil)
            }
            cache.store(request, responseBody: LLMTestSupport.body("fixed"), completion: LLMTestSupport.completion("fixed"))
            #expect(cache.lookup(request)?.message.content == "fixed")
        }
    }

    @Test func anEntryForAnotherRequestUnderThisKeyIsAMiss() throws {
        try IOTestDirectory.with { dir in
            let cache = cache(dir, .readWrite)
            let request = LLMTestSupport.request()
            let other = LLMTestSupport.request("something else")
            cache.store(other, responseBody: LLMTestSupport.body("other"), completion: LLMTestSupport.completion("other"))
            let otherPath = cache.path(forKey: ResponseCache.key(for: other))
            let path = cache.path(forKey: ResponseCache.key(for: request))
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: otherPath, toPath: path)
            #expect(cache.lookup(request) == nil)
        }
    }

    @Test func concurrentWritersOfTheSameKeysLeaveWholeReadableEntries() async throws {
        try await IOTestDirectory.with { dir in
            let cache = cache(dir, .readWrite)
            let requests = (0..<8).map { LLMTestSupport.request("question \($0)") }
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<6 {
                    for (index, request) in requests.enumerated() {
                        group.addTask {
                            _ = writer
                            cache.store(request, responseBody: LLMTestSupport.body("answer \(index)"), completion: LLMTestSupport.completion("answer \(index)"))
                            _ = cache.lookup(request)
                        }
                    }
                }
            }
            for (index, request) in requests.enumerated() {
                #expect(cache.lookup(request)?.message.content == "answer \(index)")
                let key = ResponseCache.key(for: request)
                let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("cache/\(key.prefix(2))"))
                #expect(names.allSatisfy { !$0.hasPrefix(".") })
            }
        }
    }
}
