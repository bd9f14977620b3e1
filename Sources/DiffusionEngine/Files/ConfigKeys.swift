import Foundation

/// Where loaders report what they accept but ignore (unknown config keys): standard error by default; a caller
/// (a test, a tool that wants quiet output) passes its own.
public struct WarningSink: Sendable {
    public let report: @Sendable (String) -> Void

    public init(_ report: @escaping @Sendable (String) -> Void) {
        self.report = report
    }

    public static let standardError = WarningSink { message in
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}

/// The keys of one JSON object of a model file, checked against the keys the loader knows. An unknown key is a
/// warning naming it (checkpoints carry keys for other tools); a key that looks like a misspelling of a known key
/// (edit distance ≤ 2, or the same letters in another order) is an error naming both, because the misspelled
/// field would silently fall back to its default (`rope7theta`: the default θ, other logits).
enum ConfigKeys {
    /// Keys transformers' `PretrainedConfig` writes into every config.json, whatever the architecture.
    static let common: Set<String> = [
        "_name_or_path", "architectures", "auto_map", "model_type", "transformers_version", "torch_dtype", "dtype",
        "use_cache", "initializer_range", "tie_word_embeddings", "bos_token_id", "eos_token_id", "pad_token_id",
        "sep_token_id", "decoder_start_token_id", "output_attentions", "output_hidden_states", "return_dict",
        "torchscript", "use_bfloat16", "tf_legacy_loss", "pruned_heads", "chunk_size_feed_forward",
        "is_encoder_decoder", "is_decoder", "add_cross_attention", "tie_encoder_decoder", "id2label", "label2id",
        "problem_type", "tokenizer_class", "prefix", "task_specific_params", "finetuning_task", "quantization_config",
        "_attn_implementation_autoset", "attn_implementation",
    ]

    /// Checks the keys of `fields` (whose keys are at `fields.path`); throws on a near-miss, warns on the rest.
    static func check(_ fields: JSONFields, known: Set<String>, warnings: WarningSink) throws {
        var unknown: [String] = []
        for key in fields.keys where !known.contains(key) {
            let qualified = fields.path.isEmpty ? key : "\(fields.path).\(key)"
            if let intended = closest(to: key, in: known) {
                let intendedPath = fields.path.isEmpty ? intended : "\(fields.path).\(intended)"
                throw ModelFileError(file: fields.file, "field '\(qualified)' is not a known key; it looks like a misspelling of "
                    + "'\(intendedPath)' (rename it, or the default of '\(intended)' would be used)")
            }
            unknown.append(qualified)
        }
        if !unknown.isEmpty {
            warnings.report("\(fields.file): ignoring unknown field\(unknown.count == 1 ? "" : "s") "
                + unknown.map { "'\($0)'" }.joined(separator: ", "))
        }
    }

    /// A near-miss: the same letters in another order, or at most two single-character edits apart.
    static func resembles(_ key: String, _ known: String) -> Bool {
        distance(key, known) <= 2
    }

    /// The known key `key` most resembles (fewest edits; ties: alphabetical), or nil if none is a near-miss.
    static func closest(to key: String, in known: Set<String>) -> String? {
        known.map { (name: $0, distance: distance(key, $0)) }.filter { $0.distance <= 2 }
            .min { ($0.distance, $0.name) < ($1.distance, $1.name) }?.name
    }

    /// 0 for the same letters in another order (an anagram is as suspicious as one edit), else the edit distance
    /// (3 standing for anything beyond 2).
    static func distance(_ key: String, _ known: String) -> Int {
        let (a, b) = (Array(key.utf8), Array(known.utf8))
        if a.count == b.count, a.sorted() == b.sorted() { return 0 }
        return editDistance(a, b, limit: 2)
    }

    /// Levenshtein distance, stopping early once every path exceeds `limit` (keys are short; inputs are not trusted).
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0 ... b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1 ... a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1 ... b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension JSONFields {
    /// A finite positive real (ε, θ, caps): NaN cannot come from JSON, but 1e308·10 is refused by the parser and
    /// zero or a negative value here would only show up as wrong logits.
    func positiveDouble(_ name: String, default value: Double) throws -> Double {
        let number = try optionalDouble(name) ?? value
        guard number.isFinite, number > 0 else {
            throw ModelFileError(file: file, "field '\(path.isEmpty ? name : "\(path).\(name)")' must be a finite positive number, found \(number)")
        }
        return number
    }

    /// The largest size a config may give one dimension (2²⁴: real checkpoints stay below 2²⁰). With it, and the
    /// parameter count bounded by `maximumParameters`, no product of sizes can overflow.
    static let maximumSize = 1 << 24

    /// More parameters than any machine this runs on could hold (2⁴⁰, a trillion).
    static let maximumParameters = 1 << 40

    /// The largest count of layers or experts (2¹⁶; real checkpoints have at most a few hundred): per-layer and
    /// per-expert tables are built before the weights are read.
    static let maximumCount = 1 << 16

    /// A size or count: a positive integer of at most `maximum`.
    func size(_ name: String, maximum: Int = maximumSize) throws -> Int {
        let value = try positiveInt(name)
        guard value <= maximum else {
            throw ModelFileError(file: file, "field '\(path.isEmpty ? name : "\(path).\(name)")' is \(value), more than the largest accepted (\(maximum))")
        }
        return value
    }

    /// An optional size (see `size`).
    func optionalPositiveInt(_ name: String) throws -> Int? {
        guard present(name) != nil else { return nil }
        return try size(name)
    }

    /// Throws unless `parameters` (counted in Double, which cannot overflow) is at most `maximumParameters`.
    static func checkParameterCount(_ parameters: Double, file: String) throws {
        guard parameters <= Double(maximumParameters) else {
            throw ModelFileError(file: file, "the sizes give \(parameters) parameters, more than \(Double(maximumParameters)) (the largest model accepted)")
        }
    }

    /// An optional token id (or list of them) that must lie inside the vocabulary.
    func tokenIDs(_ name: String, vocabularySize: Int?) throws -> [Int]? {
        guard let ids = try optionalIntList(name) else { return nil }
        for id in ids {
            guard id >= 0, vocabularySize.map({ id < $0 }) ?? true else {
                let range = vocabularySize.map { ", outside the vocabulary 0..<\($0)" } ?? ", must be >= 0"
                throw ModelFileError(file: file, "field '\(path.isEmpty ? name : "\(path).\(name)")' is \(id)\(range)")
            }
        }
        return ids
    }
}
