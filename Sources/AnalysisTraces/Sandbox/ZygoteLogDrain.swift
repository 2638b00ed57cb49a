#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// Reads the zygote's stdout and stderr on a dedicated thread until both reach end of file, and
/// writes each line to the log (stdout at debug, stderr at notice: the zygote writes only
/// diagnostics there). Keeps the last stderr lines so a failed start can quote them.
final class ZygoteLogDrain: @unchecked Sendable {
    private let condition = NSCondition()
    private var tail: [String] = []
    private var finished = false
    private static let tailLines = 20
    private static let maxLineBytes = 8192

    /// Takes ownership of both descriptors.
    init(stdout: Int32, stderr: Int32, logger: Logger) {
        let thread = Thread { [self] in drain(stdout: stdout, stderr: stderr, logger: logger) }
        thread.name = "sandbox-zygote-log"
        thread.start()
    }

    /// The last lines the zygote wrote to stderr, waiting up to `timeout` for the pipes to close.
    func lastErrorLines(waiting timeout: TimeInterval) -> [String] {
        condition.lock()
        defer { condition.unlock() }
        let until = Date(timeIntervalSinceNow: timeout)
        while !finished && condition.wait(until: until) {}
        return tail
    }

    private func drain(stdout: Int32, stderr: Int32, logger: Logger) {
        var open: [(fd: Int32, isError: Bool, partial: [UInt8])] = [(stdout, false, []), (stderr, true, [])]
        var buffer = [UInt8](repeating: 0, count: 16384)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            var index = open.count - 1
            while index >= 0 {
                if fds[index].revents != 0 {
                    let count = read(open[index].fd, &buffer, buffer.count)
                    if count > 0 {
                        open[index].partial.append(contentsOf: buffer[0..<count])
                        emitLines(&open[index].partial, isError: open[index].isError, logger: logger, flush: false)
                    } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                        emitLines(&open[index].partial, isError: open[index].isError, logger: logger, flush: true)
                        _ = Glibc.close(open[index].fd)
                        open.remove(at: index)
                    }
                }
                index -= 1
            }
        }
        for remaining in open { _ = Glibc.close(remaining.fd) }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func emitLines(_ partial: inout [UInt8], isError: Bool, logger: Logger, flush: Bool) {
        while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
            emit(Array(partial[..<newline]), isError: isError, logger: logger)
            partial.removeSubrange(...newline)
        }
        if partial.count > Self.maxLineBytes || (flush && !partial.isEmpty) {
            emit(partial, isError: isError, logger: logger)
            partial.removeAll()
        }
    }

    private func emit(_ bytes: [UInt8], isError: Bool, logger: Logger) {
        let line = String(decoding: bytes.prefix(Self.maxLineBytes), as: UTF8.self)
        if isError {
            logger.notice("zygote: \(line)")
            condition.lock()
            tail.append(line)
            if tail.count > Self.tailLines { tail.removeFirst(tail.count - Self.tailLines) }
            condition.unlock()
        } else {
            logger.debug("zygote: \(line)")
        }
    }
}
