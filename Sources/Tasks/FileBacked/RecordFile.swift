import Foundation

/// One benchmark record: the fields of one JSONL line (or CSV row) and where it came from.
public struct Record: Sendable, Equatable {
    public var fields: [String: JSONField]
    /// `file:line`, for messages.
    public var origin: String
}

/// A problem with a data file, naming the file and (for a bad line) the line number.
public struct DataFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String {
        (line.map { "\(file):\($0)" } ?? file) + ": " + message
    }
}

/// Reads benchmark files: JSONL (one JSON object per line, blank lines allowed) or CSV with a header row (the
/// format of d1's Sudoku files). Never drops a line silently: the first malformed line is an error naming it.
public enum RecordFile {
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, csv
    }

    /// The format of `path` from its extension (`.csv` is CSV, anything else JSONL).
    public static func format(of path: String) -> Format {
        path.lowercased().hasSuffix(".csv") ? .csv : .jsonl
    }

    /// The records of the file at `url` and its raw bytes (for the task's version hash).
    public static func read(_ url: URL, format: Format? = nil) throws -> (records: [Record], bytes: Data) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataFileError(file: url.path, line: nil, message: "cannot read the data file (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(file: url.path, line: nil, message: "the file is not UTF-8 text")
        }
        let records: [Record]
        switch format ?? Self.format(of: url.path) {
        case .jsonl: records = try jsonLines(text, file: url.path)
        case .csv: records = try csvRows(text, file: url.path)
        }
        guard !records.isEmpty else { throw DataFileError(file: url.path, line: nil, message: "the file holds no records") }
        return (records, data)
    }

    static func jsonLines(_ text: String, file: String) throws -> [Record] {
        var records: [Record] = []
        let decoder = JSONDecoder()
        for (offset, line) in lines(of: text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let number = offset + 1
            let value: JSONField
            do {
                value = try decoder.decode(JSONField.self, from: Data(trimmed.utf8))
            } catch {
                let preview = trimmed.count > 60 ? String(trimmed.prefix(60)) + "…" : trimmed
                throw DataFileError(file: file, line: number, message: "not a JSON object: \(preview)")
            }
            guard case .object(let fields) = value else {
                throw DataFileError(file: file, line: number, message: "expected a JSON object ({...}) on each line")
            }
            records.append(Record(fields: fields, origin: "\(file):\(number)"))
        }
        return records
    }

    /// The lines of `text`, split at LF bytes (a Swift `Character` split would keep CR LF together), CR removed.
    static func lines(of text: String) -> [String] {
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { bytes in
            let line = bytes.last == 0x0D ? bytes.dropLast() : bytes[...]
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// CSV with a header row; fields may be quoted with `"` (a doubled `""` inside is one quote). Every row must
    /// have as many fields as the header.
    static func csvRows(_ text: String, file: String) throws -> [Record] {
        let rows = lines(of: text)
        guard let headerLine = rows.first, !headerLine.isEmpty else {
            throw DataFileError(file: file, line: 1, message: "a CSV file needs a header row")
        }
        let header = try csvFields(headerLine, file: file, line: 1)
        var records: [Record] = []
        for (offset, line) in rows.enumerated().dropFirst() where !line.isEmpty {
            let values = try csvFields(line, file: file, line: offset + 1)
            guard values.count == header.count else {
                throw DataFileError(file: file, line: offset + 1,
                                    message: "\(values.count) fields, the header has \(header.count)")
            }
            var fields: [String: JSONField] = [:]
            for (name, value) in zip(header, values) { fields[name] = .string(value) }
            records.append(Record(fields: fields, origin: "\(file):\(offset + 1)"))
        }
        return records
    }

    static func csvFields(_ line: String, file: String, line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && current.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        guard !quoted else { throw DataFileError(file: file, line: number, message: "unterminated quoted field") }
        fields.append(current)
        return fields
    }
}
