import Foundation
import GRDB

/// Flat files for sharing: every column of every row (`dlab export`).
public enum ExportFormat: String, CaseIterable, Sendable {
    case csv
    case jsonl
}

extension ResultsDatabase {
    /// Writes every row to `output` (CSV with a header line, RFC 4180 quoting; or one JSON object per line, with
    /// `commit_steps` as an array), in the stable order of `allResults()`.
    public func export(_ format: ExportFormat, to output: inout some TextOutputStream) throws {
        try read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT * FROM examples ORDER BY run_key, example_index, repeat_index")
            var wroteHeader = false
            while let row = try rows.next() {
                switch format {
                case .csv:
                    if !wroteHeader {
                        output.write(row.columnNames.map(Self.csvField).joined(separator: ",") + "\n")
                        wroteHeader = true
                    }
                    output.write(row.databaseValues.map { Self.csvField(Self.text($0)) }.joined(separator: ",") + "\n")
                case .jsonl:
                    let fields = try zip(row.columnNames, row.databaseValues).map { name, value in
                        try Self.jsonFragment(name) + ":" + Self.json(value, column: name)
                    }
                    output.write("{" + fields.joined(separator: ",") + "}\n")
                }
            }
        }
    }

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return ""
        case .int64(let int): return String(int)
        case .double(let double): return String(double)
        case .string(let string): return string
        case .blob(let data): return data.base64EncodedString()
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func jsonFragment(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self)
    }

    static func json(_ value: DatabaseValue, column: String) throws -> String {
        switch value.storage {
        case .null: return "null"
        case .int64(let int): return String(int)
        case .double(let double): return double.isFinite ? String(double) : "null"
        case .string(let string):
            // JSON-valued columns go out as JSON, not as strings holding JSON.
            if column == "commit_steps" || column == "sampler_parameters" { return string }
            return try jsonFragment(string)
        case .blob(let data): return try jsonFragment(data.base64EncodedString())
        }
    }
}
