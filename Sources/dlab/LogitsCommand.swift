import ArgumentParser
import DiffusionCore
import DiffusionEngine
import Foundation
import Sweeps

/// `dlab logits`: the logits of every position for given token ids — the tap for comparing a port with its
/// reference from the shell. With `--prompt-tokens`, the prompt is the prefix (DiffusionGemma's encoder input) and
/// `--tokens` the canvas; the rows printed are the canvas's.
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Print the logits of every position for the given token ids (the canvas, after an optional prompt).")

    enum Format: String, ExpressibleByArgument { case json, text }

    @OptionGroup var modelOptions: ModelOptions

    @Option(parsing: .unconditional, help: "Comma-separated token ids, e.g. 5,7,9 (the canvas when --prompt-tokens is given).")
    var tokens: String

    @Option(parsing: .unconditional, help: "Comma-separated prompt token ids: the prefix the canvas is conditioned on (DiffusionGemma's encoder input).")
    var promptTokens: String?

    @Option(help: "json prints {\"shape\":[T,V],\"logits\":[[...],...]}; text prints the top 5 tokens per position.")
    var format: Format = .text

    /// Comma-separated ids; an empty item (`1,,2`, `1,2,`) is an error, not skipped.
    static func parse(_ text: String, option: String) throws -> [TokenID] {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("\(option): no token ids given") }
        return try text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { position, piece -> TokenID in
            let item = piece.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw ValidationError("\(option): item \(position + 1) of '\(text)' is empty") }
            guard let id = TokenID(item) else {
                throw ValidationError("\(option): '\(item)' is not an integer token id")
            }
            return id
        }
    }

    /// Every id must name a row of the model's embedding.
    static func check(_ ids: [TokenID], option: String, vocabularySize: Int) throws {
        if let bad = ids.first(where: { $0 < 0 || $0 >= vocabularySize }) {
            throw ValidationError("\(option): token id \(bad) is outside the model's vocabulary 0..<\(vocabularySize)")
        }
    }

    func run() throws {
        let ids = try Self.parse(tokens, option: "--tokens")
        let prompt = try promptTokens.map { try Self.parse($0, option: "--prompt-tokens") } ?? []
        let folder = try modelOptions.load(requireTokenizer: false)
        try Self.check(ids, option: "--tokens", vocabularySize: folder.denoiser.vocabularySize)
        try Self.check(prompt, option: "--prompt-tokens", vocabularySize: folder.denoiser.vocabularySize)
        try ModelLimits(folder.denoiser).check(promptTokens: prompt.count, canvasLength: ids.count, totalNew: ids.count,
                                               canvasName: "--tokens", totalName: "--tokens")
        let logits = try folder.denoiser.logits(prefix: prompt, canvas: ids, conditioning: nil)
        switch format {
        case .json:
            // JSON has no NaN or infinity: a non-finite logit is an error naming its place, not invalid output.
            if let bad = logits.values.firstIndex(where: { !$0.isFinite }) {
                throw SweepCommandError("the logit of token \(bad % logits.vocabularySize) at position \(bad / logits.vocabularySize) is \(logits.values[bad]), which JSON cannot hold: the model's weights or activations are not finite")
            }
            let rows = (0 ..< logits.rows).map { r in logits.row(r).map { "\($0)" }.joined(separator: ",") }
            print("{\"shape\":[\(logits.rows),\(logits.vocabularySize)],\"logits\":[[\(rows.joined(separator: "],["))]]}")
        case .text:
            for r in 0 ..< logits.rows {
                let top = logits.row(r).enumerated().sorted { $0.element > $1.element }.prefix(5)
                let spelled = top.map { pick in
                    let piece = folder.tokenizer?.tokens[pick.offset].map { " '\($0)'" } ?? ""
                    return "\(pick.offset)\(piece) \(String(format: "%.4f", pick.element))"
                }
                print("position \(r) (token \(ids[r])): \(spelled.joined(separator: ", "))")
            }
        }
    }
}
