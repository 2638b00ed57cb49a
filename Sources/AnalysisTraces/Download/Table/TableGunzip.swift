/// Inflates a gzip file held in memory, member after member, with a cap on the output that is
/// checked while inflating (the header's size field is not trusted). The output stops at
/// `maxOutput` bytes, and, past `ratioFloor` bytes, at `maxRatio` times the input size.
/// A truncated stream, a CRC or length mismatch, or bytes after the last member that are not
/// zero padding are rejected. The inflating is ``GzipMemberScanner``'s, as for stage files.
enum TableGunzip {
    static func inflate(
        _ input: [UInt8], file: String, maxOutput: Int, maxRatio: Int, ratioFloor: Int
    ) throws(TableRejection) -> [UInt8] {
        guard !input.isEmpty else { throw TableRejection(.badArchive, file: file, reason: "an empty gzip file") }
        var output: [UInt8] = []
        let end: GzipMemberScanner.End
        do {
            let scanner = try GzipMemberScanner(bytes: input, path: file, bufferSize: 256 << 10)
            end = try scanner.scan(from: 0, onOutput: { chunk in
                if output.count + chunk.count > maxOutput {
                    throw TableRejection(.tooLarge, file: file, reason: "inflates to more than the cap of \(maxOutput) bytes (stopped there)")
                }
                output.append(contentsOf: chunk)
                if output.count > ratioFloor && output.count > input.count * maxRatio {
                    throw TableRejection(
                        .tooLarge, file: file,
                        reason: "inflates to more than \(maxRatio) times its \(input.count) bytes (a gzip bomb?); stopped at \(output.count) bytes")
                }
            }, onMemberEnd: { _, _ in true })
        } catch let rejection as TableRejection {
            throw rejection
        } catch {
            throw TableRejection(.badArchive, file: file, reason: "zlib failed: \(error)")
        }
        guard case .damaged(let damage) = end else { return output }
        let reason = switch damage.kind {
        case .truncated: "truncated gzip: the stream ends after \(input.count) bytes, before its end marker"
        case .notGzip: "bytes after the end of the gzip stream at offset \(damage.offset) are not another gzip member"
        case .crcMismatch: "corrupt gzip data at offset \(damage.offset): incorrect data check"
        case .lengthMismatch: "corrupt gzip data at offset \(damage.offset): incorrect length check"
        case .corruptData(let message): "corrupt gzip data at offset \(damage.offset): \(message)"
        default: damage.message
        }
        throw TableRejection(.badArchive, file: file, reason: reason)
    }
}
