import ArgumentParser
import Foundation
import Tasks

/// `dlab tasks`: list the built-in and file-backed tasks, show examples, export them as JSONL, score predictions.
///
/// The export feeds the training scripts of the tiny models, so the examples a model is trained on come from
/// the same generators (and the same train/eval split) that the workbench evaluates with.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List, show and export the built-in and file-backed tasks; score predictions made elsewhere.",
        subcommands: [List.self, Show.self, Export.self, TasksScoreCommand.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the built-in tasks and the file-backed ones of Experiments/tasks (or $DLAB_TASKS).")

        func run() {
            let library = FileTaskLibrary.standard
            let width = (TaskRegistry.names + library.names).map(\.count).max() ?? 0
            print("name".padding(toLength: width, withPad: " ", startingAt: 0) + "  version  prompt  answer  summary")
            for task in TaskRegistry.all {
                let name = task.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let numbers = "\(pad(task.version, 7))  \(pad(task.promptLength, 6))  \(pad(task.answerLength, 6))"
                print("\(name)  \(numbers)  \(task.summary)")
            }
            // File-backed tasks: the version hashes the data, so a task whose data is missing shows why instead.
            for file in library.definitionFiles {
                let name = file.deletingPathExtension().lastPathComponent.padding(toLength: width, withPad: " ", startingAt: 0)
                do {
                    let definition = try TaskDefinition(contentsOf: file)
                    let here = FileManager.default.currentDirectoryPath + "/"
                    let missing = definition.data.values.map(\.path).filter { !FileManager.default.fileExists(atPath: $0) }.sorted()
                        .map { $0.hasPrefix(here) ? String($0.dropFirst(here.count)) : $0 }
                    guard missing.isEmpty else {
                        print("\(name)  \("-".padding(toLength: 7, withPad: " ", startingAt: 0))  (data not here: \(missing.joined(separator: ", ")); see \(library.folder.relativePath)/data/README.md)")
                        continue
                    }
                    let task = try FileBackedTask(definition: definition)
                    print("\(name)  \(pad(task.version, 7))  \(pad(task.promptLength, 6))  \(pad(task.answerLength, 6))  \(task.summary)")
                } catch {
                    print("\(name)  \("-".padding(toLength: 7, withPad: " ", startingAt: 0))  (not loadable: \(error))")
                }
            }
        }

        private func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a task's layout and a few examples.")

        @Argument(help: "Task name (see `dlab tasks list`).")
        var name: String
        @Option(help: "Split: train or eval.")
        var split: String = "eval"
        @Option(parsing: .unconditional, help: "Seed of the generator.")
        var seed: UInt64 = 0
        @Option(parsing: .unconditional, help: "First example index.")
        var index: Int = 0
        @Option(parsing: .unconditional, help: "Number of examples.")
        var count: Int = 3

        func validate() throws {
            try NumberBounds.checkExamples(start: index, count: count, startOption: "--index", countOption: "--count", minimumCount: 0)
            _ = try parseSplit(split)
        }

        func run() throws {
            let task = try TaskRegistry.task(named: name, library: .standard)
            let split = try parseSplit(split)
            print("\(task.name) v\(task.version): \(task.summary)")
            if let file = task as? FileBackedTask {
                print("file-backed: \(file.exampleCount(split: split) ?? 0) \(split.rawValue) examples, generation length \(file.answerLength), stop strings \(file.stopStrings)")
                let last = min(index + count, file.exampleCount(split: split) ?? 0)
                for i in index ..< max(index, last) {
                    let example = file.example(split: split, index: i, seed: seed)
                    print("--- \(split.rawValue)[\(i)] prompt:\n\(example.prompt)\n--- reference: \(example.answer)")
                }
                return
            }
            print("layout: prompt \(task.promptLength) chars, answer \(task.answerLength) chars")
            // One example at a time: a large --count streams instead of building an array first.
            for i in index ..< index + count {
                let example = task.example(split: split, index: i, seed: seed)
                print("\(split.rawValue)[\(example.index)] seed \(seed): \(example.prompt) -> \(example.answer)")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write examples as JSONL.",
            discussion: """
                One JSON object per line with the keys answer, index, prompt, split, task, version (sorted). \
                Example i depends only on (task, split, seed, i), so exports with different counts agree on \
                the examples they share.
                """
        )

        @Argument(help: "Task name (see `dlab tasks list`).")
        var name: String
        @Option(help: "Split: train or eval (required, so eval data is never exported for training by default).")
        var split: String
        @Option(parsing: .unconditional, help: "Seed of the generator.")
        var seed: UInt64 = 0
        @Option(parsing: .unconditional, help: "Number of examples.")
        var count: Int
        @Option(parsing: .unconditional, help: "First example index.")
        var start: Int = 0
        @Option(help: "Output file (default: standard output).")
        var output: String?

        func validate() throws {
            try NumberBounds.checkExamples(start: start, count: count, startOption: "--start", countOption: "--count", minimumCount: 0)
            _ = try parseSplit(split)
        }

        func run() throws {
            let task = try TaskRegistry.task(named: name, library: .standard)
            let split = try parseSplit(split)
            if let available = task.exampleCount(split: split), start + count > available {
                throw ValidationError("task '\(task.name)' has \(available) \(split.rawValue) examples; --start \(start) --count \(count) asks for more")
            }
            let sink: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw ValidationError("cannot create output file '\(output)'.")
                }
                sink = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                sink = FileHandle.standardOutput
            }
            defer { if output != nil { try? sink.close() } }

            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var buffer = Data()
            for i in start ..< start + count {
                buffer.append(try encoder.encode(task.example(split: split, index: i, seed: seed)))
                buffer.append(0x0A)
                if buffer.count >= 1 << 20 {
                    try sink.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try sink.write(contentsOf: buffer)
        }
    }
}

/// The split named on the command line.
func parseSplit(_ text: String) throws -> Split {
    guard let split = Split(rawValue: text) else {
        throw ValidationError("unknown split '\(text)'; use train or eval.")
    }
    return split
}
