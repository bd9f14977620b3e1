import Foundation
import Samplers
import Tasks
import Yams

/// An experiment file (YAML): what to run. See `Experiments/quickstart.yaml` for a commented example.
///
/// ```yaml
/// name: quickstart                       # results/quickstart.sqlite, plots/quickstart/
/// models: [models/tiny-llada-moe]        # folders, relative to this file
/// tasks:
///   - {name: sudoku4, examples: 200, seed: 0}      # optional: split (eval), steps (overrides the list below)
///   - {name: gsm8k, examples: 200}                 # a file-backed task: tasks/gsm8k.yaml beside this file (or a path)
/// samplers:
///   - name: llada_low_confidence
///     parameters: {threshold: [0.7, 0.9]}  # a list is a grid axis
///     steps: [1, 16]                     # optional: this entry's own budgets (instead of the task's)
/// steps: [1, 2, 4, 8, 16]                # step budgets, the x-axis; clamped to the canvas length
/// block_length: 16                       # optional, default the whole canvas
/// seeds: [0]                             # sampler seeds; repeats: generations per example and seed
/// trace: full                            # optional: every step's canvas and confidences (default: commits)
/// ```
public struct ExperimentSpec: Sendable {
    public struct Model: Sendable, Equatable {
        /// The folder's name, recorded in the database.
        public var label: String
        public var folder: URL
    }

    public struct TaskEntry: Sendable {
        public var task: any EvaluationTask
        public var examples: Int
        public var seed: Int
        public var split: Split
        /// Step budgets for this task (the spec's `steps` unless the task overrides them).
        public var steps: [Int]
    }

    /// One sampler configuration: a point of the sampler grid.
    public struct SamplerConfiguration: Sendable {
        public var name: String
        public var parameters: [String: ParameterValue]
        /// The series label: the entry's `label` (or the sampler name) plus the parameters that vary in its grid.
        public var label: String
        public var sampler: SweepSampler
        /// `parameters` as canonical JSON, made once when the spec is read (run keys and rows use it).
        public var parametersJSON: String
        /// The entry's own step budgets (its `steps` key), used instead of the task's; nil: the task's.
        public var steps: [Int]? = nil
    }

    public var file: URL
    /// The samplers this spec's names were looked up in (a run on a model is made again from it when the model ships
    /// sampler defaults, see `ModelSamplerDefaults`).
    public var catalog: SamplerCatalog
    public var name: String
    public var models: [Model]
    public var tasks: [TaskEntry]
    public var samplers: [SamplerConfiguration]
    public var generationLength: Int?
    public var blockLength: Int?
    public var seeds: [Int]
    public var repeats: Int
    /// What each row keeps of its generation: commit steps (default) or the full trace (`traces` table).
    public var trace = TraceLevel.commits
    /// The results database (default `results/<name>.sqlite` beside the spec file).
    public var database: URL
    /// True when `database` is the default `results/<name>.sqlite` (no `results:` key): only then may `dlab`
    /// create one folder, `results/` directly beside the spec file, and nothing else (see `createResultsFolder`).
    public var usesDefaultDatabase = true
    /// Where a problem found later (when the models are loaded) points: the line of `generation_length`, and of
    /// each task's `name` (by task index).
    var generationLengthLine: Int?
    var taskLines: [Int?] = []

    /// Reads and validates an experiment file.
    /// - Throws: `SpecError` naming the file, the line and the key of the first problem.
    public init(contentsOf file: URL, catalog: SamplerCatalog = .builtIn) throws {
        try self.init(yaml: try SpecText.read(file), file: file, catalog: catalog)
    }

    public init(yaml: String, file: URL, catalog: SamplerCatalog = .builtIn) throws {
        let reader = SpecReader(file: file.path)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw SpecError(file: file.path, line: nil, key: nil, message: "the file is empty")
            }
            root = node
        } catch let error as SpecError {
            throw error
        } catch let error as YamlError {
            throw reader.syntaxError(error)
        }
        let top = try reader.mapping(root, key: "(top level)", allowed: [
            "name", "description", "models", "model", "tasks", "samplers", "steps", "generation_length",
            "block_length", "seeds", "repeats", "results", "trace",
        ], required: ["name", "tasks", "samplers", "steps"])
        let folder = file.deletingLastPathComponent()
        self.file = file
        self.catalog = catalog
        name = try reader.string(top.required("name"), key: "name")
        guard name.range(of: "^[A-Za-z0-9._-]+$", options: .regularExpression) != nil else {
            throw reader.error(top["name"], key: "name", "use letters, digits, '.', '_' and '-' only (it names files)")
        }
        // Models: a list under `models`, or one under `model`.
        var modelNodes: [(Node, String)] = []
        switch (top["models"], top["model"]) {
        case (let list?, nil): modelNodes = try reader.list(list, key: "models").enumerated().map { ($1, "models[\($0)]") }
        case (nil, let one?): modelNodes = [(one, "model")]
        case (_?, _?): throw reader.error(top["model"], key: "model", "give either 'model' or 'models', not both")
        case (nil, nil): throw reader.error(root, key: "models", "missing key 'models' (a list of model folders)")
        }
        guard !modelNodes.isEmpty else { throw reader.error(top["models"], key: "models", "the list is empty") }
        models = try modelNodes.map { node, key in
            let path = try reader.string(node, key: key)
            let url = URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw reader.error(node, key: key, "no model folder at '\(path)' (resolved to \(url.path))")
            }
            return Model(label: url.lastPathComponent, folder: url)
        }
        let steps = try reader.positiveInts(top.required("steps"), key: "steps")
        generationLength = try top["generation_length"].map { try reader.positiveInt($0, key: "generation_length") }
        generationLengthLine = top["generation_length"]?.mark?.line
        blockLength = try top["block_length"].map { try reader.positiveInt($0, key: "block_length") }
        seeds = try top["seeds"].map { try reader.ints($0, key: "seeds") } ?? [0]
        repeats = try top["repeats"].map { try reader.positiveInt($0, key: "repeats") } ?? 1
        if let node = top["trace"] {
            let text = try reader.string(node, key: "trace")
            guard let level = TraceLevel(rawValue: text) else {
                throw reader.error(node, key: "trace", "must be one of \(TraceLevel.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")), got '\(text)'")
            }
            trace = level
        }
        let stepsNode = top["steps"]
        if let results = top["results"] {
            database = URL(fileURLWithPath: try reader.string(results, key: "results"), relativeTo: folder).standardizedFileURL
            usesDefaultDatabase = false
            // dlab creates no folders for a path given here: say so now, not after a sweep's setup.
            let parent = database.deletingLastPathComponent()
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw reader.error(results, key: "results", "the folder \(parent.path) does not exist; create it first (dlab creates no folders)")
            }
        } else {
            database = folder.appendingPathComponent("results").appendingPathComponent("\(name).sqlite")
        }
        // Tasks.
        var taskStepNodes: [(Node?, String)] = []
        var nameLines: [Int?] = []
        let taskNodes = try reader.list(top.required("tasks"), key: "tasks")
        guard !taskNodes.isEmpty else { throw reader.error(top["tasks"], key: "tasks", "the list is empty") }
        tasks = try taskNodes.enumerated().map { index, node in
            let key = "tasks[\(index)]"
            let fields = try reader.mapping(node, key: key, allowed: ["name", "examples", "seed", "split", "steps", "allow_code_execution"],
                                            required: ["name", "examples"])
            let name = try reader.string(fields.required("name"), key: "\(key).name")
            let allowCode = try fields["allow_code_execution"].map { try Self.bool($0, reader: reader, key: "\(key).allow_code_execution") } ?? false
            let task = try Self.task(name, folder: folder, allowCodeExecution: allowCode, reader: reader, node: fields["name"], key: "\(key).name")
            var split = Split.eval
            if let node = fields["split"] {
                let text = try reader.string(node, key: "\(key).split")
                guard let value = Split(rawValue: text) else {
                    throw reader.error(node, key: "\(key).split", "must be 'eval' or 'train', got '\(text)'")
                }
                split = value
            }
            nameLines.append(fields["name"]?.mark?.line)
            taskStepNodes.append(fields["steps"].map { ($0, "\(key).steps") } ?? (stepsNode, "steps"))
            let examples = try reader.positiveInt(fields.required("examples"), key: "\(key).examples", max: ExampleIndex.limit)
            if let available = task.exampleCount(split: split), examples > available {
                throw reader.error(fields["examples"], key: "\(key).examples", "task '\(task.name)' has \(available) \(split.rawValue) examples, fewer than \(examples)")
            }
            return TaskEntry(
                task: task, examples: examples,
                seed: try fields["seed"].map { try reader.int($0, key: "\(key).seed") } ?? 0, split: split,
                steps: try fields["steps"].map { try reader.positiveInts($0, key: "\(key).steps") } ?? steps)
        }
        taskLines = nameLines
        // Samplers: each entry expands to the Cartesian product of its list-valued parameters.
        let samplerNodes = try reader.list(top.required("samplers"), key: "samplers")
        guard !samplerNodes.isEmpty else { throw reader.error(top["samplers"], key: "samplers", "the list is empty") }
        var configurations: [SamplerConfiguration] = []
        var blockNodes: [(Node?, String)] = []
        var ownStepNodes: [(Node?, String)?] = []
        for (index, node) in samplerNodes.enumerated() {
            let key = "samplers[\(index)]"
            let fields = try reader.mapping(node, key: key, allowed: ["name", "label", "parameters", "steps"], required: ["name"])
            let ownSteps = try fields["steps"].map { try reader.positiveInts($0, key: "\(key).steps") }
            let name = try reader.string(fields.required("name"), key: "\(key).name")
            guard catalog.names.contains(name) else {
                throw reader.error(fields["name"], key: "\(key).name",
                                   "unknown sampler '\(name)'; known samplers: \(catalog.names.joined(separator: ", "))")
            }
            let label = try fields["label"].map { try reader.string($0, key: "\(key).label") } ?? name
            var axes: [(name: String, values: [ParameterValue], node: Node)] = []
            if let parameters = fields["parameters"] {
                let mapping = try reader.mapping(parameters, key: "\(key).parameters", allowed: nil, required: [])
                for (parameter, value) in mapping.ordered {
                    axes.append((parameter, try reader.parameterValues(value, key: "\(key).parameters.\(parameter)"), value))
                }
            }
            var grid: [[String: ParameterValue]] = [[:]]
            for axis in axes {
                grid = grid.flatMap { partial in axis.values.map { partial.merging([axis.name: $0]) { $1 } } }
            }
            let varying = axes.filter { $0.values.count > 1 }.map(\.name)
            for parameters in grid {
                let sampler: SweepSampler
                do {
                    sampler = try catalog.make(name, parameters, blockLength)
                } catch let error as ParameterError {
                    // The error names its key as data: point at that parameter's line (the spec's own
                    // block_length when the key came from there).
                    if let axis = axes.first(where: { $0.name == error.key }) {
                        throw reader.error(axis.node, key: "\(key).parameters.\(axis.name)", "\(error)")
                    }
                    if error.key == "block_length", let node = top["block_length"] {
                        throw reader.error(node, key: "block_length", "\(error)")
                    }
                    throw reader.error(fields["name"], key: "\(key).name", "\(error)")
                } catch {
                    throw reader.error(fields["name"], key: "\(key).name", "\(error)")
                }
                let suffix = varying.compactMap { name in parameters[name].map { "\(name)=\($0)" } }.joined(separator: " ")
                let parametersJSON: String
                do {
                    parametersJSON = try canonicalJSON(parameters)
                } catch {
                    throw reader.error(fields["parameters"], key: "\(key).parameters", "the parameters \(parameters) cannot be written as JSON (\(error))")
                }
                configurations.append(SamplerConfiguration(
                    name: name, parameters: parameters, label: suffix.isEmpty ? label : "\(label) \(suffix)",
                    sampler: sampler, parametersJSON: parametersJSON, steps: ownSteps))
                let blockAxis = axes.first { $0.name == "block_length" }
                ownStepNodes.append(fields["steps"].map { ($0, "\(key).steps") })
                blockNodes.append(blockAxis.map { ($0.node, "\(key).parameters.block_length") }
                    ?? (top["block_length"], "block_length"))
            }
        }
        let labels = configurations.map(\.label)
        if let duplicate = labels.first(where: { label in labels.filter { $0 == label }.count > 1 }) {
            throw reader.error(top["samplers"], key: "samplers", "two sampler configurations share the label '\(duplicate)'; give them distinct 'label's")
        }
        samplers = configurations
        try checkShapes(reader, steps: taskStepNodes, blocks: blockNodes, ownSteps: ownStepNodes)
    }

    /// Canvas shapes the samplers' loop cannot run (a generation length that is not a multiple of block_length, a
    /// step budget that does not divide into the blocks) are found here, at the line of the value to change, instead
    /// of after a sweep's first rows.
    private func checkShapes(_ reader: SpecReader, steps stepNodes: [(Node?, String)], blocks blockNodes: [(Node?, String)],
                             ownSteps: [(Node?, String)?]) throws {
        for (taskIndex, task) in tasks.enumerated() {
            let length = generationLength ?? task.task.answerLength
            for (configIndex, config) in samplers.enumerated() {
                // Samplers built on the masked loop take block_length (the catalogue adds the spec's own to them).
                guard case .int(let block)? = config.sampler.parameters["block_length"] else { continue }
                if let problem = MaskedLoop.shapeProblem(length: length, steps: length, blockLength: block) {
                    let (node, key) = blockNodes[configIndex]
                    throw reader.error(node, key: key, "\(problem) (task \(task.task.name), generation length \(length))")
                }
                // A budget-free sampler is handed one step per position (checked above), never the budgets.
                for budget in Set((config.steps ?? task.steps).map { min($0, length) }).sorted() where config.sampler.stepBudget != .unused {
                    if let problem = MaskedLoop.shapeProblem(length: length, steps: budget, blockLength: block) {
                        let (node, key) = ownSteps[configIndex] ?? stepNodes[taskIndex]
                        throw reader.error(node, key: key, "\(problem) (task \(task.task.name), sampler \(config.label); a step budget must be a multiple of the number of blocks)")
                    }
                }
            }
        }
    }
}

/// A problem in an experiment file, located by file, line and key.
public struct SpecError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let key: String?
    public let message: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        return key.map { "\(place): \($0): \(message)" } ?? "\(place): \(message)"
    }
}
