extension Usage {
    /// The sum of two usages; the cost is known only when both costs are.
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        let cost: Double? = switch (lhs.costUSD, rhs.costUSD) {
        case (let a?, let b?): a + b
        case (let a?, nil) where rhs.calls == 0: a
        case (nil, let b?) where lhs.calls == 0: b
        default: nil
        }
        return Usage(
            calls: lhs.calls + rhs.calls, promptTokens: lhs.promptTokens + rhs.promptTokens,
            completionTokens: lhs.completionTokens + rhs.completionTokens,
            reasoningTokens: lhs.reasoningTokens + rhs.reasoningTokens, costUSD: cost)
    }

    public static func += (lhs: inout Usage, rhs: Usage) {
        lhs = lhs + rhs
    }
}
