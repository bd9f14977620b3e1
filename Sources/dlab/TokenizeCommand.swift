import ArgumentParser
import DiffusionCore
import DiffusionEngine
import Foundation

/// `dlab tokenize`: a model's tokenizer from the shell, to compare with another tool's in one line. Loads only
/// the tokenizer (a folder's tokenizer.json, or a .gguf file's vocabulary), never the weights.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids and pieces of a text (or, with --decode, the text of token ids).",
        discussion: "Pieces are printed quoted, with escapes, so that spaces, newlines and `▁` are visible.")

    @Option(name: .long, help: "A Hugging Face model folder (its tokenizer.json), a tokenizer .json file, or a .gguf file.")
    var model: String

    @Flag(help: "Print only the ids, comma-separated on one line.")
    var ids = false

    @Flag(name: .customLong("add-special"), help: "Add the special tokens the tokenizer puts around a text (Gemma's and Llama's <bos>), as Hugging Face's tokenizer.encode(text) does.")
    var addSpecial = false

    @Flag(name: .customLong("skip-special"), help: "With --decode: leave special tokens out of the text.")
    var skipSpecial = false

    @Option(parsing: .unconditional, help: "Comma-separated token ids to turn back into text, e.g. 1,2,3.")
    var decode: String?

    @Argument(help: "The text to tokenize.")
    var text: String?

    func validate() throws {
        switch (text, decode) {
        case (nil, nil): throw ValidationError("give a TEXT to tokenize or --decode IDS")
        case (_?, _?): throw ValidationError("give either a TEXT or --decode, not both")
        default: break
        }
    }

    func run() throws {
        let tokenizer = try HFTokenizer.load(modelAt: URL(fileURLWithPath: model))
        if let decode {
            let list = try LogitsCommand.parse(decode, option: "--decode")
            if let unknown = list.first(where: { tokenizer.piece(of: $0) == nil }) {
                throw ValidationError("--decode: token id \(unknown) is not in the vocabulary of \(tokenizer.file)")
            }
            print(tokenizer.decode(list, skipSpecial: skipSpecial))
            return
        }
        let encoded = addSpecial ? try tokenizer.encodeWithSpecialTokens(text ?? "") : try tokenizer.encode(text ?? "")
        if ids {
            print(encoded.map(String.init).joined(separator: ","))
            return
        }
        for id in encoded {
            print("\(id)\t\((tokenizer.piece(of: id) ?? "?").debugDescription)")
        }
        print("\(encoded.count) tokens")
    }
}
