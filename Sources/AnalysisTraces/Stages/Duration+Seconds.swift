extension Duration {
    /// The duration in seconds, as a floating-point number (run logs, timings, request limits).
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
