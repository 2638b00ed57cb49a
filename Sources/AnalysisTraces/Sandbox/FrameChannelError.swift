/// Why a framed channel could not deliver a frame. The peer is untrusted: every case except
/// `cancelled` means the peer is broken and must be replaced.
enum FrameChannelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer closed the channel (or died) between frames.
    case closed
    /// The peer closed the channel in the middle of a frame.
    case truncated(expected: Int, found: Int)
    /// A length prefix above the channel's maximum.
    case frameTooLarge(limit: Int, found: Int)
    /// A frame that is not a JSON object, or not one of the protocol's shapes.
    case malformed(String)
    /// A reply to a request other than the one in flight.
    case wrongID(expected: Int, found: String)
    /// No complete frame before the deadline.
    case timedOut
    /// The waiting task was cancelled.
    case cancelled
    case system(call: String, errno: Int32)

    var description: String {
        switch self {
        case .closed: "the peer closed the channel"
        case .truncated(let expected, let found): "the channel closed inside a frame; expected \(expected) bytes, found \(found)"
        case .frameTooLarge(let limit, let found): "a frame is too large; expected at most \(limit) bytes, found \(found)"
        case .malformed(let problem): "a frame is malformed: \(problem)"
        case .wrongID(let expected, let found): "a reply answers another request; expected id \(expected), found \(found)"
        case .timedOut: "no frame arrived before the deadline"
        case .cancelled: "the wait was cancelled"
        case .system(let call, let errno): "\(call) failed: \(SandboxError.errnoText(errno)) (errno \(errno))"
        }
    }
}
