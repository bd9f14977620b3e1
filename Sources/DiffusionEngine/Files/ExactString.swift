/// A string that equals and hashes by its UTF-8 bytes. Swift's `String` compares by Unicode canonical
/// equivalence, so "é" (U+00E9) and "e\u{301}" are one `String` key; a JSON object, a vocabulary, or a list of
/// merges may hold both as distinct entries (Hugging Face tokenizers, serde_json and llama.cpp all compare bytes).
/// Keys of `JSONValue.object` and of tokenizer vocabularies are `ExactString`s. Hashing reads the bytes in place
/// (no normalisation), so a look-up costs no more than one of a plain ASCII `String`.
public struct ExactString: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }
    public init(stringLiteral text: String) { self.text = text }

    public var description: String { text }

    public static func == (a: ExactString, b: ExactString) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

    /// UTF-8 byte order, which is code point order.
    public static func < (a: ExactString, b: ExactString) -> Bool { a.text.utf8.lexicographicallyPrecedes(b.text.utf8) }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(0xFF as UInt8)  // a terminator no UTF-8 text contains, so concatenations hash apart
    }
}
