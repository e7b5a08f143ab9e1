import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// String datasets, variable- or fixed-length, UTF-8.
///
/// Variable-length strings are what h5py writes for `str` data (read back there with
/// `dataset.asstr()[...]`); fixed-length strings are numpy's `S<n>` (null-padded bytes).
/// Strings are C strings in HDF5: a string with an embedded NUL character is cut there.
extension HDF5File {
    /// Writes `strings` (row-major) as a string dataset of `shape` (default: one axis).
    /// `fixedLength` stores them null-padded to the longest string's UTF-8 byte count.
    public func write(strings: [String], shape: [Int]? = nil, at path: String, fixedLength: Bool = false) throws {
        let shape = shape ?? [strings.count]
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == strings.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) strings, got \(strings.count)")
        try HDF5Library.withLock {
            try HDF5File.withStringBuffer(strings, fixedLength: fixedLength) { type, bytes in
                try writeDataset(at: path, shape: shape, elementType: type, elementSize: H5Tget_size(type),
                                 compressionLevel: nil, bytes: bytes)
            }
        }
    }

    /// Reads a string dataset (variable- or fixed-length) with its shape.
    /// - Throws: `HDF5Error.wrongType` if the dataset does not hold strings.
    public func readStrings(at path: String, rank: Int? = nil) throws -> HDF5Array<String> {
        try HDF5Library.withLock {
            let (normalized, dataset) = try openDataset(at: path)
            let shape = try datasetShape(of: dataset.id, path: normalized)
            try checkRank(rank, shape: shape, path: normalized)
            let type = H5Dget_type(dataset.id)
            if type < 0 { throw failure("read the type of", normalized) }
            defer { H5Tclose(type) }
            let values = try readStringElements(fileType: type, count: shape.reduce(1, *), path: normalized) { memoryType, buffer in
                H5Dread(dataset.id, memoryType, mb_h5s_all(), mb_h5s_all(), mb_h5p_default(), buffer)
            }
            return HDF5Array(shape: shape, values: values)
        }
    }

    // MARK: Internals shared with attributes (callers hold the library lock)

    /// A UTF-8 string type (variable-length, or fixed of `size` bytes, null-padded).
    static func stringType(fixedSize size: Int?) -> hid_t {
        let type = H5Tcopy(mb_h5t_c_s1())
        if let size {
            H5Tset_size(type, max(size, 1))
            H5Tset_strpad(type, H5T_STR_NULLPAD)
        } else {
            H5Tset_size(type, mb_h5t_variable())
        }
        H5Tset_cset(type, H5T_CSET_UTF8)
        return type
    }

    /// Calls `body` with a string type and a buffer holding `strings` in that type's layout.
    static func withStringBuffer(
        _ strings: [String], fixedLength: Bool, _ body: (hid_t, UnsafeRawPointer?) throws -> Void
    ) throws {
        if fixedLength {
            let size = max(1, strings.map(\.utf8.count).max() ?? 1)
            let type = stringType(fixedSize: size)
            defer { H5Tclose(type) }
            var bytes = [UInt8](repeating: 0, count: size * strings.count)
            for (index, string) in strings.enumerated() {
                for (offset, byte) in string.utf8.enumerated() { bytes[index * size + offset] = byte }
            }
            try bytes.withUnsafeBytes { try body(type, $0.baseAddress) }
        } else {
            let type = stringType(fixedSize: nil)
            defer { H5Tclose(type) }
            let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
            defer { for pointer in pointers { free(pointer) } }
            try pointers.withUnsafeBytes { try body(type, $0.baseAddress) }
        }
    }

    /// Reads `count` strings stored with `fileType` through `read(memoryType, buffer)`.
    func readStringElements(
        fileType: hid_t, count: Int, path: String, _ read: (hid_t, UnsafeMutableRawPointer?) -> herr_t
    ) throws -> [String] {
        guard H5Tget_class(fileType) == H5T_STRING else {
            throw HDF5Error.wrongType(file: self.path, path: path, expected: "strings", found: HDF5File.describeType(fileType))
        }
        if count == 0 { return [] }
        if H5Tis_variable_str(fileType) > 0 {
            let memoryType = HDF5File.stringType(fixedSize: nil)
            defer { H5Tclose(memoryType) }
            H5Tset_cset(memoryType, H5Tget_cset(fileType))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBytes { read(memoryType, $0.baseAddress) }
            if status < 0 { throw failure("read strings of", path) }
            defer { for pointer in pointers where pointer != nil { H5free_memory(pointer) } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(fileType)
        let memoryType = H5Tcopy(fileType)
        defer { H5Tclose(memoryType) }
        let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
        var bytes = [UInt8](repeating: 0, count: size * count)
        let status = bytes.withUnsafeMutableBytes { read(memoryType, $0.baseAddress) }
        if status < 0 { throw failure("read strings of", path) }
        return (0..<count).map { index in
            var element = bytes[(index * size)..<((index + 1) * size)]
            if let end = element.firstIndex(of: 0) { element = element[..<end] }
            if spacePadded { while element.last == 0x20 { element = element.dropLast() } }
            return String(decoding: element, as: UTF8.self)
        }
    }
}
