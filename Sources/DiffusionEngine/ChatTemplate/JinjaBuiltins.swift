import Foundation

/// The filters, tests, methods, globals and operators that the published chat templates use, with Python's and
/// jinja2's semantics (jinja2 `filters.py`, `tests.py`, `sandbox.py`; transformers `chat_template_utils.py` for
/// `raise_exception` and `tojson`). Anything else is an error naming it.
enum JinjaBuiltins {
    static func iterate(_ value: JinjaValue, at position: JinjaPosition) throws -> [JinjaValue] {
        switch value {
        case .list(let items): return items
        case .string(let text): return text.map { .string(String($0)) }
        case .dictionary(let dictionary): return dictionary.keys.map { .string($0) }
        case .undefined: return []  // jinja2 iterates an undefined value as empty
        default: throw JinjaError("cannot iterate over a \(value.typeName)", at: position)
        }
    }

    static func attribute(_ base: JinjaValue, _ name: String, at position: JinjaPosition) throws -> JinjaValue {
        switch base {
        case .dictionary(let dictionary): return dictionary[name] ?? .undefined(name)
        case .namespace(let namespace): return namespace.attributes[name] ?? .undefined(name)
        case .undefined(let missing): throw JinjaError("'\(missing)' is undefined (reading its attribute '\(name)')", at: position)
        default: return .undefined(name)
        }
    }

    static func item(_ base: JinjaValue, _ index: JinjaValue, at position: JinjaPosition) throws -> JinjaValue {
        switch (base, index) {
        case (.undefined(let missing), _): throw JinjaError("'\(missing)' is undefined (reading an item)", at: position)
        case (.dictionary(let dictionary), .string(let key)): return dictionary[key] ?? .undefined(key)
        case (.namespace, .string(let key)): return try attribute(base, key, at: position)
        case (.list(let items), .integer(let offset)):
            let resolved = offset < 0 ? items.count + offset : offset
            return items.indices.contains(resolved) ? items[resolved] : .undefined("[\(offset)]")
        case (.string(let text), .integer(let offset)):
            let scalars = Array(text.unicodeScalars)
            let resolved = offset < 0 ? scalars.count + offset : offset
            return scalars.indices.contains(resolved) ? .string(String(scalars[resolved])) : .undefined("[\(offset)]")
        default: return .undefined(index.text)
        }
    }

    /// Python slicing of a list or string (steps of either sign).
    static func slice(_ base: JinjaValue, start: JinjaValue?, stop: JinjaValue?, step: JinjaValue?, at position: JinjaPosition) throws -> JinjaValue {
        func integer(_ value: JinjaValue?) throws -> Int? {
            switch value {
            case nil, .none?: return nil
            case .integer(let number)?: return number
            case let other?: throw JinjaError("slice indices must be integers, found \(other.typeName)", at: position)
            }
        }
        let stride = try integer(step) ?? 1
        guard stride != 0 else { throw JinjaError("slice step cannot be zero", at: position) }
        func indices(_ count: Int) throws -> [Int] {
            func clamp(_ value: Int?, _ fallback: Int, low: Int, high: Int) -> Int {
                guard var value else { return fallback }
                if value < 0 { value += count }
                return min(max(value, low), high)
            }
            if stride > 0 {
                let from = clamp(try integer(start), 0, low: 0, high: count), to = clamp(try integer(stop), count, low: 0, high: count)
                return Array(Swift.stride(from: from, to: to, by: stride))
            }
            let from = clamp(try integer(start), count - 1, low: -1, high: count - 1), to = clamp(try integer(stop), -1, low: -1, high: count - 1)
            return Array(Swift.stride(from: from, to: to, by: stride))
        }
        switch base {
        case .list(let items): return .list(try indices(items.count).map { items[$0] })
        case .string(let text):
            let scalars = Array(text.unicodeScalars)
            return .string(String(String.UnicodeScalarView(try indices(scalars.count).map { scalars[$0] })))
        default: throw JinjaError("cannot slice a \(base.typeName)", at: position)
        }
    }

    static func call(_ name: String, _ arguments: [JinjaValue], keywords: [(String, JinjaValue)], at position: JinjaPosition) throws -> JinjaValue {
        switch name {
        case "raise_exception":
            throw JinjaError(arguments.first?.text ?? "raise_exception", at: position, raisedByTemplate: true)
        case "namespace":
            var attributes = JinjaDictionary([])
            if case .dictionary(let initial)? = arguments.first { attributes = initial }
            for (key, value) in keywords { attributes[key] = value }
            return .namespace(JinjaNamespace(attributes))
        case "range":
            let bounds = try arguments.map { value -> Int in
                guard case .integer(let number) = value else { throw JinjaError("range() takes integers, found \(value.typeName)", at: position) }
                return number
            }
            let (from, to, step) = bounds.count == 1 ? (0, bounds[0], 1) : bounds.count == 2 ? (bounds[0], bounds[1], 1)
                : bounds.count == 3 ? (bounds[0], bounds[1], bounds[2]) : (0, 0, 0)
            let limit = 1_000_000
            guard step != 0, bounds.allSatisfy({ $0.magnitude <= limit }), bounds.count <= 3 else {
                throw JinjaError("range() takes one to three integers within ±\(limit)", at: position)
            }
            return .list(Swift.stride(from: from, to: to, by: step).map { .integer($0) })
        default:
            throw JinjaError("unsupported construct: function '\(name)' (supported: raise_exception, namespace, range)", at: position)
        }
    }

    static func method(_ base: JinjaValue, _ name: String, _ arguments: [JinjaValue], at position: JinjaPosition) throws -> JinjaValue {
        func stringArgument(_ index: Int) throws -> String? {
            guard index < arguments.count else { return nil }
            if case .none = arguments[index] { return nil }
            guard case .string(let text) = arguments[index] else { throw JinjaError("'\(name)' takes strings, found \(arguments[index].typeName)", at: position) }
            return text
        }
        switch (base, name) {
        case (.string(let text), "startswith"): return .boolean(text.unicodeScalars.starts(with: try stringArgument(0)?.unicodeScalars ?? "".unicodeScalars))
        case (.string(let text), "endswith"): return .boolean(text.unicodeScalars.reversed().starts(with: (try stringArgument(0) ?? "").unicodeScalars.reversed()))
        case (.string(let text), "strip"): return .string(PythonString.strip(text, try stringArgument(0), leading: true, trailing: true))
        case (.string(let text), "lstrip"): return .string(PythonString.strip(text, try stringArgument(0), leading: true, trailing: false))
        case (.string(let text), "rstrip"): return .string(PythonString.strip(text, try stringArgument(0), leading: false, trailing: true))
        case (.string(let text), "upper"): return .string(text.uppercased())
        case (.string(let text), "lower"): return .string(text.lowercased())
        case (.string(let text), "split"):
            guard let separator = try stringArgument(0) else { return .list(PythonString.splitWhitespace(text).map { .string($0) }) }
            guard !separator.isEmpty else { throw JinjaError("split() separator is empty", at: position) }
            return .list(PythonString.split(text, separator).map { .string($0) })
        case (.string(let text), "replace"):
            guard let old = try stringArgument(0), let new = try stringArgument(1) else { throw JinjaError("replace() takes two strings", at: position) }
            return .string(text.replacingOccurrences(of: old, with: new, options: .literal))
        case (.dictionary(let dictionary), "get"):
            guard case .string(let key)? = arguments.first else { throw JinjaError("get() takes a string key", at: position) }
            return dictionary[key] ?? (arguments.count > 1 ? arguments[1] : .none)
        case (.dictionary(let dictionary), "keys"): return .list(dictionary.keys.map { .string($0) })
        case (.dictionary(let dictionary), "values"): return .list(dictionary.keys.compactMap { dictionary[$0] })
        case (.dictionary(let dictionary), "items"): return .list(dictionary.keys.map { .list([.string($0), dictionary[$0] ?? .none]) })
        case (.undefined(let missing), _): throw JinjaError("'\(missing)' is undefined (calling its method '\(name)')", at: position)
        default: throw JinjaError("unsupported construct: method '\(name)' of a \(base.typeName)", at: position)
        }
    }

    static func filter(_ name: String, _ value: JinjaValue, _ arguments: [JinjaValue], at position: JinjaPosition) throws -> JinjaValue {
        switch (name, value) {
        case ("trim", .string(let text)): return .string(PythonString.strip(text, nil, leading: true, trailing: true))
        case ("trim", _): return .string(PythonString.strip(value.text, nil, leading: true, trailing: true))
        case ("upper", _): return .string(value.text.uppercased())
        case ("lower", _): return .string(value.text.lowercased())
        case ("string", _): return .string(value.text)
        case ("length", .string(let text)), ("count", .string(let text)): return .integer(text.unicodeScalars.count)
        case ("length", .list(let items)), ("count", .list(let items)): return .integer(items.count)
        case ("length", .dictionary(let dictionary)), ("count", .dictionary(let dictionary)): return .integer(dictionary.keys.count)
        case ("length", .undefined), ("count", .undefined): return .integer(0)
        case ("first", .list(let items)): return items.first ?? .undefined("first")
        case ("last", .list(let items)): return items.last ?? .undefined("last")
        case ("join", .list(let items)):
            let separator = arguments.first?.text ?? ""
            return .string(items.map(\.text).joined(separator: separator))
        case ("default", .undefined): return arguments.first ?? .string("")
        case ("default", _): return value
        case ("tojson", _): return .string(try JinjaJSON.encode(value, at: position))
        default:
            throw JinjaError("unsupported construct: filter '\(name)' on a \(value.typeName)", at: position)
        }
    }

    static func test(_ name: String, _ value: JinjaValue, at position: JinjaPosition) throws -> Bool {
        switch name {
        case "defined": if case .undefined = value { return false } else { return true }
        case "undefined": if case .undefined = value { return true } else { return false }
        case "none": if case .none = value { return true } else { return false }
        case "string": if case .string = value { return true } else { return false }
        case "mapping": if case .dictionary = value { return true } else { return false }
        case "boolean": if case .boolean = value { return true } else { return false }
        case "number": switch value { case .integer, .real: return true; default: return false }
        case "integer": if case .integer = value { return true } else { return false }
        case "sequence", "iterable": switch value { case .string, .list, .dictionary: return true; default: return false }
        case "true": if case .boolean(true) = value { return true } else { return false }
        case "false": if case .boolean(false) = value { return true } else { return false }
        default: throw JinjaError("unsupported construct: test '\(name)'", at: position)
        }
    }

    static func binary(_ op: String, _ left: JinjaValue, _ right: JinjaValue, at position: JinjaPosition) throws -> JinjaValue {
        func mismatch() -> JinjaError { JinjaError("unsupported operand types for \(op): \(left.typeName) and \(right.typeName)", at: position) }
        switch op {
        case "==": return .boolean(left.equals(right))
        case "!=": return .boolean(!left.equals(right))
        case "<", ">", "<=", ">=":
            let order: Int
            if case .string(let a) = left, case .string(let b) = right {
                order = a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : a.unicodeScalars.elementsEqual(b.unicodeScalars) ? 0 : 1
            } else if let a = left.number, let b = right.number {
                order = a < b ? -1 : a == b ? 0 : 1
            } else {
                throw mismatch()
            }
            return .boolean(op == "<" ? order < 0 : op == ">" ? order > 0 : op == "<=" ? order <= 0 : order >= 0)
        case "in":
            switch right {
            case .string(let text):
                guard case .string(let needle) = left else { throw mismatch() }
                return .boolean(needle.isEmpty || text.range(of: needle, options: .literal) != nil)
            case .list(let items): return .boolean(items.contains { $0.equals(left) })
            case .dictionary(let dictionary): if case .string(let key) = left { return .boolean(dictionary[key] != nil) } else { return .boolean(false) }
            case .undefined(let missing): throw JinjaError("'\(missing)' is undefined (testing 'in')", at: position)
            default: throw mismatch()
            }
        case "~": return .string(left.text + right.text)
        default: break
        }
        switch (left, right) {
        case (.string(let a), .string(let b)) where op == "+": return .string(a + b)
        case (.list(let a), .list(let b)) where op == "+": return .list(a + b)
        case (.integer(let a), .integer(let b)):
            switch op {
            case "+": return .integer(a &+ b)
            case "-": return .integer(a &- b)
            case "*": return .integer(a &* b)
            case "/": guard b != 0 else { throw JinjaError("division by zero", at: position) }; return .real(Double(a) / Double(b))
            case "//", "%":
                guard b != 0 else { throw JinjaError("division by zero", at: position) }
                guard b != -1 else { return .integer(op == "//" ? 0 &- a : 0) }  // Int.min / -1 would overflow
                var quotient = a / b
                if a % b != 0 && (a < 0) != (b < 0) { quotient -= 1 }  // Python floors
                return .integer(op == "//" ? quotient : a &- quotient &* b)
            default: throw mismatch()
            }
        default:
            // Mixed integers and reals (and booleans, which Python counts as integers).
            guard let a = left.number, let b = right.number, ["+", "-", "*", "/"].contains(op) else { throw mismatch() }
            if op == "/" && b == 0 { throw JinjaError("division by zero", at: position) }
            return .real(op == "+" ? a + b : op == "-" ? a - b : op == "*" ? a * b : a / b)
        }
    }
}
