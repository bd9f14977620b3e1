import Foundation
import Tasks
import Yams

/// File-backed tasks in experiment files: `tasks: [{name: gsm8k, examples: 200}]` names a definition in the
/// `tasks/` folder beside the experiment file (e.g. Experiments/tasks/gsm8k.yaml), or gives a definition's path
/// relative to the experiment file; `allow_code_execution: true` on the entry lets a code task run the model's code.
extension ExperimentSpec {
    static func task(_ name: String, folder: URL, allowCodeExecution: Bool, reader: SpecReader, node: Node?, key: String)
        throws -> any EvaluationTask
    {
        let library = FileTaskLibrary(folder: folder.appendingPathComponent("tasks"))
        let task: any EvaluationTask
        do {
            task = try TaskRegistry.task(named: name, library: library, relativeTo: folder, allowCodeExecution: allowCodeExecution)
        } catch {
            throw reader.error(node, key: key, "\(error)")
        }
        if let file = task as? FileBackedTask, file.definition.executesCode, !file.allowCodeExecution {
            throw reader.error(node, key: key, "task '\(file.name)' runs the model's code; add allow_code_execution: true to this task entry to allow it (sandboxed: no network, resource limits)")
        }
        return task
    }

    static func bool(_ node: Node, reader: SpecReader, key: String) throws -> Bool {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default: throw reader.error(node, key: key, "expected true or false, got '\(node.scalar?.string ?? "a non-scalar")'")
        }
    }
}
