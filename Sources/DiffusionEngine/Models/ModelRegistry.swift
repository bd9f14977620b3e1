import DiffusionCore
import Foundation

/// The one place that maps a checkpoint's `model_type` to the type that runs it.
public enum ModelRegistry {
    /// What the loader needs of an architecture.
    public struct Architecture: Sendable {
        /// Builds a model from its parsed config.json and its weights; unknown config keys go to the sink.
        public let build: @Sendable (_ config: JSONFields, _ weights: WeightStore, _ warnings: WarningSink) throws -> any Denoiser
        /// The keys its generation_config.json may hold.
        let generationKeys: Set<String>
        /// Architecture-specific checks of generation_config.json (after the common ones).
        let checkGeneration: @Sendable (_ fields: JSONFields) throws -> Void
    }

    public static let architectures: [String: Architecture] = [
        "llada_moe": Architecture(
            build: { config, weights, warnings in
                try LLaDAMoEModel(config: try LLaDAMoEConfiguration(fields: config, warnings: warnings), weights: weights)
            },
            generationKeys: GenerationConfigCheck.commonKeys.union(["mask_token_id"]),
            checkGeneration: { _ in }),
        "ar_moe_mtp": Architecture(
            build: { config, weights, warnings in
                try ARMoEModel(config: try ARMoEConfiguration(fields: config, warnings: warnings), weights: weights)
            },
            generationKeys: GenerationConfigCheck.commonKeys.union(["mask_token_id"]),
            checkGeneration: { _ in }),
        "diffusion_gemma": Architecture(
            build: { config, weights, warnings in
                try DiffusionGemmaModel(config: try DiffusionGemmaConfiguration(fields: config, warnings: warnings), weights: weights)
            },
            generationKeys: DiffusionGemmaGenerationDefaults.knownKeys,
            checkGeneration: { fields in _ = try DiffusionGemmaGenerationDefaults(fields: fields) }),
    ]

    public static var knownTypes: [String] { architectures.keys.sorted() }
}

/// A Hugging Face model folder: `config.json`, `model.safetensors` (or shards), `tokenizer.json`, and
/// `generation_config.json` if present; or a single `.gguf` file (GGUFModelFile.swift). Every file is validated
/// on load; errors name the file and field.
public struct ModelFolder {
    public let url: URL
    public let modelType: String
    public let denoiser: any Denoiser
    public let tokenizer: HFTokenizer?
    public let generationConfig: JSONFields?

    /// - Parameters:
    ///   - requireTokenizer: false for callers that only need logits of token ids.
    ///   - warnings: receives what the files hold but the loader ignores (unknown config keys); stderr by default.
    public init(_ url: URL, requireTokenizer: Bool = true, warnings: WarningSink = .standardError) throws {
        if url.pathExtension.lowercased() == "gguf" {
            self = try ModelFolder(ggufFile: url, requireTokenizer: requireTokenizer)
            return
        }
        self.url = url
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelFileError(file: url.path, "no such model folder")
        }
        let configURL = url.appendingPathComponent("config.json")
        let config = try JSONFields(try JSONValue.read(configURL), file: configURL.path)
        modelType = try config.string("model_type")
        guard let architecture = ModelRegistry.architectures[modelType] else {
            throw ModelFileError(file: configURL.path, "field 'model_type' is '\(modelType)', an unknown architecture; known: \(ModelRegistry.knownTypes.joined(separator: ", "))")
        }
        denoiser = try architecture.build(config, try WeightStore(folder: url), warnings)
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
        if FileManager.default.fileExists(atPath: generationURL.path) {
            let fields = try JSONFields(try JSONValue.read(generationURL), file: generationURL.path)
            try GenerationConfigCheck.check(fields, known: architecture.generationKeys, vocabularySize: denoiser.vocabularySize,
                                            warnings: warnings)
            try architecture.checkGeneration(fields)
            generationConfig = fields
        } else {
            generationConfig = nil
        }
    }

    init(url: URL, modelType: String, denoiser: any Denoiser, tokenizer: HFTokenizer?, generationConfig: JSONFields?) {
        self.url = url
        self.modelType = modelType
        self.denoiser = denoiser
        self.tokenizer = tokenizer
        self.generationConfig = generationConfig
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
