import ArgumentParser
import DiffusionEngine
import Foundation

/// `dlab quantize`: a Hugging Face LLaDA-MoE or DiffusionGemma folder as one GGUF file with llama.cpp's names, so no other toolchain
/// is needed to make the files `--model` accepts.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Write a GGUF file (llama.cpp names, metadata and tokenizer) from a Hugging Face model folder.",
        discussion: "Weight matrices get --type; norms and the MoE router stay F32; rows that are not whole blocks fall back as llama-quantize does.")

    @Argument(help: "The Hugging Face model folder (config.json, model.safetensors, tokenizer.json).")
    var modelDirectory: String

    @Option(help: "Tensor type of the weight matrices: \(ModelQuantizer.types.keys.sorted().joined(separator: ", ")).")
    var type: String

    @Option(help: "The GGUF file to write.")
    var output: String

    func run() throws {
        guard let type = ModelQuantizer.types[type.lowercased()] else {
            throw ValidationError("--type '\(self.type)' is not one of \(ModelQuantizer.types.keys.sorted().joined(separator: ", "))")
        }
        let written = try ModelQuantizer.quantize(
            folder: URL(fileURLWithPath: modelDirectory), type: type, output: URL(fileURLWithPath: output))
        var counts: [String: Int] = [:]
        for tensor in written.tensors { counts[tensor.type.name, default: 0] += 1 }
        let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("wrote \(output): \(written.tensors.count) tensors (\(summary)), \(written.bytes) bytes")
    }
}
