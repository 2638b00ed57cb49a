#if canImport(Glibc)
import Glibc
#endif
import CSandboxSupport
import Foundation
import Testing
@testable import AnalysisTraces

/// The host's channel against a fake peer on the other end of a socketpair.
@Suite struct FrameChannelTests {
    /// A connected pair: the channel under test and the raw descriptor of the fake peer.
    @discardableResult
    private static func withPair<R>(maxFrameBytes: Int = 1 << 20, _ body: (FrameChannel, Int32) throws -> R) throws -> R {
        var fds: [Int32] = [-1, -1]
        try #require(cs_socketpair_cloexec(&fds) == 0)
        let channel = try FrameChannel(descriptor: fds[0], maxFrameBytes: maxFrameBytes)
        defer {
            channel.close()
            _ = Glibc.close(fds[1])
        }
        return try body(channel, fds[1])
    }

    private static func frame(_ text: String) -> [UInt8] {
        let body = Array(text.utf8)
        let length = UInt32(body.count)
        return [UInt8(length >> 24 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + body
    }

    private static func write(_ bytes: [UInt8], to fd: Int32, passing descriptor: Int32 = -1) {
        _ = bytes.withUnsafeBytes { cs_send_with_fd(fd, $0.baseAddress, $0.count, descriptor) }
    }

    private static var soon: ContinuousClock.Instant { .now + .seconds(5) }

    @Test func sendsALengthPrefixedFrame() throws {
        try Self.withPair { channel, peer in
            try channel.send(Array(#"{"id":1}"#.utf8), deadline: Self.soon)
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = read(peer, &buffer, buffer.count)
            #expect(Array(buffer[0..<count]) == Self.frame(#"{"id":1}"#))
        }
    }

    @Test func receivesFramesSplitAcrossAndPackedIntoReads() throws {
        try Self.withPair { channel, peer in
            let two = Self.frame(#"{"a":1}"#) + Self.frame(#"{"b":2}"#)
            Self.write(Array(two[0..<3]), to: peer)
            Self.write(Array(two[3...]), to: peer)
            let first = try channel.receive(deadline: Self.soon)
            let second = try channel.receive(deadline: Self.soon)
            #expect(first.payload == Array(#"{"a":1}"#.utf8))
            #expect(second.payload == Array(#"{"b":2}"#.utf8))
        }
    }

    @Test func receivesADescriptorPassedWithTheFrame() throws {
        try Self.withPair { channel, peer in
            var pipe: [Int32] = [-1, -1]
            try #require(cs_pipe_cloexec(&pipe) == 0)
            Self.write(Self.frame(#"{"id":1,"type":"spawned","worker":5}"#), to: peer, passing: pipe[1])
            _ = Glibc.close(pipe[1])
            let received = try channel.receive(deadline: Self.soon)
            #expect(received.descriptors.count == 1)
            for descriptor in received.descriptors { _ = Glibc.close(descriptor) }
            _ = Glibc.close(pipe[0])
        }
    }

    @Test func rejectsAFrameOverTheMaximumFromItsLengthAlone() throws {
        try Self.withPair(maxFrameBytes: 1024) { channel, peer in
            Self.write([0x00, 0x00, 0x04, 0x01], to: peer)
            #expect(throws: FrameChannelError.frameTooLarge(limit: 1024, found: 1025)) { try channel.receive(deadline: Self.soon) }
        }
    }

    @Test func refusesToSendAFrameOverTheMaximum() throws {
        try Self.withPair(maxFrameBytes: 8) { channel, _ in
            #expect(throws: FrameChannelError.frameTooLarge(limit: 8, found: 9)) { try channel.send(Array(repeating: 0x20, count: 9), deadline: Self.soon) }
        }
    }

    @Test func reportsAPeerThatClosesBetweenOrInsideFrames() throws {
        try Self.withPair { channel, peer in
            _ = Glibc.shutdown(peer, Int32(SHUT_WR))
            #expect(throws: FrameChannelError.closed) { try channel.receive(deadline: Self.soon) }
        }
        try Self.withPair { channel, peer in
            Self.write([0, 0, 0, 10, 0x7b], to: peer)
            _ = Glibc.shutdown(peer, Int32(SHUT_WR))
            #expect(throws: FrameChannelError.truncated(expected: 14, found: 5)) { try channel.receive(deadline: Self.soon) }
        }
    }

    @Test func givesUpAtTheDeadline() throws {
        try Self.withPair { channel, _ in
            #expect(throws: FrameChannelError.timedOut) { try channel.receive(deadline: .now + .milliseconds(50)) }
        }
    }

    @Test func stopsWaitingWhenCancelled() throws {
        try Self.withPair { channel, _ in
            let cancellation = ChannelCancellation()
            cancellation.cancel()
            channel.interrupt()
            #expect(throws: FrameChannelError.cancelled) { try channel.receive(deadline: Self.soon, cancellation: cancellation) }
        }
    }

    @Test(arguments: ["not json", "[1,2]", "{\"id\":1", ""])
    func rejectsFramesThatAreNotAJSONObject(text: String) throws {
        try Self.withPair { channel, peer in
            Self.write(Self.frame(text), to: peer)
            let received = try channel.receive(deadline: Self.soon)
            #expect(throws: FrameChannelError.self) { try SandboxProtocol.parse(received) }
        }
    }

    @Test func rejectsAReplyToAnotherRequest() throws {
        let reply = try JSONParser.parse(#"{"id":7,"type":"pong"}"#)
        #expect(throws: FrameChannelError.wrongID(expected: 6, found: "7")) { try SandboxProtocol.replyType(reply, id: 6, types: ["pong"]) }
        let noID = try JSONParser.parse(#"{"type":"pong"}"#)
        #expect(throws: FrameChannelError.wrongID(expected: 6, found: "no id")) { try SandboxProtocol.replyType(noID, id: 6, types: ["pong"]) }
        let unknown = try JSONParser.parse(#"{"id":6,"type":"surprise"}"#)
        #expect(throws: FrameChannelError.self) { try SandboxProtocol.replyType(unknown, id: 6, types: ["pong"]) }
    }

    @Test func checksTheShapeOfACellResult() throws {
        let good = #"{"id":1,"type":"result","stdout":"a","stdout_dropped":0,"stderr":"","stderr_dropped":0,"result":"1","error":null,"timed_out":false,"events":[{"type":"submit","value":[1]}],"duration_s":0.5,"pss_bytes":100}"#
        let reply = try SandboxProtocol.cellReply(JSONParser.parse(good))
        #expect(reply.execution.stdout == "a")
        #expect(reply.events == [.submit(.array([.int(1)]))])
        #expect(reply.pssBytes == 100)
        let broken = [
            good.replacingOccurrences(of: #""stdout":"a""#, with: #""stdout":1"#),
            good.replacingOccurrences(of: #""timed_out":false"#, with: #""timed_out":"no""#),
            good.replacingOccurrences(of: #"{"type":"submit","value":[1]}"#, with: #"{"type":"forged","value":[1]}"#),
            good.replacingOccurrences(of: #""error":null"#, with: #""error":{"kind":"X"}"#),
            good.replacingOccurrences(of: #","pss_bytes":100"#, with: ""),
        ]
        for text in broken {
            #expect(throws: FrameChannelError.self, "\(text)") { try SandboxProtocol.cellReply(JSONParser.parse(text)) }
        }
    }
}
