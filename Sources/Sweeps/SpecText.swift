import Foundation

/// The text of an experiment file, or a `SpecError` that says why there is none: not there, a folder, unreadable,
/// too large, or not UTF-8 (with the line and byte of the first bad byte).
enum SpecText {
    /// Experiment files are a few kilobytes; anything past this is not one.
    static let maxBytes = 1 << 20

    static func read(_ file: URL) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) else {
            throw SpecError(file: file.path, line: nil, key: nil, message: "no such file")
        }
        guard !isFolder.boolValue else {
            throw SpecError(file: file.path, line: nil, key: nil, message: "is a folder; give an experiment file (YAML), e.g. Experiments/quickstart.yaml")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw SpecError(file: file.path, line: nil, key: nil, message: "cannot read the file (\(error.localizedDescription))")
        }
        guard data.count <= maxBytes else {
            throw SpecError(file: file.path, line: nil, key: nil, message: "is \(data.count) bytes; an experiment file is at most \(maxBytes)")
        }
        guard let text = String(validatingUTF8Data: data) else {
            let (line, column, byte) = firstInvalidUTF8(data)
            throw SpecError(file: file.path, line: line, key: nil,
                            message: "is not UTF-8 text: byte 0x\(String(byte, radix: 16, uppercase: true)) at column \(column) cannot start or continue a UTF-8 character (save the file as UTF-8)")
        }
        return text
    }

    /// Line (1-based), column (1-based, in bytes) and value of the first byte that breaks UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> (line: Int, column: Int, byte: UInt8) {
        let bytes = [UInt8](data)
        var (line, lineStart, i) = (1, 0, 0)
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            let valid = length > 0 && i + length <= bytes.count
                && (1 ..< max(length, 1)).allSatisfy { bytes[i + $0] >> 6 == 0b10 }
                && String(validatingUTF8Data: Data(bytes[i ..< i + length])) != nil
            guard valid else { return (line, i - lineStart + 1, lead) }
            if lead == 0x0A { (line, lineStart) = (line + 1, i + 1) }
            i += length
        }
        return (line, i - lineStart + 1, 0)
    }
}

extension String {
    /// The text of `data` if it is valid UTF-8 (no replacement characters), else nil.
    init?(validatingUTF8Data data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        guard text.utf8.elementsEqual(data) else { return nil }
        self = text
    }
}
