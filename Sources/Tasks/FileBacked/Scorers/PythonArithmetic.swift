import Foundation

/// Python's `eval` of an arithmetic expression over number literals, `+ - * / // **`, unary signs and parentheses
/// (what d1's Countdown scorer evaluates), in Double. nil where Python raises: a syntax error, a division by zero,
/// a call such as `2(3)`, a float overflow. Python's exact big integers are Doubles here, which can differ only for
/// values beyond 2^53, far from any Countdown target.
enum PythonArithmetic {
    enum Token: Equatable {
        case number(Double)
        case op(String)
        case open, close
    }

    static func evaluate(_ text: String) -> Double? {
        guard let tokens = tokenize(text) else { return nil }
        var parser = Parser(tokens: tokens)
        guard let value = parser.expression(), parser.position == tokens.count else { return nil }
        return value.isFinite ? value : nil
    }

    /// Python's tokenizer for this alphabet: a newline is white space only inside parentheses; `05` is an error
    /// (leading zeros), `05.5`, `1.` and `.5` are floats.
    static func tokenize(_ text: String) -> [Token]? {
        let s = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var depth = 0
        var i = 0
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0" ... "9").contains(c) }
        while i < s.count {
            let c = s[i]
            switch c {
            case " ", "\t", "\u{0C}":
                i += 1
            case "\n", "\r":
                guard depth > 0 else { return nil }
                i += 1
            case "(":
                depth += 1
                guard depth <= 200 else { return nil }  // CPython: "too many nested parentheses"
                tokens.append(.open)
                i += 1
            case ")":
                depth -= 1
                guard depth >= 0 else { return nil }
                tokens.append(.close)
                i += 1
            case "+", "-":
                tokens.append(.op(String(c)))
                i += 1
            case "*", "/":
                if i + 1 < s.count && s[i + 1] == c {
                    tokens.append(.op(String(c) + String(c)))
                    i += 2
                } else {
                    tokens.append(.op(String(c)))
                    i += 1
                }
            default:
                guard isDigit(c) || c == "." else { return nil }
                var j = i
                while j < s.count && isDigit(s[j]) { j += 1 }
                let integerPart = String(String.UnicodeScalarView(s[i ..< j]))
                var isFloat = false
                if j < s.count && s[j] == "." {
                    isFloat = true
                    j += 1
                    while j < s.count && isDigit(s[j]) { j += 1 }
                }
                let literal = String(String.UnicodeScalarView(s[i ..< j]))
                guard literal != "." else { return nil }
                if !isFloat && integerPart.count > 1 && integerPart.first == "0" && integerPart.contains(where: { $0 != "0" }) {
                    return nil  // "leading zeros in decimal integer literals are not permitted"
                }
                // A literal straight after a literal ("1.2.3", "1 2") is a syntax error, caught by the parser.
                guard let value = Double(literal.hasPrefix(".") ? "0" + literal : (literal.hasSuffix(".") ? literal + "0" : literal)) else {
                    return nil
                }
                tokens.append(.number(value))
                i = j
            }
        }
        return depth == 0 ? tokens : nil
    }

    /// Python's grammar: expr := term (('+'|'-') term)*; term := factor (('*'|'/'|'//') factor)*;
    /// factor := ('+'|'-') factor | power; power := primary ['**' factor]; primary := number | '(' expr ')', and a
    /// primary followed by '(' is a call (a TypeError at run time).
    struct Parser {
        let tokens: [Token]
        var position = 0
        /// Nesting of unary signs and powers: a bound keeps a hostile input from exhausting the stack (CPython
        /// gives up too, with a RecursionError or a "too complex" SyntaxError, both a failed evaluation for d1).
        var nesting = 0

        mutating func next() -> Token? {
            guard position < tokens.count else { return nil }
            defer { position += 1 }
            return tokens[position]
        }

        var peek: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func expression() -> Double? {
            guard var value = term() else { return nil }
            while case .op(let op)? = peek, op == "+" || op == "-" {
                position += 1
                guard let right = term() else { return nil }
                value = op == "+" ? value + right : value - right
            }
            return value
        }

        mutating func term() -> Double? {
            guard var value = factor() else { return nil }
            while case .op(let op)? = peek, op == "*" || op == "/" || op == "//" {
                position += 1
                guard let right = factor() else { return nil }
                switch op {
                case "*": value *= right
                case "/":
                    guard right != 0 else { return nil }
                    value /= right
                default:
                    guard right != 0 else { return nil }
                    value = (value / right).rounded(.down)
                }
            }
            return value
        }

        mutating func factor() -> Double? {
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= 1000 else { return nil }
            if case .op(let op)? = peek, op == "+" || op == "-" {
                position += 1
                guard let value = factor() else { return nil }
                return op == "-" ? -value : value
            }
            return power()
        }

        mutating func power() -> Double? {
            guard let base = primary() else { return nil }
            guard case .op("**")? = peek else { return base }
            position += 1
            guard let exponent = factor() else { return nil }
            if base == 0 && exponent < 0 { return nil }  // ZeroDivisionError
            // A negative base to a fractional power is complex in Python (never within 1e-5 of a target), NaN here.
            return Foundation.pow(base, exponent)
        }

        mutating func primary() -> Double? {
            let value: Double
            switch next() {
            case .number(let number)?: value = number
            case .open?:
                guard let inner = expression(), next() == .close else { return nil }
                value = inner
            default: return nil
            }
            if peek == .open { return nil }  // a call: 'int' object is not callable
            return value
        }
    }
}
