/// The one place where a task name maps to a task (ARCHITECTURE.md, Rules: no string dispatch elsewhere).
public enum TaskRegistry {
    /// Every built-in task, in the order `dlab tasks list` shows them.
    public static let all: [any EvaluationTask] = [
        AdditionTask(), SortingTask(), Sudoku4Task(), Sudoku9Task(), DecompositionTask(), CountdownTask(),
    ]

    /// Names of the built-in tasks, in registry order.
    public static var names: [String] { all.map(\.name) }

    /// The task registered under `name`.
    /// - Throws: `UnknownTaskError` listing the known names, so a typo on the command line is easy to fix.
    public static func task(named name: String) throws -> any EvaluationTask {
        guard let task = all.first(where: { $0.name == name }) else { throw UnknownTaskError(name: name, known: names) }
        return task
    }
}

/// A task name that is not in the registry.
public struct UnknownTaskError: Error, CustomStringConvertible, Equatable {
    public let name: String
    public let known: [String]

    public var description: String {
        "unknown task '\(name)'; known tasks: \(known.joined(separator: ", "))"
    }
}
