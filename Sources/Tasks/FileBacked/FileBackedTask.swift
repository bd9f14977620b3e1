import DiffusionCore
import Foundation

/// A benchmark read from local files (GSM8K, MATH-500, MMLU, Countdown, Sudoku, HumanEval, MBPP …) as its YAML
/// definition describes it: prompts from a template (zero- or k-shot), scores from named extractors and scorers.
///
/// Its version is a hash of the definition and of every data file, so a changed file or definition gives new run
/// keys in the results database and never mixes with old rows.
public struct FileBackedTask: EvaluationTask {
    /// Kind name; each file-backed task answers to its definition's name (`name`).
    public static let name = "file"
    public let definition: TaskDefinition
    public let version: Int
    public let summary: String
    /// Characters of the longest evaluation prompt (prompts vary in length).
    public let promptLength: Int
    /// The generation length of the definition: the canvas a sampler fills (several canvases for block models).
    public let answerLength: Int
    /// Whether the experiment allows running the model's code (the definition may allow it too).
    public let allowCodeExecution: Bool
    let records: [Split: [Record]]
    let evalPrompts: [String]
    /// Evaluation example of each prompt (the first, if two records give the same prompt).
    let promptIndex: [String: Int]

    public var name: String { definition.name }
    public var stopStrings: [String] { definition.stop }

    /// Loads the data files and renders every prompt, so that a bad line or template fails here, naming it.
    public init(definition: TaskDefinition, allowCodeExecution: Bool = false) throws {
        self.definition = definition
        self.allowCodeExecution = allowCodeExecution || definition.allowCodeExecution
        var records: [Split: [Record]] = [:]
        var hash = FNV1a64()
        hash.add(definition.sourceBytes)
        for split in Split.allCases.reversed() {  // eval first: the order of the hash is fixed
            guard let url = definition.data[split] else { continue }
            let (rows, bytes) = try RecordFile.read(url)
            hash.add(bytes)
            records[split] = rows
        }
        self.records = records
        version = Int(hash.value >> 33)
        answerLength = definition.generationLength
        let rolesInUse = Set(definition.scores.flatMap { AnswerRegistry.scorer(named: $0.scorer)?.roles ?? [] })
        for (_, rows) in records {
            for row in rows {
                for role in rolesInUse.sorted() {
                    let field = definition.fields[role] ?? role
                    guard row.fields[field] != nil else {
                        throw DataFileError(file: row.origin, line: nil, message: "no field '\(field)' (the scorer's '\(role)'); fields: \(row.fields.keys.sorted().joined(separator: ", "))")
                    }
                }
                _ = try definition.target.render(row)
            }
        }
        // Evaluation prompts are rendered once (this also checks the template on every record); train prompts, only
        // needed to show or export the train split, are rendered when asked for.
        var evalPrompts: [String] = []
        var promptIndex: [String: Int] = [:]
        for index in records[.eval]?.indices ?? 0 ..< 0 {
            let prompt = try Self.prompt(definition, records, split: .eval, index: index)
            if promptIndex[prompt] == nil { promptIndex[prompt] = index }
            evalPrompts.append(prompt)
        }
        for row in records[.train] ?? [] { _ = try definition.template.render(row) }
        self.evalPrompts = evalPrompts
        self.promptIndex = promptIndex
        promptLength = evalPrompts.map(\.count).max() ?? 0
        let shots = definition.shots > 0 ? ", \(definition.shots)-shot" : ""
        let scoreNames = definition.scores.map(\.name).joined(separator: " + ")
        summary = (definition.description.isEmpty ? "file-backed task" : definition.description)
            + " [\(records[.eval]?.count ?? 0) eval examples\(shots); \(scoreNames)]"
    }

    /// The prompt of record `index` of `split`: preamble, the shots, the record's own text.
    static func prompt(_ definition: TaskDefinition, _ records: [Split: [Record]], split: Split, index: Int) throws -> String {
        guard let rows = records[split] else { return "" }
        var text = definition.preamble
        if definition.shots > 0, let pool = records[.train] {
            // The shots of example i depend only on the shot seed, the split and i; an example is never its own shot.
            let exclude = split == .train ? index : nil
            var rng = SeededGenerator(seed: definition.shotSeed ^ (split == .eval ? 0x5EED_E7A1_0000_0001 : 0),
                                      stream: UInt64(index))
            for shot in draw(definition.shots, from: pool.count, excluding: exclude, rng: &rng) {
                text += try definition.template.render(pool[shot]) + definition.targetDelimiter
                    + definition.target.render(pool[shot]) + definition.shotSeparator
            }
        }
        return text + (try definition.template.render(rows[index]))
    }

    /// `k` distinct indices of 0..<n (without `excluded`): the first k steps of a Fisher–Yates shuffle of the
    /// candidates, with the swapped entries in a dictionary so a draw costs O(k), not O(n).
    static func draw(_ k: Int, from n: Int, excluding excluded: Int?, rng: inout SeededGenerator) -> [Int] {
        let count = n - (excluded.map { (0 ..< n).contains($0) ? 1 : 0 } ?? 0)
        // Candidate i is pool index i, or i + 1 from the excluded index on.
        func candidate(_ i: Int) -> Int { excluded.map { i >= $0 ? i + 1 : i } ?? i }
        var swapped: [Int: Int] = [:]
        var chosen: [Int] = []
        for position in 0 ..< min(k, count) {
            let other = position + rng.nextInt(below: count - position)
            let (atPosition, atOther) = (swapped[position] ?? position, swapped[other] ?? other)
            swapped[other] = atPosition
            swapped[position] = atOther
            chosen.append(candidate(atOther))
        }
        return chosen
    }

    public func exampleCount(split: Split) -> Int? { records[split]?.count ?? 0 }

    /// Example `index` of `split` (the seed does not change a file's examples). Outside the file: an empty example;
    /// callers check `exampleCount(split:)` first (`checkedExample` does).
    public func example(split: Split, index: Int, seed: UInt64) -> TaskExample {
        guard let rows = records[split], rows.indices.contains(index),
            let prompt = split == .eval ? evalPrompts[safe: index] : try? Self.prompt(definition, records, split: split, index: index)
        else {
            return TaskExample(task: name, version: version, split: split, index: index, prompt: "", answer: "")
        }
        let answer = (try? definition.target.render(rows[index])) ?? ""
        return TaskExample(task: name, version: version, split: split, index: index, prompt: prompt, answer: answer)
    }

    /// The main score of `output` for the evaluation example whose prompt is `prompt` (0 for an unknown prompt, or when the
    /// scorer cannot run, e.g. code execution not allowed).
    public func score(prompt: String, output: String) -> Double {
        guard let index = promptIndex[prompt] else { return 0 }
        return (try? scores(of: example(split: .eval, index: index, seed: 0), output: output).primary) ?? 0
    }

    /// Every score of the definition: the output is cut at the first stop string, then each extractor and scorer runs.
    public func scores(of example: TaskExample, output: String) throws -> TaskScores {
        guard let record = records[example.split]?[safe: example.index] else {
            throw ExampleRangeError(task: name, split: example.split, index: example.index, count: records[example.split]?.count ?? 0)
        }
        let input = ScoringInput(reference: example.answer, record: record, roles: definition.fields,
                                 prompt: example.prompt, allowCodeExecution: allowCodeExecution)
        return try score(output: output, input: input)
    }

    /// Scores `output` against `input` (also for predictions made elsewhere, `dlab tasks score`).
    public func score(output: String, input: ScoringInput) throws -> TaskScores {
        let text = Self.cut(output, at: definition.stop)
        var entries: [TaskScores.Entry] = []
        for score in definition.scores {
            guard let extractor = AnswerRegistry.extractor(named: score.extractor), let scorer = AnswerRegistry.scorer(named: score.scorer) else {
                continue  // names were checked when the definition loaded
            }
            let answer = extractor.init().extract(text, input)
            entries.append(.init(name: score.name, value: try scorer.init().score(answer, input), extracted: answer))
        }
        return TaskScores(entries)
    }

    /// `text` up to the first occurrence of any stop string.
    public static func cut(_ text: String, at stops: [String]) -> String {
        var end = text.endIndex
        for stop in stops where !stop.isEmpty {
            if let range = text.range(of: stop, options: .literal), range.lowerBound < end { end = range.lowerBound }
        }
        return String(text[..<end])
    }

    /// The scoring input of example `index` of `split`, for predictions made elsewhere.
    public func scoringInput(split: Split, index: Int) throws -> ScoringInput {
        let example = try checkedExample(split: split, index: index, seed: 0)
        guard let record = records[split]?[safe: index] else {
            throw ExampleRangeError(task: name, split: split, index: index, count: 0)
        }
        return ScoringInput(reference: example.answer, record: record, roles: definition.fields, prompt: example.prompt,
                            allowCodeExecution: allowCodeExecution)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// FNV-1a 64 over bytes, incrementally (the task version's hash).
struct FNV1a64 {
    var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ data: Data) {
        for byte in data {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        // A separator, so that moving bytes between files changes the hash.
        value ^= 0xFF
        value = value &* 0x0000_0100_0000_01B3
    }
}
