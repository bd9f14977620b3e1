import Foundation
import Yams

/// A file-backed task as written in its YAML definition (see `Experiments/tasks/README.md`): where the data is,
/// how a prompt is built, how long to generate, where to stop and how to score. Parsing checks every key and
/// every name (extractors, scorers, filters); the data files are read only by `FileBackedTask`.
public struct TaskDefinition: Sendable {
    public struct Score: Sendable, Equatable {
        /// Column label, e.g. `strict-match`.
        public var name: String
        public var extractor: String
        public var scorer: String
    }

    public var file: URL
    public var name: String
    public var description: String
    /// Data files by split (`eval` required, `train` for few-shot examples), resolved against the definition's folder.
    public var data: [Split: URL]
    public var template: PromptTemplate
    /// How a shot's answer is written after its prompt; also the reference answer recorded with each result.
    public var target: PromptTemplate
    public var targetDelimiter: String
    public var shots: Int
    public var shotSeparator: String
    /// Seed of the few-shot draw (the shots of example i depend only on this seed and i).
    public var shotSeed: UInt64
    /// Text before everything else (the harness's `description`).
    public var preamble: String
    public var generationLength: Int
    public var stop: [String]
    /// Scorer roles (e.g. `numbers`, `tests`) mapped to field names of the data file.
    public var fields: [String: String]
    public var scores: [Score]
    public var allowCodeExecution: Bool
    /// The definition file's bytes, part of the task's version.
    public var sourceBytes: Data

    static let keys = [
        "name", "description", "data", "prompt", "generation_length", "stop", "fields", "scores", "allow_code_execution",
    ]
    static let promptKeys = ["template", "target", "target_delimiter", "shots", "shot_separator", "shot_seed", "preamble"]

    /// Reads and checks the definition at `file`.
    /// - Throws: `TaskDefinitionError` naming the file, line and key of the first problem.
    public init(contentsOf file: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw TaskDefinitionError(file: file.path, line: nil, key: nil, message: "cannot read the task definition (\(error.localizedDescription))")
        }
        try self.init(yaml: String(decoding: data, as: UTF8.self), file: file)
    }

    public init(yaml: String, file: URL) throws {
        let reader = DefinitionReader(file: file.path)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw reader.error(nil, "", "the file is empty") }
            root = node
        } catch let error as TaskDefinitionError {
            throw error
        } catch {
            throw reader.error(nil, "", "YAML syntax: \(error)")
        }
        let top = try reader.mapping(root, "", allowed: Self.keys, required: ["name", "data", "prompt", "scores"])
        self.file = file
        sourceBytes = Data(yaml.utf8)
        name = try reader.string(top["name"], "name")
        guard name.range(of: "^[A-Za-z0-9._-]+$", options: .regularExpression) != nil else {
            throw reader.error(top["name"], "name", "use letters, digits, '.', '_' and '-' only")
        }
        description = try top["description"].map { try reader.string($0, "description") } ?? ""
        let folder = file.deletingLastPathComponent()
        let dataMap = try reader.mapping(top["data"]!, "data", allowed: Split.allCases.map(\.rawValue), required: ["eval"])
        var data: [Split: URL] = [:]
        for split in Split.allCases {
            if let node = dataMap[split.rawValue] {
                let path = try reader.string(node, "data.\(split.rawValue)")
                data[split] = URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL
            }
        }
        self.data = data
        let prompt = try reader.mapping(top["prompt"]!, "prompt", allowed: Self.promptKeys, required: ["template", "target"])
        template = try reader.template(prompt["template"], "prompt.template")
        target = try reader.template(prompt["target"], "prompt.target")
        targetDelimiter = try prompt["target_delimiter"].map { try reader.string($0, "prompt.target_delimiter", allowEmpty: true) } ?? " "
        shots = try prompt["shots"].map { try reader.int($0, "prompt.shots", minimum: 0) } ?? 0
        shotSeparator = try prompt["shot_separator"].map { try reader.string($0, "prompt.shot_separator", allowEmpty: true) } ?? "\n\n"
        shotSeed = UInt64(try prompt["shot_seed"].map { try reader.int($0, "prompt.shot_seed", minimum: 0) } ?? 1234)
        preamble = try prompt["preamble"].map { try reader.string($0, "prompt.preamble", allowEmpty: true) } ?? ""
        if shots > 0 && data[.train] == nil {
            throw reader.error(prompt["shots"], "prompt.shots", "\(shots)-shot prompts draw their examples from a train file: add data.train")
        }
        generationLength = try top["generation_length"].map { try reader.int($0, "generation_length", minimum: 1) } ?? 256
        stop = try top["stop"].map { node in
            try reader.list(node, "stop").enumerated().map { try reader.string($1, "stop[\($0)]") }
        } ?? []
        var fields: [String: String] = [:]
        if let node = top["fields"] {
            for (role, value) in try reader.mapping(node, "fields", allowed: nil, required: []).ordered {
                fields[role] = try reader.string(value, "fields.\(role)")
            }
        }
        self.fields = fields
        allowCodeExecution = try top["allow_code_execution"].map { try reader.bool($0, "allow_code_execution") } ?? false
        var scores: [Score] = []
        for (index, node) in try reader.list(top["scores"]!, "scores").enumerated() {
            let key = "scores[\(index)]"
            let entry = try reader.mapping(node, key, allowed: ["name", "extractor", "scorer"], required: ["extractor", "scorer"])
            let extractor = try reader.string(entry["extractor"], "\(key).extractor")
            let scorer = try reader.string(entry["scorer"], "\(key).scorer")
            guard AnswerRegistry.extractor(named: extractor) != nil else {
                throw reader.error(entry["extractor"], "\(key).extractor", "unknown extractor '\(extractor)'; known extractors: \(AnswerRegistry.extractorNames.joined(separator: ", "))")
            }
            guard let scorerType = AnswerRegistry.scorer(named: scorer) else {
                throw reader.error(entry["scorer"], "\(key).scorer", "unknown scorer '\(scorer)'; known scorers: \(AnswerRegistry.scorerNames.joined(separator: ", "))")
            }
            for role in scorerType.roles where fields[role] == nil {
                throw reader.error(entry["scorer"], "\(key).scorer", "scorer '\(scorer)' reads the field role '\(role)': map it to a field of the data file under 'fields:'")
            }
            let label = try entry["name"].map { try reader.string($0, "\(key).name") } ?? (index == 0 ? "score" : "\(extractor)")
            guard !scores.contains(where: { $0.name == label }) else {
                throw reader.error(node, key, "two scores are named '\(label)'; give them distinct names")
            }
            scores.append(Score(name: label, extractor: extractor, scorer: scorer))
        }
        guard !scores.isEmpty else { throw reader.error(top["scores"], "scores", "the list is empty") }
        self.scores = scores
    }

    /// Whether any score executes the model's code.
    public var executesCode: Bool { scores.contains { AnswerRegistry.scorer(named: $0.scorer)?.executesCode ?? false } }
}

/// A problem in a task definition, located by file, line and key.
public struct TaskDefinitionError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let key: String?
    public let message: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        return (key.map { $0.isEmpty ? place : "\(place): \($0)" } ?? place) + ": " + message
    }
}
