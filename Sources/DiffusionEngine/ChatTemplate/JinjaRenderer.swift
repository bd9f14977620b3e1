/// Renders parsed Jinja nodes with jinja2's semantics for the supported subset: a `for` body is its own scope (a
/// `set` inside it is not seen after the loop; `namespace` attributes are), undefined names are false and print
/// nothing, attribute or item access on an undefined value is an error, as jinja2's default `Undefined` makes it.
/// Filters, tests, methods and globals: JinjaBuiltins.swift.
struct JinjaRenderer {
    private var scopes: [[String: JinjaValue]]
    private var output = ""

    init(context: [String: JinjaValue]) { scopes = [context] }

    mutating func render(_ nodes: [JinjaNode]) throws -> String {
        try run(nodes)
        return output
    }

    private mutating func run(_ nodes: [JinjaNode]) throws {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .output(let expression):
                output += try evaluate(expression).text
            case .conditional(let branches, let otherwise):
                var taken = false
                for (condition, body) in branches where try evaluate(condition).isTrue {
                    try run(body)
                    taken = true
                    break
                }
                if !taken { try run(otherwise) }
            case .loop(let variable, let iterable, let body, let position):
                let items = try JinjaBuiltins.iterate(try evaluate(iterable), at: position)
                for (index, item) in items.enumerated() {
                    let loop = JinjaDictionary([
                        ("index0", .integer(index)), ("index", .integer(index + 1)), ("first", .boolean(index == 0)),
                        ("last", .boolean(index == items.count - 1)), ("length", .integer(items.count)),
                        ("revindex", .integer(items.count - index)), ("revindex0", .integer(items.count - index - 1)),
                    ])
                    scopes.append([variable: item, "loop": .dictionary(loop)])
                    defer { scopes.removeLast() }
                    try run(body)
                }
            case .assignment(let name, let attribute, let value, let position):
                let result = try evaluate(value)
                if let attribute {
                    guard case .namespace(let namespace) = lookup(name) else {
                        throw JinjaError("cannot set attribute '\(attribute)' of '\(name)', which is not a namespace", at: position)
                    }
                    namespace.attributes[attribute] = result
                } else {
                    scopes[scopes.count - 1][name] = result
                }
            }
        }
    }

    private func lookup(_ name: String) -> JinjaValue {
        for scope in scopes.reversed() { if let value = scope[name] { return value } }
        return .undefined(name)
    }

    func evaluate(_ expression: JinjaExpression) throws -> JinjaValue {
        switch expression {
        case .literal(let value): return value
        case .variable(let name, _): return lookup(name)
        case .list(let items): return .list(try items.map(evaluate))
        case .dictionary(let pairs, let position):
            return .dictionary(JinjaDictionary(try pairs.map { key, value in
                let evaluated = try evaluate(key)
                guard case .string(let name) = evaluated else {
                    // Python allows any hashable key; the released chat templates and JSON messages use strings only.
                    throw JinjaError("dictionary literal key \(evaluated.representation) (\(evaluated.typeName)): only string keys are supported", at: position)
                }
                return (name, try evaluate(value))
            }))
        case .attribute(let base, let name, let position):
            return try JinjaBuiltins.attribute(try evaluate(base), name, at: position)
        case .item(let base, let index, let position):
            return try JinjaBuiltins.item(try evaluate(base), try evaluate(index), at: position)
        case .slice(let base, let start, let stop, let step, let position):
            return try JinjaBuiltins.slice(try evaluate(base), start: try start.map(evaluate), stop: try stop.map(evaluate),
                                           step: try step.map(evaluate), at: position)
        case .call(let name, let arguments, let keywords, let position):
            return try JinjaBuiltins.call(name, try arguments.map(evaluate), keywords: try keywords.map { ($0.0, try evaluate($0.1)) }, at: position)
        case .method(let base, let name, let arguments, let position):
            return try JinjaBuiltins.method(try evaluate(base), name, try arguments.map(evaluate), at: position)
        case .filter(let base, let name, let arguments, let position):
            return try JinjaBuiltins.filter(name, try evaluate(base), try arguments.map(evaluate), at: position)
        case .test(let base, let name, let negated, let position):
            return .boolean(try JinjaBuiltins.test(name, try evaluate(base), at: position) != negated)
        case .not(let operand): return .boolean(!(try evaluate(operand).isTrue))
        case .negate(let operand, let position):
            switch try evaluate(operand) {
            case .integer(let value): return .integer(0 &- value)
            case .real(let value): return .real(-value)
            case let other: throw JinjaError("cannot negate a \(other.typeName)", at: position)
            }
        case .and(let left, let right):
            let value = try evaluate(left)
            return value.isTrue ? try evaluate(right) : value
        case .or(let left, let right):
            let value = try evaluate(left)
            return value.isTrue ? value : try evaluate(right)
        case .binary(let op, let left, let right, let position):
            return try JinjaBuiltins.binary(op, try evaluate(left), try evaluate(right), at: position)
        case .conditional(let condition, let then, let otherwise):
            if try evaluate(condition).isTrue { return try evaluate(then) }
            return try otherwise.map(evaluate) ?? .undefined("conditional expression without else")
        }
    }
}
