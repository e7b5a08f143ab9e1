import CHDF5
import Foundation

/// Process-wide access to the HDF5 C library.
///
/// A serial HDF5 build need not be thread-safe, so every call into it from this module runs
/// under one recursive lock (`withLock`); nested calls from the same thread are fine. Each
/// entry also switches off HDF5's own printing of error stacks to stderr (in thread-safe
/// builds, such as Debian's, that switch is per thread): failures are reported as
/// `HDF5Error`s, which quote the library's description of what went wrong.
public enum HDF5Library {
    private static let lock = NSRecursiveLock()

    /// Runs `body` holding the library lock.
    static func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        mb_h5_silence_errors()
        return try body()
    }

    /// The linked library's version, "major.minor.release" (e.g. "1.10.8").
    public static var version: String {
        withLock {
            var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
            _ = H5get_libversion(&major, &minor, &release)
            return "\(major).\(minor).\(release)"
        }
    }

    /// HDF5's description of the most recent failure ("H5Fopen: unable to open file (file
    /// signature not found)"), and clears the error stack. Call right after a failed call.
    static func takeErrorMessage() -> String {
        var buffer = [CChar](repeating: 0, count: 600)
        buffer.withUnsafeMutableBufferPointer { mb_h5_take_error_message($0.baseAddress, $0.count) }
        let message = String(nullTerminated: buffer)
        return message.isEmpty ? "the HDF5 library reported a failure" : message
    }
}

/// Closes an HDF5 identifier when it goes out of scope; used with `defer`-free ownership.
final class HDF5Handle {
    let id: hid_t
    private let closer: (hid_t) -> herr_t

    init(_ id: hid_t, closer: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.closer = closer
    }

    deinit {
        if id >= 0 { HDF5Library.withLock { _ = closer(id) } }
    }
}

extension String {
    /// The UTF-8 text in a C character buffer, up to its first NUL.
    init(nullTerminated buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
