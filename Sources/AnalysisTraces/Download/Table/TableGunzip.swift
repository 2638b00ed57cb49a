import CZlibSystem

/// Inflates a gzip file held in memory, member after member, with a cap on the output that is
/// checked while inflating (the header's size field is not trusted). The output stops at
/// `maxOutput` bytes, and, past `ratioFloor` bytes, at `maxRatio` times the input size.
/// A truncated stream, a CRC or length mismatch, or bytes after the last member that are not
/// zero padding are rejected.
enum TableGunzip {
    static func inflate(
        _ input: [UInt8], file: String, maxOutput: Int, maxRatio: Int, ratioFloor: Int
    ) throws(TableRejection) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        let code = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else {
            throw TableRejection(.badArchive, file: file, reason: "zlib could not start (inflateInit2 returned \(code))")
        }
        let chunk = 256 << 10
        var output: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: chunk)
        var consumedTotal = 0
        var outcome: TableRejection?
        input.withUnsafeBufferPointer { source in
            scratch.withUnsafeMutableBufferPointer { out in
                guard let base = source.baseAddress, let outBase = out.baseAddress else {
                    outcome = TableRejection(.badArchive, file: file, reason: "an empty gzip file")
                    return
                }
                stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
                stream.pointee.avail_in = uInt(source.count)
                while true {
                    stream.pointee.next_out = outBase
                    stream.pointee.avail_out = uInt(chunk)
                    let status = CZlibSystem.inflate(stream, Z_NO_FLUSH)
                    let produced = chunk - Int(stream.pointee.avail_out)
                    consumedTotal = source.count - Int(stream.pointee.avail_in)
                    if produced > 0 {
                        if output.count + produced > maxOutput {
                            outcome = TableRejection(
                                .tooLarge, file: file,
                                reason: "inflates to more than the cap of \(maxOutput) bytes (stopped there)")
                            return
                        }
                        output.append(contentsOf: UnsafeBufferPointer(start: outBase, count: produced))
                        if output.count > ratioFloor && output.count > source.count * maxRatio {
                            outcome = TableRejection(
                                .tooLarge, file: file,
                                reason: "inflates to more than \(maxRatio) times its \(source.count) bytes (a gzip bomb?); stopped at \(output.count) bytes")
                            return
                        }
                    }
                    switch status {
                    case Z_OK:
                        continue
                    case Z_STREAM_END:
                        var rest = consumedTotal
                        while rest < source.count && source[rest] == 0 { rest += 1 }
                        if rest == source.count { return }
                        guard rest + 1 < source.count, source[rest] == 0x1F, source[rest + 1] == 0x8B else {
                            outcome = TableRejection(
                                .badArchive, file: file,
                                reason: "bytes after the end of the gzip stream at offset \(rest) are not another gzip member")
                            return
                        }
                        inflateReset(stream)
                        stream.pointee.next_in = UnsafeMutablePointer(mutating: base + rest)
                        stream.pointee.avail_in = uInt(source.count - rest)
                    case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                        outcome = TableRejection(
                            .badArchive, file: file,
                            reason: "truncated gzip: the stream ends after \(source.count) bytes, before its end marker")
                        return
                    case Z_BUF_ERROR:
                        continue
                    default:
                        let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                        outcome = TableRejection(.badArchive, file: file, reason: "corrupt gzip data at offset \(consumedTotal): \(message)")
                        return
                    }
                }
            }
        }
        if let outcome { throw outcome }
        return output
    }
}
