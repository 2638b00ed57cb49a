#if canImport(Glibc)
import Glibc
#endif
import CSandboxSupport
import Foundation

/// One frame as it arrived: the JSON payload and any descriptors passed with it (SCM_RIGHTS).
struct ReceivedFrame: Sendable {
    var payload: [UInt8]
    var descriptors: [Int32]
}

/// Set from any thread to stop a blocked `FrameChannel` wait.
final class ChannelCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return flag
    }

    func cancel() {
        lock.lock()
        flag = true
        lock.unlock()
    }
}

/// Length-prefixed frames over a connected AF_UNIX stream socket: a 4-byte big-endian length,
/// then that many bytes. Its blocking methods must run on one thread at a time (a
/// `SandboxIOThread`); `interrupt()` may be called from anywhere.
///
/// Every wait polls the socket together with a private wake pipe, so a deadline or a cancelled
/// task ends it; frames above `maxFrameBytes` are rejected from their length prefix alone.
final class FrameChannel: @unchecked Sendable {
    let descriptor: Int32
    let maxFrameBytes: Int
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var pending: [UInt8] = []
    private var pendingDescriptors: [Int32] = []
    private var scratch = [UInt8](repeating: 0, count: 256 << 10)
    private let closeLock = NSLock()
    private var isClosed = false

    /// Takes ownership of `descriptor`.
    init(descriptor: Int32, maxFrameBytes: Int) throws(FrameChannelError) {
        var fds: [Int32] = [-1, -1]
        guard cs_pipe_cloexec(&fds) == 0 else { throw .system(call: "pipe2", errno: errno) }
        let flags = fcntl(fds[1], F_GETFL)
        _ = fcntl(fds[1], F_SETFL, flags | O_NONBLOCK)
        self.descriptor = descriptor
        self.maxFrameBytes = maxFrameBytes
        self.wakeRead = fds[0]
        self.wakeWrite = fds[1]
    }

    deinit { close() }

    /// Closes the socket and the wake pipe, and any descriptors received but not handed out.
    func close() {
        closeLock.lock()
        defer { closeLock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(descriptor)
        _ = Glibc.close(wakeRead)
        _ = Glibc.close(wakeWrite)
        for received in pendingDescriptors { _ = Glibc.close(received) }
        pendingDescriptors = []
    }

    /// Wakes a blocked `send` or `receive` so that it checks its cancellation flag.
    func interrupt() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Sends one frame: the length prefix and the payload.
    func send(_ payload: [UInt8], deadline: ContinuousClock.Instant?, cancellation: ChannelCancellation? = nil) throws(FrameChannelError) {
        guard payload.count <= maxFrameBytes, payload.count <= Int(UInt32.max) else {
            throw .frameTooLarge(limit: maxFrameBytes, found: payload.count)
        }
        let length = UInt32(payload.count)
        var frame: [UInt8] = [UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        frame.append(contentsOf: payload)
        var offset = 0
        while offset < frame.count {
            let sent = frame.withUnsafeBytes { bytes in
                Glibc.send(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try wait(for: Int16(POLLOUT), deadline: deadline, cancellation: cancellation)
                continue
            }
            if code == EPIPE || code == ECONNRESET { throw .closed }
            throw .system(call: "send", errno: code)
        }
    }

    /// Receives one whole frame, with the descriptors that arrived while it was read.
    func receive(deadline: ContinuousClock.Instant?, cancellation: ChannelCancellation? = nil) throws(FrameChannelError) -> ReceivedFrame {
        while true {
            if pending.count >= 4 {
                let length = Int(pending[0]) << 24 | Int(pending[1]) << 16 | Int(pending[2]) << 8 | Int(pending[3])
                guard length <= maxFrameBytes else { throw .frameTooLarge(limit: maxFrameBytes, found: length) }
                if pending.count >= 4 + length {
                    let payload = Array(pending[4..<(4 + length)])
                    pending.removeFirst(4 + length)
                    let descriptors = pendingDescriptors
                    pendingDescriptors = []
                    return ReceivedFrame(payload: payload, descriptors: descriptors)
                }
            }
            try wait(for: Int16(POLLIN), deadline: deadline, cancellation: cancellation)
            try readAvailable()
        }
    }

    private func readAvailable() throws(FrameChannelError) {
        var received: [Int32] = Array(repeating: -1, count: 16)
        var count: Int32 = 0
        let read = scratch.withUnsafeMutableBytes { buffer in
            cs_recv_with_fds(descriptor, buffer.baseAddress, buffer.count, &received, Int32(received.count), &count)
        }
        if count > 0 { pendingDescriptors.append(contentsOf: received.prefix(Int(count))) }
        if read > 0 {
            pending.append(contentsOf: scratch[0..<read])
            return
        }
        if read == 0 {
            if pending.isEmpty { throw .closed }
            let expected = pending.count >= 4 ? (Int(pending[0]) << 24 | Int(pending[1]) << 16 | Int(pending[2]) << 8 | Int(pending[3])) + 4 : 4
            throw .truncated(expected: expected, found: pending.count)
        }
        let code = errno
        if code == EINTR || code == EAGAIN || code == EWOULDBLOCK { return }
        if code == ECONNRESET { throw .closed }
        throw .system(call: "recvmsg", errno: code)
    }

    /// Polls the socket and the wake pipe until the socket is ready for `events`.
    private func wait(for events: Int16, deadline: ContinuousClock.Instant?, cancellation: ChannelCancellation?) throws(FrameChannelError) {
        while true {
            if cancellation?.isCancelled == true { throw .cancelled }
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline - ContinuousClock.now
                if left <= .zero { throw .timedOut }
                let parts = left.components
                let milliseconds = parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000 + 1
                timeout = Int32(clamping: milliseconds)
            }
            var fds = [
                pollfd(fd: descriptor, events: events, revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .system(call: "poll", errno: errno)
            }
            if fds[1].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                _ = read(wakeRead, &drain, drain.count)
            }
            // POLLHUP/POLLERR also end the wait: the following read or write reports them.
            if fds[0].revents != 0 { return }
        }
    }
}
