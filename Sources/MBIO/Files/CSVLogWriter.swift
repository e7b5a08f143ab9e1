#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV file written row by row while a run progresses (a metrics log), so that it can be
/// followed with `tail -f` and survives an interrupted run up to the last row. Each row is
/// handed to the operating system as soon as it is appended. Not atomic by design; use
/// `CSVTable.write(to:)` for a table written once.
public final class CSVLogWriter {
    public let path: String
    public let header: [String]
    private var descriptor: Int32

    /// Creates (or truncates) `path` and writes the header line.
    public init(path: String, header: [String]) throws {
        precondition(!header.isEmpty, "a CSV log needs at least one column")
        self.path = path
        self.header = header
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor < 0 {
            throw FileSystemError.cannotCreate(path: path, reason: FileSystemError.systemReason())
        }
        try writeLine(header)
    }

    /// Appends one row of text fields (one per column).
    public func append(_ row: [String]) throws {
        precondition(row.count == header.count, "CSV row has \(row.count) fields, header has \(header.count): \(header)")
        try writeLine(row)
    }

    /// Appends one row of numbers.
    public func append(_ values: [Double]) throws {
        try append(values.map { "\($0)" })
    }

    /// Closes the file; later appends are programmer errors.
    public func close() {
        if descriptor >= 0 {
            closeDescriptor(descriptor)
            descriptor = -1
        }
    }

    deinit { close() }

    private func writeLine(_ fields: [String]) throws {
        precondition(descriptor >= 0, "CSV log '\(path)' was already closed")
        var line = CSVTable.line(fields)
        try line.withUTF8 { bytes in
            try AtomicFile.writeAll(descriptor, UnsafeRawBufferPointer(bytes), path: path)
        }
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
