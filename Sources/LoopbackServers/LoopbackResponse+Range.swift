import Foundation

extension LoopbackResponse {
    /// Serves `content` as a file the way a storage server does, honouring a single-range
    /// `Range: bytes=...` request.
    ///
    /// Always sends `Accept-Ranges: bytes`, plus `ETag` and `Last-Modified` when given. A request
    /// with `Range` gets 206 with `Content-Range` and the slice — unless it carries an `If-Range`
    /// that matches neither `etag` nor `lastModified`, which gets the whole body with 200. A range
    /// that starts at or past the end gets 416 with `Content-Range: bytes */<size>`. A `Range`
    /// this function cannot read (several ranges, another unit) is ignored: 200 with everything.
    public static func file(
        _ content: [UInt8],
        for request: LoopbackRequest,
        contentType: String = "application/octet-stream",
        etag: String? = nil,
        lastModified: String? = nil,
        headers extra: LoopbackHeaders = [:]
    ) -> LoopbackResponse {
        var headers: LoopbackHeaders = ["Content-Type": contentType, "Accept-Ranges": "bytes"]
        if let etag { headers.add(name: "ETag", value: etag) }
        if let lastModified { headers.add(name: "Last-Modified", value: lastModified) }
        headers.fields += extra.fields
        let size = content.count
        guard let rangeHeader = request.headers["range"], let range = ByteRange(rangeHeader) else {
            return LoopbackResponse(status: 200, headers: headers, body: content)
        }
        if let validator = request.headers["if-range"], validator != etag, validator != lastModified {
            return LoopbackResponse(status: 200, headers: headers, body: content)
        }
        guard let bounds = range.resolved(size: size) else {
            headers.add(name: "Content-Range", value: "bytes */\(size)")
            return LoopbackResponse(status: 416, headers: headers)
        }
        headers.add(name: "Content-Range", value: "bytes \(bounds.lowerBound)-\(bounds.upperBound)/\(size)")
        return LoopbackResponse(status: 206, headers: headers, body: Array(content[bounds]))
    }
}

/// One `bytes=` range: `first-last`, `first-` or `-suffixLength`.
struct ByteRange: Hashable {
    var first: Int?
    var last: Int?

    init?(_ header: String) {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("bytes="), !trimmed.contains(",") else { return nil }
        let spec = trimmed.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let firstText = parts[0].trimmingCharacters(in: .whitespaces)
        let lastText = parts[1].trimmingCharacters(in: .whitespaces)
        first = firstText.isEmpty ? nil : Int(firstText)
        last = lastText.isEmpty ? nil : Int(lastText)
        if !firstText.isEmpty && first == nil { return nil }
        if !lastText.isEmpty && last == nil { return nil }
        if first == nil && last == nil { return nil }
        if let first, let last, last < first { return nil }
    }

    /// The closed index range to send for a body of `size` bytes, or nil when unsatisfiable.
    func resolved(size: Int) -> ClosedRange<Int>? {
        switch (first, last) {
        case (let first?, let last):
            guard first < size else { return nil }
            return first...min(last ?? (size - 1), size - 1)
        case (nil, let suffix?):
            guard suffix > 0, size > 0 else { return nil }
            return max(0, size - suffix)...(size - 1)
        case (nil, nil):
            return nil
        }
    }
}
