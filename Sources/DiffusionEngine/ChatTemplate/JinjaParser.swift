/// A recursive-descent parser for the Jinja subset the published chat templates use, and no more:
/// statements `if`/`elif`/`else`, `for x in ...` (with `loop.index0`, `index`, `first`, `last`, `length`,
/// `revindex`, `revindex0`), `set name = ...` and `set ns.attribute = ...`, comments; expressions with literals
/// (strings, integers, reals, true/false/none, lists, dictionaries), attribute and item access, slices, global
/// calls, string and dictionary methods, filters, tests, `not`/`and`/`or`, comparisons, `in`/`not in`,
/// arithmetic, `~`, and `a if b else c`. Any other statement (macro, call, block, extends, include, raw, filter,
/// with, break/continue, generation, a `for` with `else` or a filter, tuple targets) is refused with an error
/// naming it and its position. Operator precedence follows jinja2 `parser.py`.
struct JinjaParser {
    private let pieces: [JinjaPiece]
    private var pieceIndex = 0
    private var tokens: [JinjaToken] = []
    private var tokenIndex = 0
    private var tagPosition = JinjaPosition(line: 1, column: 1)
    /// Nesting of statements and expressions, bounded so that a hostile template cannot exhaust the stack.
    private var depth = 0
    private static let maximumDepth = 200

    private mutating func enter(_ position: JinjaPosition?) throws {
        depth += 1
        if depth > Self.maximumDepth { throw JinjaError("template nested deeper than \(Self.maximumDepth) levels", at: position ?? tagPosition) }
    }

    static func parse(_ template: String) throws -> [JinjaNode] {
        var lexer = JinjaLexer(template)
        var parser = JinjaParser(pieces: try lexer.pieces())
        let (nodes, end) = try parser.nodes(until: [])
        if let end { throw JinjaError("'\(end.keyword)' without an opening statement", at: end.position) }
        return nodes
    }

    private init(pieces: [JinjaPiece]) { self.pieces = pieces }

    private static let supportedStatements: Set<String> = ["if", "elif", "else", "endif", "for", "endfor", "set"]

    /// Nodes up to a statement whose keyword is in `terminators` (returned with its tokens loaded), or the end.
    private mutating func nodes(until terminators: Set<String>) throws -> ([JinjaNode], (keyword: String, position: JinjaPosition)?) {
        try enter(nil)
        defer { depth -= 1 }
        var nodes: [JinjaNode] = []
        while pieceIndex < pieces.count {
            let piece = pieces[pieceIndex]
            pieceIndex += 1
            switch piece {
            case .text(let text):
                nodes.append(.text(text))
            case .output(let body, let position):
                load(body, position)
                let expression = try expression()
                try expectEnd()
                nodes.append(.output(expression))
            case .statement(let body, let position):
                load(body, position)
                guard case .name(let keyword)? = peek?.kind else { throw JinjaError("a statement must start with a keyword", at: position) }
                guard Self.supportedStatements.contains(keyword) else {
                    throw JinjaError("unsupported construct '\(keyword)' (this renderer implements if/elif/else, for and set)", at: position)
                }
                if terminators.contains(keyword) { tokenIndex += 1; return (nodes, (keyword, position)) }
                tokenIndex += 1
                switch keyword {
                case "if": nodes.append(try conditional(position))
                case "for": nodes.append(try loop(position))
                case "set": nodes.append(try assignment(position))
                default: throw JinjaError("'\(keyword)' without an opening statement", at: position)
                }
            }
        }
        return (nodes, nil)
    }

    private mutating func conditional(_ position: JinjaPosition) throws -> JinjaNode {
        var branches: [(JinjaExpression, [JinjaNode])] = []
        var condition = try expression()
        try expectEnd()
        while true {
            let (body, end) = try nodes(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            guard let end else { throw JinjaError("'if' is never closed by 'endif'", at: position) }
            switch end.keyword {
            case "elif":
                condition = try expression()
                try expectEnd()
            case "else":
                try expectEnd()
                let (otherwise, close) = try nodes(until: ["endif"])
                guard close != nil else { throw JinjaError("'if' is never closed by 'endif'", at: position) }
                try expectEnd()
                return .conditional(branches: branches, otherwise: otherwise)
            default:
                try expectEnd()
                return .conditional(branches: branches, otherwise: [])
            }
        }
    }

    private mutating func loop(_ position: JinjaPosition) throws -> JinjaNode {
        let variable = try name()
        if case .symbol(",")? = peek?.kind { throw JinjaError("unsupported construct 'for' with several targets", at: position) }
        guard case .name("in")? = next()?.kind else { throw JinjaError("expected 'in' in 'for'", at: position) }
        let iterable = try orExpression()  // `for x in y if z` and `recursive` are not supported
        if let extra = peek { throw JinjaError("unsupported construct in 'for': \(extra.kind)", at: extra.position) }
        let (body, end) = try nodes(until: ["endfor", "else"])
        guard let end else { throw JinjaError("'for' is never closed by 'endfor'", at: position) }
        if end.keyword == "else" { throw JinjaError("unsupported construct 'for ... else'", at: end.position) }
        try expectEnd()
        return .loop(variable: variable, iterable: iterable, body: body, position: position)
    }

    private mutating func assignment(_ position: JinjaPosition) throws -> JinjaNode {
        let target = try name()
        var attribute: String?
        if case .symbol(".")? = peek?.kind { tokenIndex += 1; attribute = try name() }
        guard case .symbol("=")? = next()?.kind else {
            throw JinjaError("unsupported construct 'set' without '=' (block assignment)", at: position)
        }
        let value = try expression()
        try expectEnd()
        return .assignment(name: target, attribute: attribute, value: value, position: position)
    }

    // MARK: expressions, lowest precedence first

    private mutating func expression() throws -> JinjaExpression {
        try enter(peek?.position)
        defer { depth -= 1 }
        let value = try orExpression()
        guard case .name("if")? = peek?.kind else { return value }
        tokenIndex += 1
        let condition = try orExpression()
        var otherwise: JinjaExpression?
        if case .name("else")? = peek?.kind { tokenIndex += 1; otherwise = try expression() }
        return .conditional(condition: condition, then: value, otherwise: otherwise)
    }

    private mutating func orExpression() throws -> JinjaExpression {
        var left = try andExpression()
        while case .name("or")? = peek?.kind { tokenIndex += 1; left = .or(left, try andExpression()) }
        return left
    }

    private mutating func andExpression() throws -> JinjaExpression {
        var left = try notExpression()
        while case .name("and")? = peek?.kind { tokenIndex += 1; left = .and(left, try notExpression()) }
        return left
    }

    private mutating func notExpression() throws -> JinjaExpression {
        if case .name("not")? = peek?.kind {
            try enter(peek?.position)
            defer { depth -= 1 }
            tokenIndex += 1
            return .not(try notExpression())
        }
        return try comparison()
    }

    private mutating func comparison() throws -> JinjaExpression {
        var left = try binary(level: 0)
        while let token = peek {
            switch token.kind {
            case .symbol(let op) where ["==", "!=", "<", ">", "<=", ">="].contains(op):
                tokenIndex += 1
                left = .binary(op, left, try binary(level: 0), token.position)
            case .name("in"):
                tokenIndex += 1
                left = .binary("in", left, try binary(level: 0), token.position)
            case .name("not") where tokenIndex + 1 < tokens.count && tokens[tokenIndex + 1].kind == .name("in"):
                tokenIndex += 2
                left = .not(.binary("in", left, try binary(level: 0), token.position))
            default:
                return left
            }
        }
        return left
    }

    /// Binary operators by precedence level: `+ -`, then `~`, then `* / // %`, then `**`.
    private static let levels: [[String]] = [["+", "-"], ["~"], ["*", "/", "//", "%"], ["**"]]

    private mutating func binary(level: Int) throws -> JinjaExpression {
        guard level < Self.levels.count else { return try unary() }
        var left = try binary(level: level + 1)
        while let token = peek, case .symbol(let op) = token.kind, Self.levels[level].contains(op) {
            tokenIndex += 1
            left = .binary(op, left, try binary(level: level + 1), token.position)
        }
        return left
    }

    private mutating func unary() throws -> JinjaExpression {
        if let token = peek, case .symbol(let op) = token.kind, op == "-" || op == "+" {
            try enter(token.position)
            defer { depth -= 1 }
            tokenIndex += 1
            let operand = try unary()
            return op == "-" ? .negate(operand, token.position) : operand
        }
        var value = try postfix(try primary())
        // Filters and tests bind to the operand before any binary operator.
        while let token = peek {
            if case .symbol("|") = token.kind {
                tokenIndex += 1
                let filter = try name()
                value = .filter(value, filter, arguments: try filterArguments(filter, token.position), token.position)
            } else if case .name("is") = token.kind {
                tokenIndex += 1
                var negated = false
                if case .name("not")? = peek?.kind { tokenIndex += 1; negated = true }
                let test = try name()
                if case .symbol("(")? = peek?.kind { throw JinjaError("unsupported construct: test '\(test)' with arguments", at: token.position) }
                value = .test(value, test, negated: negated, token.position)
            } else {
                break
            }
        }
        return value
    }

    private mutating func postfix(_ base: JinjaExpression) throws -> JinjaExpression {
        var value = base
        while let token = peek {
            switch token.kind {
            case .symbol("."):
                tokenIndex += 1
                let attribute = try name()
                if case .symbol("(")? = peek?.kind {
                    let (arguments, keywords) = try callArguments()
                    guard keywords.isEmpty else { throw JinjaError("unsupported construct: keyword arguments to method '\(attribute)'", at: token.position) }
                    value = .method(value, attribute, arguments: arguments, token.position)
                } else {
                    value = .attribute(value, attribute, token.position)
                }
            case .symbol("["):
                tokenIndex += 1
                value = try subscriptExpression(value, token.position)
            case .symbol("("):
                throw JinjaError("unsupported construct: calling an expression", at: token.position)
            default:
                return value
            }
        }
        return value
    }

    private mutating func subscriptExpression(_ base: JinjaExpression, _ position: JinjaPosition) throws -> JinjaExpression {
        var parts: [JinjaExpression?] = [nil]
        var isSlice = false
        while true {
            guard let token = peek else { throw JinjaError("']' expected", at: position) }
            if case .symbol("]") = token.kind { tokenIndex += 1; break }
            if case .symbol(":") = token.kind {
                tokenIndex += 1
                isSlice = true
                parts.append(nil)
                guard parts.count <= 3 else { throw JinjaError("a slice has at most three parts", at: token.position) }
                continue
            }
            guard parts[parts.count - 1] == nil else { throw JinjaError("unexpected \(token.kind) in subscript", at: token.position) }
            parts[parts.count - 1] = try expression()
        }
        if isSlice {
            return .slice(base, start: parts[0], stop: parts.count > 1 ? parts[1] : nil, step: parts.count > 2 ? parts[2] : nil, position)
        }
        guard let index = parts[0] else { throw JinjaError("empty subscript", at: position) }
        return .item(base, index, position)
    }

    private mutating func primary() throws -> JinjaExpression {
        guard let token = next() else { throw JinjaError("expression expected", at: tagPosition) }
        switch token.kind {
        case .string(var text):
            while case .string(let more)? = peek?.kind { tokenIndex += 1; text += more }  // adjacent literals join
            return .literal(.string(text))
        case .integer(let value): return .literal(.integer(value))
        case .real(let value): return .literal(.real(value))
        case .name(let name):
            switch name {
            case "true", "True": return .literal(.boolean(true))
            case "false", "False": return .literal(.boolean(false))
            case "none", "None": return .literal(.none)
            default: break
            }
            if case .symbol("(")? = peek?.kind {
                let (arguments, keywords) = try callArguments()
                return .call(name, arguments: arguments, keywords: keywords, token.position)
            }
            return .variable(name, token.position)
        case .symbol("("):
            let value = try expression()
            if case .symbol(",")? = peek?.kind { throw JinjaError("unsupported construct: tuple", at: token.position) }
            try expect(")")
            return value
        case .symbol("["):
            var items: [JinjaExpression] = []
            while true {
                if case .symbol("]")? = peek?.kind { tokenIndex += 1; break }
                items.append(try expression())
                if case .symbol(",")? = peek?.kind { tokenIndex += 1 } else { try expect("]"); break }
            }
            return .list(items)
        case .symbol("{"):
            var pairs: [(JinjaExpression, JinjaExpression)] = []
            while true {
                if case .symbol("}")? = peek?.kind { tokenIndex += 1; break }
                let key = try expression()
                try expect(":")
                pairs.append((key, try expression()))
                if case .symbol(",")? = peek?.kind { tokenIndex += 1 } else { try expect("}"); break }
            }
            return .dictionary(pairs, token.position)
        default:
            throw JinjaError("unexpected \(token.kind)", at: token.position)
        }
    }

    private mutating func filterArguments(_ filter: String, _ position: JinjaPosition) throws -> [JinjaExpression] {
        guard case .symbol("(")? = peek?.kind else { return [] }
        let (arguments, keywords) = try callArguments()
        if let keyword = keywords.first {
            throw JinjaError("unsupported construct: filter '\(filter)' with keyword argument '\(keyword.0)'", at: position)
        }
        return arguments
    }

    private mutating func callArguments() throws -> ([JinjaExpression], [(String, JinjaExpression)]) {
        try expect("(")
        var arguments: [JinjaExpression] = []
        var keywords: [(String, JinjaExpression)] = []
        while true {
            if case .symbol(")")? = peek?.kind { tokenIndex += 1; break }
            if case .name(let key)? = peek?.kind, tokenIndex + 1 < tokens.count, tokens[tokenIndex + 1].kind == .symbol("=") {
                tokenIndex += 2
                keywords.append((key, try expression()))
            } else {
                arguments.append(try expression())
            }
            if case .symbol(",")? = peek?.kind { tokenIndex += 1 } else { try expect(")"); break }
        }
        return (arguments, keywords)
    }

    // MARK: token stream

    private mutating func load(_ body: [JinjaToken], _ position: JinjaPosition) {
        (tokens, tokenIndex, tagPosition) = (body, 0, position)
    }

    private var peek: JinjaToken? { tokenIndex < tokens.count ? tokens[tokenIndex] : nil }

    private mutating func next() -> JinjaToken? {
        defer { tokenIndex += 1 }
        return peek
    }

    private mutating func name() throws -> String {
        guard let token = next() else { throw JinjaError("name expected", at: tagPosition) }
        guard case .name(let name) = token.kind else { throw JinjaError("name expected, found \(token.kind)", at: token.position) }
        return name
    }

    private mutating func expect(_ symbol: String) throws {
        guard let token = next() else { throw JinjaError("'\(symbol)' expected", at: tagPosition) }
        guard token.kind == .symbol(symbol) else { throw JinjaError("'\(symbol)' expected, found \(token.kind)", at: token.position) }
    }

    private func expectEnd() throws {
        if let extra = peek { throw JinjaError("unexpected \(extra.kind) at the end of the tag", at: extra.position) }
    }
}
