#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Failures of plain file operations: writing, renaming into place, preparing an output
/// directory. Each message names the path and says how to fix the problem where it can.
public enum FileSystemError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file or directory could not be created (the operating system's reason is given).
    case cannotCreate(path: String, reason: String)
    /// Writing to an open file failed part-way (disk full, I/O error, ...).
    case cannotWrite(path: String, reason: String)
    /// The finished temporary file could not be renamed over the destination.
    case cannotRename(from: String, to: String, reason: String)
    /// A file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The output directory exists and holds files; `force` was not given.
    case outputNotEmpty(path: String, entries: [String])
    /// The output path exists but is not a directory.
    case notADirectory(path: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason):
            return "cannot create '\(path)': \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write '\(path)': \(reason)"
        case let .cannotRename(from, to, reason):
            return "cannot move finished file '\(from)' to '\(to)': \(reason)"
        case let .cannotRead(path, reason):
            return "cannot read '\(path)': \(reason)"
        case let .outputNotEmpty(path, entries):
            let shown = entries.prefix(5).joined(separator: ", ") + (entries.count > 5 ? ", …" : "")
            return "output directory '\(path)' already exists and is not empty (\(entries.count) entries: \(shown)); "
                + "choose another output directory or pass --force to write into it"
        case let .notADirectory(path):
            return "output path '\(path)' exists and is not a directory; choose another output directory"
        }
    }

    /// The message of the current `errno`.
    static func systemReason(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
