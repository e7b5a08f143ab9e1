import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading whole files with the operating system's reason on failure ("No such file or
/// directory", "Is a directory", "Permission denied").
enum FileContents {
    static func bytes(at path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY)
        if descriptor < 0 { throw FileSystemError.cannotRead(path: path, reason: FileSystemError.systemReason()) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            throw FileSystemError.cannotRead(path: path, reason: FileSystemError.systemReason())
        }
        var data = Data(count: max(Int(status.st_size), 0))
        var filled = 0
        while true {
            if filled == data.count { data.count += max(4096, data.count / 2) }
            let count = data.count - filled
            let got = data.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.cannotRead(path: path, reason: FileSystemError.systemReason())
            }
            if got == 0 { break }
            filled += got
        }
        data.count = filled
        return data
    }
}
