#if canImport(Glibc)
import Glibc
#endif

/// Splits a stream of byte chunks into lines at `\n` (found with `memchr`), handing each line
/// without its newline. A line inside one chunk is passed in place; only a line that spans
/// chunks is assembled in a carry buffer, which never grows past the line-length limit.
struct LineSplitter {
    /// Thrown when a line exceeds the limit; the reader turns it into a `GzipError`.
    struct LineTooLong: Error {
        let line: Int
    }

    let maxLineLength: Int
    /// Lines handed out so far.
    private(set) var lineCount = 0
    private var carry: [UInt8] = []

    init(maxLineLength: Int) {
        self.maxLineLength = maxLineLength
    }

    mutating func feed(
        _ chunk: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        var start = 0
        let end = chunk.count
        while start < end {
            guard let found = memchr(base + start, 0x0A, end - start) else {
                let rest = end - start
                if carry.count + rest > maxLineLength { throw LineTooLong(line: lineCount + 1) }
                carry.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: rest))
                return
            }
            let newline = UnsafeRawPointer(found) - base
            let length = newline - start
            lineCount += 1
            if carry.isEmpty {
                if length > maxLineLength { throw LineTooLong(line: lineCount) }
                try body(UnsafeRawBufferPointer(start: base + start, count: length), lineCount)
            } else {
                if carry.count + length > maxLineLength { throw LineTooLong(line: lineCount) }
                carry.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: length))
                try carry.withUnsafeBytes { try body($0, lineCount) }
                carry.removeAll(keepingCapacity: carry.capacity <= 1 << 20)
            }
            start = newline + 1
        }
    }

    /// Hands out a final line that has no newline after it, if there is one.
    mutating func finish(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        guard !carry.isEmpty else { return }
        lineCount += 1
        try carry.withUnsafeBytes { try body($0, lineCount) }
        carry.removeAll()
    }
}
