import CHDF5
import Foundation

/// An open HDF5 file: named n-dimensional datasets in nested groups, with attributes on the
/// file, its groups and its datasets. Files written here open in Python's h5py.
///
/// Paths are slash-separated from the root (`"train/lambda"` and `"/train/lambda"` are the
/// same; `"/"` is the root group). Writing a dataset creates the groups above it and
/// replaces a dataset already at that path.
///
/// The file is closed by `close()` or when the object is released; closing also closes any
/// object still open inside it. Not for concurrent use from several threads (calls into the
/// library are serialised process-wide anyway, see `HDF5Library`).
///
///     try HDF5File.writeAtomically(to: "data.h5") { file in
///         try file.write(lambda, at: "train/lambda")
///         try file.setAttribute("kernel", "fermionic", on: "/")
///     }
///     let file = try HDF5File.open("data.h5")
///     let lambda = try file.readTensor(Double.self, at: "train/lambda")
public final class HDF5File {
    public enum Mode: Sendable { case readOnly, readWrite }

    /// The path the file was opened with.
    public let path: String
    public let mode: Mode
    /// The library identifier; negative once closed.
    private(set) var fileID: hid_t

    private init(path: String, mode: Mode, fileID: hid_t) {
        self.path = path
        self.mode = mode
        self.fileID = fileID
    }

    /// Creates a new file at `path`, replacing any file there, open for reading and writing.
    public static func create(_ path: String) throws -> HDF5File {
        try HDF5Library.withLock {
            let access = fileAccessList()
            defer { H5Pclose(access) }
            let id = H5Fcreate(path, mb_h5f_acc_trunc(), mb_h5p_default(), access)
            if id < 0 { throw HDF5Error.cannotCreate(file: path, reason: HDF5Library.takeErrorMessage()) }
            return HDF5File(path: path, mode: .readWrite, fileID: id)
        }
    }

    /// Opens an existing file.
    /// - Throws: `HDF5Error.fileNotFound`, or `.cannotOpen` for a file that is not HDF5.
    public static func open(_ path: String, mode: Mode = .readOnly) throws -> HDF5File {
        guard FileManager.default.fileExists(atPath: path) else { throw HDF5Error.fileNotFound(file: path) }
        return try HDF5Library.withLock {
            let access = fileAccessList()
            defer { H5Pclose(access) }
            let flags = mode == .readOnly ? mb_h5f_acc_rdonly() : mb_h5f_acc_rdwr()
            let id = H5Fopen(path, flags, access)
            if id < 0 { throw HDF5Error.cannotOpen(file: path, reason: HDF5Library.takeErrorMessage()) }
            return HDF5File(path: path, mode: mode, fileID: id)
        }
    }

    /// Writes a whole new file atomically: `body` fills a file created at a temporary path
    /// beside `path`; when it returns the file is closed, synced and renamed to `path`. If
    /// `body` throws, nothing appears at `path` (an existing file there stays as it was).
    public static func writeAtomically(to path: String, _ body: (HDF5File) throws -> Void) throws {
        try AtomicFile.write(to: path) { temporary in
            let file = try HDF5File.create(temporary)
            do {
                try body(file)
            } catch {
                try? file.close()
                throw error
            }
            try file.close()
        }
    }

    /// Whether the file is still open.
    public var isOpen: Bool { HDF5Library.withLock { fileID >= 0 } }

    /// Flushes and closes the file (and any object left open in it). Later calls do nothing.
    public func close() throws {
        try HDF5Library.withLock {
            guard fileID >= 0 else { return }
            let status = H5Fclose(fileID)
            fileID = -1
            if status < 0 {
                throw HDF5Error.operationFailed(file: path, path: "/", operation: "close", reason: HDF5Library.takeErrorMessage())
            }
        }
    }

    deinit { try? close() }

    /// Writes buffered data to disk without closing.
    public func flush() throws {
        try HDF5Library.withLock {
            requireOpen()
            if H5Fflush(fileID, H5F_SCOPE_GLOBAL) < 0 {
                throw HDF5Error.operationFailed(file: path, path: "/", operation: "flush", reason: HDF5Library.takeErrorMessage())
            }
        }
    }

    // MARK: Groups and paths

    /// True if a group or dataset exists at `path`.
    public func contains(_ path: String) -> Bool { kind(at: path) != nil }

    /// Whether `path` is a group or a dataset; nil if nothing is there.
    public func kind(at path: String) -> HDF5ObjectKind? {
        HDF5Library.withLock {
            requireOpen()
            let normalized = HDF5File.normalized(path)
            guard linkExists(normalized) else { return nil }
            let object = H5Oopen(fileID, normalized, mb_h5p_default())
            if object < 0 {
                _ = HDF5Library.takeErrorMessage()
                return nil
            }
            defer { H5Oclose(object) }
            switch H5Iget_type(object) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// Names of the members (groups and datasets) of the group at `path`, sorted by name.
    public func members(of path: String = "/") throws -> [String] {
        try HDF5Library.withLock {
            let normalized = try requireKind(.group, at: path)
            let group = H5Gopen2(fileID, normalized, mb_h5p_default())
            if group < 0 { throw failure("open group", normalized) }
            defer { H5Gclose(group) }
            var info = H5G_info_t()
            if H5Gget_info(group, &info) < 0 { throw failure("list group", normalized) }
            var names: [String] = []
            for index in 0..<info.nlinks {
                let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, mb_h5p_default())
                if length < 0 { throw failure("list group", normalized) }
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                _ = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, mb_h5p_default())
                names.append(String(nullTerminated: buffer))
            }
            return names
        }
    }

    /// Creates the group at `path` and any missing groups above it; an existing group is kept.
    public func createGroup(_ path: String) throws {
        try HDF5Library.withLock {
            try requireWritable("create group '\(path)'")
            try ensureGroups(HDF5File.components(path))
        }
    }

    /// Deletes the link to the group or dataset at `path` (HDF5 does not shrink the file).
    public func remove(_ path: String) throws {
        try HDF5Library.withLock {
            try requireWritable("remove '\(path)'")
            let normalized = HDF5File.normalized(path)
            guard normalized != "/" else {
                throw HDF5Error.unsupported(file: self.path, path: normalized, detail: "the root group cannot be removed")
            }
            guard linkExists(normalized) else { throw HDF5Error.missingObject(file: self.path, path: normalized, expected: nil) }
            if H5Ldelete(fileID, normalized, mb_h5p_default()) < 0 { throw failure("remove", normalized) }
        }
    }

    // MARK: Internals (callers hold the library lock)

    /// File access properties: closing the file closes every object still open in it.
    private static func fileAccessList() -> hid_t {
        let access = H5Pcreate(mb_h5p_file_access())
        _ = H5Pset_fclose_degree(access, H5F_CLOSE_STRONG)
        return access
    }

    /// `"a//b/"` → `["a", "b"]`.
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// `"a/b"` → `"/a/b"`; the root is `"/"`.
    static func normalized(_ path: String) -> String {
        "/" + components(path).joined(separator: "/")
    }

    func requireOpen() {
        precondition(fileID >= 0, "HDF5 file '\(path)' is already closed")
    }

    func requireWritable(_ operation: String) throws {
        requireOpen()
        if mode == .readOnly { throw HDF5Error.readOnly(file: path, operation: operation) }
    }

    /// True if every link along `normalized` exists and the last one resolves to an object.
    func linkExists(_ normalized: String) -> Bool {
        let parts = HDF5File.components(normalized)
        var prefix = ""
        for part in parts {
            prefix += "/" + part
            let exists = H5Lexists(fileID, prefix, mb_h5p_default())
            if exists <= 0 {
                if exists < 0 { _ = HDF5Library.takeErrorMessage() }
                return false
            }
        }
        if parts.isEmpty { return true }
        let resolves = H5Oexists_by_name(fileID, normalized, mb_h5p_default())
        if resolves < 0 { _ = HDF5Library.takeErrorMessage() }
        return resolves > 0
    }

    /// The normalised path, after checking that it names an object of `expected` kind.
    @discardableResult
    func requireKind(_ expected: HDF5ObjectKind, at path: String) throws -> String {
        requireOpen()
        let normalized = HDF5File.normalized(path)
        guard let found = kind(at: normalized) else {
            throw HDF5Error.missingObject(file: self.path, path: normalized, expected: expected)
        }
        if found != expected {
            throw HDF5Error.wrongObjectKind(file: self.path, path: normalized, expected: expected, found: found)
        }
        return normalized
    }

    /// Creates each missing group along `parts`; fails if one of them is not a group.
    func ensureGroups(_ parts: [String]) throws {
        var prefix = ""
        for part in parts {
            prefix += "/" + part
            if let found = kind(at: prefix) {
                if found != .group {
                    throw HDF5Error.wrongObjectKind(file: path, path: prefix, expected: .group, found: found)
                }
                continue
            }
            let group = H5Gcreate2(fileID, prefix, mb_h5p_default(), mb_h5p_default(), mb_h5p_default())
            if group < 0 { throw failure("create group", prefix) }
            H5Gclose(group)
        }
    }

    /// An `operationFailed` error quoting the library's error stack.
    func failure(_ operation: String, _ objectPath: String) -> HDF5Error {
        .operationFailed(file: path, path: objectPath, operation: operation, reason: HDF5Library.takeErrorMessage())
    }

    /// A short name for a file datatype: "float64", "int32", "uint8", "variable-length string", ...
    static func describeType(_ type: hid_t) -> String {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT: return "float\(size * 8)"
        case H5T_INTEGER: return H5Tget_sign(type) == H5T_SGN_NONE ? "uint\(size * 8)" : "int\(size * 8)"
        case H5T_STRING:
            return H5Tis_variable_str(type) > 0 ? "variable-length string" : "fixed-length string (\(size) bytes)"
        case H5T_COMPOUND: return "compound"
        case H5T_ENUM: return "enum (h5py bool?)"
        case H5T_ARRAY: return "array type"
        case H5T_VLEN: return "variable-length sequence"
        case H5T_OPAQUE: return "opaque"
        case H5T_REFERENCE: return "reference"
        case H5T_BITFIELD: return "bitfield"
        default: return "an unknown type"
        }
    }
}
