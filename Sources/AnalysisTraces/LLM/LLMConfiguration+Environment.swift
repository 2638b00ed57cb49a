import Foundation

extension LLMConfiguration {
    /// The variable naming the model of `role`, which overrides `LLM_MODEL`.
    public static func modelVariable(for role: Role) -> String {
        switch role {
        case .questions: "LLM_QUESTION_MODEL"
        case .teacher: "LLM_TEACHER_MODEL"
        }
    }

    /// The configuration of `role` from `LLM_*` variables, or nil when no LLM is configured: no
    /// (or an empty) `LLM_BASE_URL` and `LLM_CACHE` is not `replay`. An empty variable counts as
    /// unset. `origins` maps a variable to the name to blame in errors (a flag that supplied the
    /// value instead); by default the variable itself.
    public static func from(
        environment: [String: String], role: Role, origins: [String: String] = [:]
    ) throws(LLMConfigurationError) -> LLMConfiguration? {
        let reader = SettingReader(environment: environment, origins: origins)
        let cacheMode = try reader.value(
            "LLM_CACHE", expecting: "must be one of 'read-write', 'read-only', 'write-only', 'off', 'replay'"
        ) { CacheMode(rawValue: $0) }
        let mode = cacheMode ?? .readWrite
        let baseURL = try reader.value(
            "LLM_BASE_URL", expecting: "must be an http:// or https:// URL such as 'https://api.openai.com/v1'", parse: validURL)
        guard baseURL != nil || mode == .replay else { return nil }

        let roleVariable = modelVariable(for: role)
        guard let model = reader.text(roleVariable) ?? reader.text("LLM_MODEL") else {
            throw LLMConfigurationError(
                setting: reader.origin("LLM_MODEL"),
                problem: "is not set; an LLM needs a model name (set 'LLM_MODEL', or '\(roleVariable)' for this role)")
        }

        var sampling = SamplingParameters()
        sampling.temperature = try reader.value("LLM_TEMPERATURE", expecting: "must be a number ≥ 0") {
            Double($0).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
        }
        sampling.topP = try reader.value("LLM_TOP_P", expecting: "must be a number in (0, 1]") {
            Double($0).flatMap { $0 > 0 && $0 <= 1 ? $0 : nil }
        }
        sampling.maxTokens = try reader.value("LLM_MAX_TOKENS", expecting: "must be a whole number ≥ 1") {
            Int($0).flatMap { $0 >= 1 ? $0 : nil }
        }
        sampling.seed = try reader.value("LLM_SEED", expecting: "must be a whole number from 0 to 2147483647") {
            Int($0).flatMap { $0 >= 0 && $0 <= Int(Int32.max) ? $0 : nil }
        }
        sampling.extraBody = try reader.value("LLM_EXTRA_BODY", expecting: "must be a JSON object such as '{\"top_k\": 20}'") {
            text -> JSONValue? in
            guard let value = try? JSONParser.parse(text), case .object = value else { return nil }
            return value
        }

        var configuration = LLMConfiguration(
            role: role, baseURL: baseURL, apiKey: reader.text("LLM_API_KEY"), model: model, sampling: sampling,
            cacheMode: mode)
        if let seconds = try reader.value("LLM_TIMEOUT", expecting: "must be a number of seconds > 0", parse: positiveSeconds) {
            configuration.requestTimeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let attempts = try reader.value("LLM_MAX_ATTEMPTS", expecting: "must be a whole number from 1 to 100", parse: {
            Int($0).flatMap { $0 >= 1 && $0 <= 100 ? $0 : nil }
        }) {
            configuration.retry.maxAttempts = attempts
        }
        if let concurrency = try reader.value("LLM_CONCURRENCY", expecting: "must be a whole number from 1 to 4096", parse: {
            Int($0).flatMap { $0 >= 1 && $0 <= 4096 ? $0 : nil }
        }) {
            configuration.concurrency = concurrency
        }
        configuration.requestsPerMinute = try reader.value("LLM_RPM", expecting: "must be a whole number of requests per minute ≥ 1") {
            Int($0).flatMap { $0 >= 1 ? $0 : nil }
        }
        configuration.tokensPerMinute = try reader.value("LLM_TPM", expecting: "must be a whole number of tokens per minute ≥ 1") {
            Int($0).flatMap { $0 >= 1 ? $0 : nil }
        }
        if let path = reader.text("LLM_PRICES") {
            configuration.prices = try PriceTable.load(path: path, setting: reader.origin("LLM_PRICES"))
        }
        configuration.budgetUSD = try reader.value("LLM_BUDGET_USD", expecting: "must be a number of US dollars ≥ 0") {
            Double($0).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
        }
        if let directory = reader.text("LLM_CACHE_DIR") {
            configuration.cacheDirectory = directory
        }
        return configuration
    }

    private static func validURL(_ text: String) -> String? {
        let lower = text.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            return host.isEmpty || text.contains(where: \.isWhitespace) ? nil : text
        }
        return nil
    }

    private static func positiveSeconds(_ text: String) -> Double? {
        Double(text).flatMap { $0 > 0 && $0.isFinite && $0 <= 86_400 ? $0 : nil }
    }
}

/// Reads settings from an environment dictionary, treating empty values as unset and naming
/// the right origin in errors.
private struct SettingReader {
    let environment: [String: String]
    let origins: [String: String]

    func origin(_ variable: String) -> String { origins[variable] ?? variable }

    func text(_ variable: String) -> String? {
        guard let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func value<T>(
        _ variable: String, expecting: String, parse: (String) -> T?
    ) throws(LLMConfigurationError) -> T? {
        guard let raw = text(variable) else { return nil }
        guard let value = parse(raw) else {
            throw LLMConfigurationError(setting: origin(variable), problem: "\(expecting); found '\(raw)'")
        }
        return value
    }
}
