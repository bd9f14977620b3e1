import DiffusionCore
import Foundation

/// The one place that maps a GGUF file's `general.architecture` to the model that runs it: `llada-moe`
/// (LLaDAMoEGGUF.swift) and `diffusion-gemma`, named as llama.cpp's open DiffusionGemma pull requests (#24423,
/// #24427) and the released unsloth/diffusiongemma-26B-A4B-it-GGUF files name it (DiffusionGemmaGGUF.swift, with
/// its sources). A builder also returns the file's sampler defaults in generation_config.json form, if it has any.
public enum GGUFModelRegistry {
    public typealias Builder = (_ file: GGUFFile) throws -> (modelType: String, denoiser: any Denoiser, generationConfig: JSONFields?)

    public static let builders: [String: Builder] = [
        LLaDAMoEGGUF.architecture: { file in
            let config = try LLaDAMoEGGUF.configuration(file)
            try checkStackedExperts(file, layers: config.layerCount, experts: config.expertCount)
            let weights = GGUFWeights(file: file, names: LLaDAMoEGGUF.ggufName)
            return ("llada_moe", try LLaDAMoEModel(config: config, weights: weights), nil)
        },
        DiffusionGemmaGGUF.architecture: { file in
            let config = try DiffusionGemmaGGUF.configuration(file)
            let generation = try DiffusionGemmaGGUF.generationConfig(file)
            if file.tensors["blk.0.ffn_gate_up_exps.weight"] == nil, file.tensors["blk.0.ffn_gate_exps.weight"] != nil {
                throw ModelFileError(file: file.path, "tensor 'blk.0.ffn_gate_exps.weight': split expert gate/up tensors are not supported; DiffusionGemma files carry them fused as 'ffn_gate_up_exps'")
            }
            let weights = GGUFWeights(file: file, names: DiffusionGemmaGGUF.ggufName)
            return ("diffusion_gemma", try DiffusionGemmaModel(config: config, weights: weights), generation)
        },
    ]

    public static var knownArchitectures: [String] { builders.keys.sorted() }

    /// Each stacked expert tensor holds exactly `experts` experts (the model asks for them one by one).
    static func checkStackedExperts(_ file: GGUFFile, layers: Int, experts: Int) throws {
        for layer in 0 ..< layers {
            for kind in ["gate", "up", "down"] {
                let name = "blk.\(layer).ffn_\(kind)_exps.weight"
                let info = try file.tensor(name)
                guard info.shape.count == 3, info.shape[0] == experts else {
                    throw ModelFileError(file: file.path, "tensor '\(name)' has shape \(info.shape); the metadata implies \(experts) experts [experts, rows, columns]")
                }
            }
        }
    }

    /// The tokenizer a GGUF file carries: its complete `tokenizer.huggingface.json` when present, else rebuilt
    /// from `tokenizer.ggml.*` (`GGUFVocabulary`), else none (the file then runs on token ids only).
    static func tokenizer(_ file: GGUFFile) throws -> HFTokenizer? {
        guard let json = try file.optionalString("tokenizer.huggingface.json") else { return try GGUFVocabulary.tokenizer(file) }
        let path = "\(file.path) (metadata key 'tokenizer.huggingface.json')"
        return try HFTokenizer(json: try JSONValue.parse(Data(json.utf8), file: path), file: path)
    }
}

extension ModelFolder {
    /// A model from one `.gguf` file: architecture, hyperparameters, weights and tokenizer all come from it.
    init(ggufFile url: URL, requireTokenizer: Bool) throws {
        let file = try GGUFFile(path: url.path)
        let architecture = try file.string("general.architecture")
        guard let builder = GGUFModelRegistry.builders[architecture] else {
            throw ModelFileError(file: url.path, "metadata key 'general.architecture' is '\(architecture)', not supported in GGUF form; supported: \(GGUFModelRegistry.knownArchitectures.joined(separator: ", "))")
        }
        let (modelType, denoiser, generationConfig) = try builder(file)
        // A caller that runs on token ids only loads files whose tokenizer cannot be rebuilt.
        let tokenizer = requireTokenizer ? try GGUFModelRegistry.tokenizer(file) : try? GGUFModelRegistry.tokenizer(file)
        if let tokenizer {
            try ModelFolder.check(tokenizer, against: denoiser, configFile: url.path)
        } else if requireTokenizer {
            throw ModelFileError(file: url.path, "has no tokenizer: neither 'tokenizer.huggingface.json' nor a 'tokenizer.ggml.model' vocabulary; it runs on token ids only")
        }
        self.init(url: url, modelType: modelType, denoiser: denoiser, tokenizer: tokenizer, generationConfig: generationConfig)
    }
}
