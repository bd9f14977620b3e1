import Foundation
import Yams

/// A YAML mapping with its keys in file order.
struct DefinitionMapping {
    var ordered: [(String, Node)]
    subscript(key: String) -> Node? { ordered.first { $0.0 == key }?.1 }
}

/// Reads values out of a task definition's YAML nodes; every problem becomes a `TaskDefinitionError` with the
/// node's line and key.
struct DefinitionReader {
    let file: String

    func error(_ node: Node?, _ key: String, _ message: String) -> TaskDefinitionError {
        TaskDefinitionError(file: file, line: node?.mark?.line, key: key, message: message)
    }

    func mapping(_ node: Node, _ key: String, allowed: [String]?, required: [String]) throws -> DefinitionMapping {
        guard let mapping = node.mapping else { throw error(node, key, "expected a mapping of keys to values") }
        var ordered: [(String, Node)] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else { throw error(keyNode, key, "keys must be plain names") }
            let path = key.isEmpty ? name : "\(key).\(name)"
            if let allowed, !allowed.contains(name) {
                throw error(keyNode, path, "unknown key '\(name)'; allowed here: \(allowed.joined(separator: ", "))")
            }
            if ordered.contains(where: { $0.0 == name }) { throw error(keyNode, path, "the key appears twice") }
            ordered.append((name, value))
        }
        for name in required where !ordered.contains(where: { $0.0 == name }) {
            throw error(node, key.isEmpty ? name : "\(key).\(name)", "missing key '\(name)'")
        }
        return DefinitionMapping(ordered: ordered)
    }

    func list(_ node: Node, _ key: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw error(node, key, "expected a list") }
        return Array(sequence)
    }

    func string(_ node: Node?, _ key: String, allowEmpty: Bool = false) throws -> String {
        guard let scalar = node?.scalar, allowEmpty || !scalar.string.isEmpty else {
            throw error(node, key, "expected a text value")
        }
        return scalar.string
    }

    func int(_ node: Node, _ key: String, minimum: Int) throws -> Int {
        guard let text = node.scalar?.string, let value = Int(text), value >= minimum else {
            throw error(node, key, "expected a whole number ≥ \(minimum), got '\(node.scalar?.string ?? "a non-scalar")'")
        }
        return value
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default: throw error(node, key, "expected true or false, got '\(node.scalar?.string ?? "a non-scalar")'")
        }
    }

    func template(_ node: Node?, _ key: String) throws -> PromptTemplate {
        let text = try string(node, key)
        do {
            return try PromptTemplate(text)
        } catch let problem as TemplateError {
            throw error(node, key, problem.message)
        }
    }
}
