import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes that replace a file all at once: the content goes to a temporary file in the same
/// directory, is flushed to disk, and is then renamed over the destination. A reader sees the
/// old file or the new one, never a partial one; a failed or interrupted write leaves the old
/// file untouched (and at worst a hidden `.name.tmp-…` file beside it).
public enum AtomicFile {
    /// Calls `body` with a fresh temporary path beside `path`; when `body` returns, the file it
    /// wrote there is synced and renamed to `path`. If `body` throws, the temporary file is
    /// removed and the error is rethrown; `path` is untouched.
    @discardableResult
    public static func write<Result>(to path: String, _ body: (_ temporaryPath: String) throws -> Result) throws -> Result {
        let temporary = temporaryPath(beside: path)
        let result: Result
        do {
            result = try body(temporary)
            try syncFile(at: temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let reason = FileSystemError.systemReason()
            unlink(temporary)
            throw FileSystemError.cannotRename(from: temporary, to: path, reason: reason)
        }
        return result
    }

    /// Replaces the file at `path` with `data`.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { temporary in
            let descriptor = try createFile(at: temporary)
            defer { close(descriptor) }
            try data.withUnsafeBytes { bytes in
                try writeAll(descriptor, bytes, path: temporary)
            }
        }
    }

    /// Replaces the file at `path` with `text` encoded as UTF-8.
    public static func write(text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// `.name.tmp-<pid>-<random>` in the directory of `path`.
    static func temporaryPath(beside path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let tag = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return "\(directory).\(name).tmp-\(getpid())-\(tag)"
    }

    /// Opens a new file for writing (mode 0644, failing if it exists).
    static func createFile(at path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if descriptor < 0 {
            throw FileSystemError.cannotCreate(path: path, reason: FileSystemError.systemReason())
        }
        return descriptor
    }

    /// Writes every byte, retrying short writes and interruptions.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        guard var cursor = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, cursor, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.cannotWrite(path: path, reason: FileSystemError.systemReason())
            }
            cursor += written
            remaining -= written
        }
    }

    /// Flushes a finished file to disk so that the rename cannot expose unwritten data.
    static func syncFile(at path: String) throws {
        let descriptor = open(path, O_RDONLY)
        if descriptor < 0 {
            throw FileSystemError.cannotWrite(path: path, reason: "the file to be renamed into place is missing: \(FileSystemError.systemReason())")
        }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 {
            throw FileSystemError.cannotWrite(path: path, reason: FileSystemError.systemReason())
        }
    }
}

/// POSIX `write(2)`, under a name that `AtomicFile.write` does not shadow.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(descriptor, bytes, count)
    #elseif canImport(Musl)
    return Musl.write(descriptor, bytes, count)
    #else
    return Darwin.write(descriptor, bytes, count)
    #endif
}
