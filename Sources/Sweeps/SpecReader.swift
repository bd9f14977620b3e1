import Foundation
import Samplers
import Yams

/// A YAML mapping with its keys in file order and the nodes to point errors at.
struct SpecMapping {
    var ordered: [(String, Node)]
    /// The node of line `line` (0 when unknown) whose mapping this is, for errors about a missing key.
    var node: Node?
    var file = ""

    subscript(key: String) -> Node? { ordered.first { $0.0 == key }?.1 }

    /// The value of a key `SpecReader.mapping` was told is required (so present); a missing one is still an error
    /// naming the key, never a trap.
    func required(_ key: String) throws -> Node {
        guard let value = self[key] else {
            throw SpecError(file: file, line: node?.mark?.line, key: key, message: "missing key '\(key)'")
        }
        return value
    }
}

/// Reads values out of composed YAML nodes, turning every problem into a `SpecError` with the node's line.
struct SpecReader {
    let file: String

    func error(_ node: Node?, key: String, _ message: String) -> SpecError {
        SpecError(file: file, line: node?.mark?.line, key: key, message: message)
    }

    func syntaxError(_ error: YamlError) -> SpecError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return SpecError(file: file, line: mark.line, key: nil, message: "YAML syntax: \(problem)")
        case .composer(_, let problem, let mark, _):
            return SpecError(file: file, line: mark.line, key: nil, message: "YAML: \(problem)")
        default:
            return SpecError(file: file, line: nil, key: nil, message: "YAML: \(error)")
        }
    }

    /// A mapping whose keys must be among `allowed` (nil: any) and include `required`.
    func mapping(_ node: Node, key: String, allowed: [String]?, required: [String]) throws -> SpecMapping {
        guard let mapping = node.mapping else { throw error(node, key: key, "expected a mapping of keys to values") }
        var ordered: [(String, Node)] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else { throw error(keyNode, key: key, "keys must be plain names") }
            let path = key == "(top level)" ? name : "\(key).\(name)"
            if let allowed, !allowed.contains(name) {
                throw error(keyNode, key: path, "unknown key '\(name)'; allowed here: \(allowed.joined(separator: ", "))")
            }
            if ordered.contains(where: { $0.0 == name }) { throw error(keyNode, key: path, "the key appears twice") }
            ordered.append((name, value))
        }
        for name in required where !ordered.contains(where: { $0.0 == name }) {
            throw error(node, key: key == "(top level)" ? name : "\(key).\(name)", "missing key '\(name)'")
        }
        return SpecMapping(ordered: ordered, node: node, file: file)
    }

    func list(_ node: Node, key: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw error(node, key: key, "expected a list") }
        return Array(sequence)
    }

    func string(_ node: Node, key: String) throws -> String {
        guard let scalar = node.scalar, !scalar.string.isEmpty else { throw error(node, key: key, "expected a text value") }
        return scalar.string
    }

    func int(_ node: Node, key: String) throws -> Int {
        guard let text = node.scalar?.string, let value = Int(text) else {
            throw error(node, key: key, "expected an integer, got '\(node.scalar?.string ?? "a collection")'")
        }
        return value
    }

    /// A positive integer, at most `max` (counts and lengths are bounded before anything multiplies or allocates).
    func positiveInt(_ node: Node, key: String, max: Int = SpecReader.maxCount) throws -> Int {
        let value = try int(node, key: key)
        guard value > 0 else { throw error(node, key: key, "must be positive, got \(value)") }
        guard value <= max else { throw error(node, key: key, "must be at most \(max), got \(value)") }
        return value
    }

    /// The bound of step budgets, lengths and repeats in a spec: 2²⁰, far above any canvas a model here can hold.
    static let maxCount = 1 << 20

    /// A list of integers (or one integer).
    func ints(_ node: Node, key: String) throws -> [Int] {
        let nodes = node.sequence.map(Array.init) ?? [node]
        guard !nodes.isEmpty else { throw error(node, key: key, "the list is empty") }
        return try nodes.enumerated().map { try int($1, key: node.sequence == nil ? key : "\(key)[\($0)]") }
    }

    func positiveInts(_ node: Node, key: String) throws -> [Int] {
        let nodes = node.sequence.map(Array.init) ?? [node]
        guard !nodes.isEmpty else { throw error(node, key: key, "the list is empty") }
        return try nodes.enumerated().map { try positiveInt($1, key: node.sequence == nil ? key : "\(key)[\($0)]") }
    }

    /// A parameter's values: one scalar, or a list of scalars (a grid axis). Plain scalars are read by the same
    /// parser as `--param` (`ParameterValue(parsing:)`: a bool, an integer or a number when they look like one);
    /// quoted scalars stay text.
    func parameterValues(_ node: Node, key: String) throws -> [ParameterValue] {
        let nodes = node.sequence.map(Array.init) ?? [node]
        guard !nodes.isEmpty else { throw error(node, key: key, "the list of values is empty") }
        return try nodes.map { value in
            guard let scalar = value.scalar else { throw error(value, key: key, "expected a value or a list of values") }
            return scalar.style == .plain ? ParameterValue(parsing: scalar.string) : .string(scalar.string)
        }
    }
}
