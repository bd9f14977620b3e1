/// Python's `str.strip`/`split` on Unicode scalars, as the templates call them through jinja2.
enum PythonString {
    /// Python's whitespace for `strip()` and `split()` without arguments.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C ... 0x1F).contains(scalar.value)
    }

    static func strip(_ text: String, _ characters: String?, leading: Bool, trailing: Bool) -> String {
        let set = characters.map { Set($0.unicodeScalars) }
        func stripped(_ scalar: Unicode.Scalar) -> Bool { set?.contains(scalar) ?? isWhitespace(scalar) }
        var scalars = Substring(text).unicodeScalars
        if leading { while let first = scalars.first, stripped(first) { scalars.removeFirst() } }
        if trailing { while let last = scalars.last, stripped(last) { scalars.removeLast() } }
        return String(scalars)
    }

    static func split(_ text: String, _ separator: String) -> [String] {
        let scalars = Array(text.unicodeScalars), needle = Array(separator.unicodeScalars)
        var parts: [String] = [], current = String.UnicodeScalarView(), index = 0
        while index < scalars.count {
            if index + needle.count <= scalars.count && Array(scalars[index ..< index + needle.count]) == needle {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                index += needle.count
            } else {
                current.append(scalars[index])
                index += 1
            }
        }
        parts.append(String(current))
        return parts
    }

    static func splitWhitespace(_ text: String) -> [String] {
        text.unicodeScalars.split(whereSeparator: isWhitespace).map { String(String.UnicodeScalarView($0)) }
    }
}
