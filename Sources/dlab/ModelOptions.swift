import ArgumentParser
import DiffusionEngine
import Foundation

/// `--model DIR` and `--threads`, shared by the commands that load a model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A Hugging Face model folder (config.json, model.safetensors, tokenizer.json).")
    var model: String

    @Option(name: .long, parsing: .unconditional, help: "OpenBLAS threads, 1...256 (1 gives repeatable timings on shared machines).")
    var threads: Int = 1

    func validate() throws {
        try NumberBounds.check(threads, "--threads", NumberBounds.threads)
    }

    func load(requireTokenizer: Bool = true) throws -> ModelFolder {
        MatMul.setThreads(threads)
        return try ModelFolder(URL(fileURLWithPath: model), requireTokenizer: requireTokenizer)
    }
}
