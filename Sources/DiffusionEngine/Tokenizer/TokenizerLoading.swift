import Foundation

extension HFTokenizer {
    /// The tokenizer of a model without loading its weights: `tokenizer.json` of a model folder (or that file
    /// itself), or the vocabulary of a `.gguf` file (its `tokenizer.huggingface.json`, else `tokenizer.ggml.*`).
    public static func load(modelAt url: URL) throws -> HFTokenizer {
        if url.pathExtension.lowercased() == "gguf" {
            let file = try GGUFFile(path: url.path)
            guard let tokenizer = try GGUFModelRegistry.tokenizer(file) else {
                throw ModelFileError(file: url.path, "has no tokenizer: neither 'tokenizer.huggingface.json' nor a 'tokenizer.ggml.model' vocabulary")
            }
            return tokenizer
        }
        if url.pathExtension.lowercased() == "json" { return try HFTokenizer(contentsOf: url) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelFileError(file: url.path, "no such model folder, .gguf or tokenizer .json file")
        }
        return try HFTokenizer(contentsOf: url.appendingPathComponent("tokenizer.json"))
    }
}
