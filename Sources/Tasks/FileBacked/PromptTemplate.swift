import Foundation

/// A prompt template: text with `{{field}}` placeholders filled from a record.
///
/// A placeholder names a field of the data file, optionally an element of a list field (`{{choices[0]}}`) and one
/// filter (`{{choices|lettered}}`). Templates are checked against every record when a task loads, so a placeholder
/// naming an absent field is an error before anything runs, never an empty string at generation time.
public struct PromptTemplate: Sendable, Equatable {
    /// What a template is made of, in order.
    enum Piece: Sendable, Equatable {
        case text(String)
        case field(name: String, index: Int?, filter: Filter?)
    }

    /// The filters a placeholder may apply (one registry: a name maps to a case).
    public enum Filter: String, Sendable, CaseIterable {
        /// A list as `A. first\nB. second\n…` (multiple-choice options).
        case lettered
        /// An integer index (or a digit string) as its letter: 0 → A (multiple-choice answers stored as indices).
        case letter
        /// A comma-separated text or a list as a Python list, `[30, 100, 93]` (d1's Countdown prompt).
        case pylist
        /// Leading and trailing white space removed (the harness's `question.strip()`).
        case strip
    }

    let pieces: [Piece]
    public let source: String

    /// Parses `source`. - Throws: `TemplateError` for an unclosed or malformed placeholder or an unknown filter.
    public init(_ source: String) throws {
        self.source = source
        var pieces: [Piece] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError(template: source, message: "a '{{' without its '}}'")
            }
            pieces.append(try Self.placeholder(String(rest[open.upperBound ..< close.lowerBound]), in: source))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    private static func placeholder(_ body: String, in source: String) throws -> Piece {
        let parts = body.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        var name = parts.first ?? ""
        var index: Int?
        if let bracket = name.firstIndex(of: "["), name.hasSuffix("]") {
            guard let value = Int(name[name.index(after: bracket) ..< name.index(before: name.endIndex)]), value >= 0 else {
                throw TemplateError(template: source, message: "'{{\(body)}}': the index must be a non-negative number")
            }
            index = value
            name = String(name[..<bracket])
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
            throw TemplateError(template: source, message: "'{{\(body)}}' does not name a field")
        }
        var filter: Filter?
        if parts.count == 2 {
            guard let known = Filter(rawValue: parts[1]) else {
                throw TemplateError(template: source, message: "unknown filter '\(parts[1])' in '{{\(body)}}'; known filters: \(Filter.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter = known
        }
        return .field(name: name, index: index, filter: filter)
    }

    /// The field names the template reads.
    public var fieldNames: [String] {
        pieces.compactMap { if case .field(let name, _, _) = $0 { return name } else { return nil } }
    }

    /// The template filled from `record`. - Throws: `TemplateError` naming the record's file and line when a
    /// field is absent, an index is out of range or a filter does not apply to the value.
    public func render(_ record: Record) throws -> String {
        var text = ""
        for piece in pieces {
            switch piece {
            case .text(let literal): text += literal
            case .field(let name, let index, let filter):
                guard var value = record.fields[name] else {
                    throw TemplateError(template: source, message: "\(record.origin): the record has no field '\(name)' (fields: \(record.fields.keys.sorted().joined(separator: ", ")))")
                }
                if let index {
                    guard let list = value.list, index < list.count else {
                        throw TemplateError(template: source, message: "\(record.origin): '\(name)[\(index)]': the field is not a list of more than \(index) elements")
                    }
                    value = list[index]
                }
                text += try apply(filter, to: value, field: name, record: record)
            }
        }
        return text
    }

    private func apply(_ filter: Filter?, to value: JSONField, field: String, record: Record) throws -> String {
        func fail(_ what: String) -> TemplateError {
            TemplateError(template: source, message: "\(record.origin): '\(field)|\(filter?.rawValue ?? "")': \(what)")
        }
        switch filter {
        case nil: return value.text
        case .strip: return value.text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .lettered:
            guard let list = value.list, list.count <= 26 else { throw fail("needs a list of at most 26 options") }
            return list.enumerated().map { "\(Self.letter($0.offset)). \($0.element.text)" }.joined(separator: "\n")
        case .letter:
            guard let index = Int(value.text), (0 ..< 26).contains(index) else { throw fail("needs an index 0…25, got '\(value.text)'") }
            return Self.letter(index)
        case .pylist:
            let items = value.list?.map(\.text) ?? value.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return "[" + items.joined(separator: ", ") + "]"
        }
    }

    static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(65 + index)))
    }
}

/// A template that cannot be parsed or filled.
public struct TemplateError: Error, CustomStringConvertible, Equatable {
    public let template: String
    public let message: String
    public var description: String { "prompt template \"\(template.prefix(50))\": \(message)" }
}
