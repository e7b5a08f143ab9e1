/// A small table written as comma-separated values: one header line, then one line per row.
///
/// Fields are quoted as RFC 4180 says — a field holding a comma, a double quote, a line
/// break, or leading/trailing spaces is enclosed in double quotes, and quotes inside it are
/// doubled — so Python's `csv` module and pandas read it back exactly. Lines end with "\n".
/// Numbers are written with Swift's shortest round-trip formatting (`0.1`, `1e-05`, `nan`).
public struct CSVTable: Sendable, Equatable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) {
        precondition(!header.isEmpty, "a CSV table needs at least one column")
        self.header = header
    }

    /// Appends a row of text fields; it must have one field per column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "CSV row has \(row.count) fields, header has \(header.count): \(header)")
        rows.append(row)
    }

    /// Appends a row of numbers.
    public mutating func append(_ values: [Double]) {
        append(values.map { "\($0)" })
    }

    /// The whole table as CSV text.
    public var text: String {
        var result = CSVTable.line(header)
        for row in rows { result += CSVTable.line(row) }
        return result
    }

    /// Writes the table atomically (temporary file, then rename).
    public func write(to path: String) throws {
        try AtomicFile.write(text: text, to: path)
    }

    /// One CSV line, with its "\n".
    public static func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",") + "\n"
    }

    /// `field`, quoted if it needs to be.
    public static func quoted(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    /// `self` with every `target` character replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
