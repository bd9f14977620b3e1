import DiffusionCore
import Foundation

/// The one place that maps a checkpoint's `model_type` to the type that runs it.
public enum ModelRegistry {
    /// Builds a model from its parsed config.json and its weights.
    public typealias Builder = (_ config: JSONFields, _ weights: WeightStore) throws -> any Denoiser

    public static let builders: [String: Builder] = [
        "llada_moe": { config, weights in
            try LLaDAMoEModel(config: try LLaDAMoEConfiguration(fields: config), weights: weights)
        },
        "ar_moe_mtp": { config, weights in try ARMoEModel(config: try ARMoEConfiguration(fields: config), weights: weights) },
        "diffusion_gemma": { config, weights in try DiffusionGemmaModel(config: try DiffusionGemmaConfiguration(fields: config), weights: weights) },
    ]

    public static var knownTypes: [String] { builders.keys.sorted() }
}

/// A Hugging Face model folder: `config.json`, `model.safetensors` (or shards), `tokenizer.json`, and
/// `generation_config.json` if present. Every file is validated on load; errors name the file and field.
public struct ModelFolder {
    public let url: URL
    public let modelType: String
    public let denoiser: any Denoiser
    public let tokenizer: HFTokenizer?
    public let generationConfig: JSONFields?

    /// - Parameter requireTokenizer: false for callers that only need logits of token ids.
    public init(_ url: URL, requireTokenizer: Bool = true) throws {
        self.url = url
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelFileError(file: url.path, "no such model folder")
        }
        let configURL = url.appendingPathComponent("config.json")
        let config = try JSONFields(try JSONValue.read(configURL), file: configURL.path)
        modelType = try config.string("model_type")
        guard let builder = ModelRegistry.builders[modelType] else {
            throw ModelFileError(file: configURL.path, "field 'model_type' is '\(modelType)', an unknown architecture; known: \(ModelRegistry.knownTypes.joined(separator: ", "))")
        }
        denoiser = try builder(config, try WeightStore(folder: url))
        let tokenizerURL = url.appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: tokenizerURL.path) {
            let tokenizer = try HFTokenizer(contentsOf: tokenizerURL)
            try Self.check(tokenizer, against: denoiser, configFile: configURL.path)
            self.tokenizer = tokenizer
        } else if requireTokenizer {
            throw ModelFileError(file: tokenizerURL.path, "file is missing")
        } else {
            tokenizer = nil
        }
        let generationURL = url.appendingPathComponent("generation_config.json")
        generationConfig = FileManager.default.fileExists(atPath: generationURL.path)
            ? try JSONFields(try JSONValue.read(generationURL), file: generationURL.path) : nil
    }

    /// The tokenizer must spell every special token the config names, and fit inside the model's vocabulary.
    static func check(_ tokenizer: HFTokenizer, against model: any Denoiser, configFile: String) throws {
        let special = model.specialTokens
        let named = [("mask_token_id", special.mask), ("pad_token_id", special.pad)] + special.endOfSequence.map { ("eos_token_id", $0) }
        for case let (field, id?) in named where tokenizer.tokens[id] == nil {
            throw ModelFileError(file: tokenizer.file, "has no token with id \(id), which \(configFile) names as '\(field)'")
        }
        if let largest = tokenizer.tokens.keys.max(), largest >= model.vocabularySize {
            throw ModelFileError(file: tokenizer.file, "token id \(largest) does not fit the model's vocabulary of \(model.vocabularySize)")
        }
    }
}
