/// The parsed form of a template: the statements and expressions of the Jinja subset that the published chat
/// templates use (see JinjaParser.swift for the list).
indirect enum JinjaNode: Sendable {
    case text(String)
    case output(JinjaExpression)
    case conditional(branches: [(JinjaExpression, [JinjaNode])], otherwise: [JinjaNode])
    case loop(variable: String, iterable: JinjaExpression, body: [JinjaNode], position: JinjaPosition)
    /// `set name = value` or `set name.attribute = value` (a namespace attribute).
    case assignment(name: String, attribute: String?, value: JinjaExpression, position: JinjaPosition)
}

indirect enum JinjaExpression: Sendable {
    case literal(JinjaValue)
    case variable(String, JinjaPosition)
    case list([JinjaExpression])
    /// `{key: value, ...}`; keys must evaluate to strings (what JSON messages and the released templates use).
    case dictionary([(JinjaExpression, JinjaExpression)], JinjaPosition)
    case attribute(JinjaExpression, String, JinjaPosition)
    case item(JinjaExpression, JinjaExpression, JinjaPosition)
    case slice(JinjaExpression, start: JinjaExpression?, stop: JinjaExpression?, step: JinjaExpression?, JinjaPosition)
    /// A global function: `raise_exception`, `namespace`, `range`.
    case call(String, arguments: [JinjaExpression], keywords: [(String, JinjaExpression)], JinjaPosition)
    /// A method of a string or a dictionary: `content.split('x')`, `message.get('k')`.
    case method(JinjaExpression, String, arguments: [JinjaExpression], JinjaPosition)
    case filter(JinjaExpression, String, arguments: [JinjaExpression], JinjaPosition)
    case test(JinjaExpression, String, negated: Bool, JinjaPosition)
    case not(JinjaExpression)
    case negate(JinjaExpression, JinjaPosition)
    case and(JinjaExpression, JinjaExpression)
    case or(JinjaExpression, JinjaExpression)
    case binary(String, JinjaExpression, JinjaExpression, JinjaPosition)
    case conditional(condition: JinjaExpression, then: JinjaExpression, otherwise: JinjaExpression?)
}
