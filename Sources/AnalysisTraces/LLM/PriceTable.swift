import Foundation

/// Prices per million tokens for one model, in US dollars.
public struct ModelPrice: Sendable, Equatable {
    public var inputPerMillion: Double
    public var outputPerMillion: Double
    /// The price of reasoning tokens; nil bills them as output tokens.
    public var reasoningPerMillion: Double?

    public init(inputPerMillion: Double, outputPerMillion: Double, reasoningPerMillion: Double? = nil) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.reasoningPerMillion = reasoningPerMillion
    }

    /// The cost of one call. `completionTokens` includes the reasoning tokens, as every
    /// OpenAI-compatible server counts them; with a reasoning price they are billed at it and the
    /// rest of the completion at the output price.
    public func cost(promptTokens: Int, completionTokens: Int, reasoningTokens: Int) -> Double {
        let input = Double(promptTokens) * inputPerMillion
        guard let reasoningPrice = reasoningPerMillion else {
            return (input + Double(completionTokens) * outputPerMillion) / 1_000_000
        }
        let reasoning = min(reasoningTokens, completionTokens)
        let output = Double(completionTokens - reasoning) * outputPerMillion + Double(reasoning) * reasoningPrice
        return (input + output) / 1_000_000
    }
}

/// The price table (`LLM_PRICES`): a JSON object from model name to prices,
/// `{"gpt-4.1": {"input_per_million": 2, "output_per_million": 8}}`, with an optional
/// `reasoning_per_million`. Model names match the requested model exactly.
public struct PriceTable: Sendable, Equatable {
    public var prices: [String: ModelPrice]

    public init(_ prices: [String: ModelPrice] = [:]) {
        self.prices = prices
    }

    public func price(for model: String) -> ModelPrice? { prices[model] }

    /// The cost of `usage` for `model`; nil when the model has no price.
    public func cost(of usage: Usage, model: String) -> Double? {
        price(for: model).map {
            $0.cost(promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, reasoningTokens: usage.reasoningTokens)
        }
    }

    /// Reads the table at `path`; errors name `setting` (the variable or flag that gave the path).
    public static func load(path: String, setting: String) throws(LLMConfigurationError) -> PriceTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LLMConfigurationError(setting: setting, problem: "names a price table that cannot be read: '\(path)'")
        }
        return try parse(Array(data), source: "the price table '\(path)'", setting: setting)
    }

    /// Parses a table from JSON bytes; `source` names it in messages.
    public static func parse(_ bytes: [UInt8], source: String, setting: String) throws(LLMConfigurationError) -> PriceTable {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw LLMConfigurationError(setting: setting, problem: "names \(source), which is not valid JSON (\(error))")
        }
        guard case .object(let models) = root else {
            throw LLMConfigurationError(setting: setting, problem: "names \(source), which must be a JSON object of models; found a \(root.typeName)")
        }
        var prices: [String: ModelPrice] = [:]
        for (model, entry) in models {
            guard case .object(let members) = entry else {
                throw LLMConfigurationError(setting: setting, problem: "names \(source): '\(model)' must be an object of prices; found a \(entry.typeName)")
            }
            var numbers: [String: Double] = [:]
            for (key, value) in members {
                guard ["input_per_million", "output_per_million", "reasoning_per_million"].contains(key) else {
                    throw LLMConfigurationError(setting: setting, problem: "names \(source): '\(model)' has an unknown key '\(key)'; expected 'input_per_million', 'output_per_million', 'reasoning_per_million'")
                }
                let number: Double
                switch value {
                case .int(let integer): number = Double(integer)
                case .double(let double): number = double
                default:
                    throw LLMConfigurationError(setting: setting, problem: "names \(source): '\(model).\(key)' must be a number; found a \(value.typeName)")
                }
                guard number >= 0 else {
                    throw LLMConfigurationError(setting: setting, problem: "names \(source): '\(model).\(key)' must be ≥ 0; found \(number)")
                }
                numbers[key] = number
            }
            guard let input = numbers["input_per_million"], let output = numbers["output_per_million"] else {
                throw LLMConfigurationError(setting: setting, problem: "names \(source): '\(model)' needs 'input_per_million' and 'output_per_million'")
            }
            prices[model] = ModelPrice(inputPerMillion: input, outputPerMillion: output, reasoningPerMillion: numbers["reasoning_per_million"])
        }
        return PriceTable(prices)
    }
}
