import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory a command writes its results into.
///
/// An existing non-empty directory is refused unless `force` is given, so that a second run
/// cannot silently mix its files with (or overwrite) an earlier run's. With `force` the
/// directory is reused: files of the same name are replaced (atomically), other files stay.
/// Nothing is ever deleted.
public struct OutputDirectory: Sendable, Equatable {
    /// The directory's path as given (not resolved).
    public let path: String

    /// Creates `path` (with missing parents) or checks that reusing it is allowed.
    /// - Throws: `FileSystemError.outputNotEmpty` if it holds entries and `force` is false,
    ///   `.notADirectory` if it is a file, `.cannotCreate` if it cannot be made.
    public static func prepare(_ path: String, force: Bool) throws -> OutputDirectory {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FileSystemError.notADirectory(path: path) }
            let entries: [String]
            do {
                entries = try manager.contentsOfDirectory(atPath: path).sorted()
            } catch {
                throw FileSystemError.cannotRead(path: path, reason: "cannot list the directory (\(error))")
            }
            if !entries.isEmpty && !force {
                throw FileSystemError.outputNotEmpty(path: path, entries: entries)
            }
        } else {
            try makeDirectories(path)
        }
        return OutputDirectory(path: path)
    }

    /// `mkdir -p`, reporting the first component that cannot be made with the system's reason.
    private static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw FileSystemError.cannotCreate(path: prefix, reason: FileSystemError.systemReason())
            }
            prefix += "/"
        }
    }

    private init(path: String) { self.path = path }

    /// The path of `name` inside this directory.
    public func path(for name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }
}
