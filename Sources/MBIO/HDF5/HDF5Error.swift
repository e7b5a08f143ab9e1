/// What an HDF5 path names: a group, a dataset, or something else (a committed datatype).
public enum HDF5ObjectKind: String, Sendable, Equatable {
    case group, dataset, other = "object of another kind"
}

/// Failures reading or writing HDF5 files. Each names the file, the dataset, group or
/// attribute concerned, and what was expected against what was found.
public enum HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file at this path.
    case fileNotFound(file: String)
    /// The file exists but HDF5 cannot open it (not HDF5, corrupt, permissions); `reason`
    /// quotes the library.
    case cannotOpen(file: String, reason: String)
    /// A new file could not be created.
    case cannotCreate(file: String, reason: String)
    /// A write was attempted on a file opened `.readOnly`.
    case readOnly(file: String, operation: String)
    /// Nothing at `path`; `expected` says what was being looked for (nil: any object).
    case missingObject(file: String, path: String, expected: HDF5ObjectKind?)
    /// `path` exists but is the wrong kind (a group where a dataset was expected, ...).
    case wrongObjectKind(file: String, path: String, expected: HDF5ObjectKind, found: HDF5ObjectKind)
    /// The object at `object` has no attribute `name`.
    case missingAttribute(file: String, object: String, name: String)
    /// The element type differs from the requested one (e.g. expected float64, found int32).
    case wrongType(file: String, path: String, expected: String, found: String)
    /// The dataset's rank differs from the requested one.
    case wrongRank(file: String, path: String, expected: Int, foundShape: [Int])
    /// Valid HDF5 that this reader does not handle (null dataspaces, rank-2 attributes, ...).
    case unsupported(file: String, path: String, detail: String)
    /// A library call failed; `reason` quotes HDF5's error stack.
    case operationFailed(file: String, path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(file):
            return "HDF5 file '\(file)' does not exist"
        case let .cannotOpen(file, reason):
            return "cannot open '\(file)' as an HDF5 file: \(reason)"
        case let .cannotCreate(file, reason):
            return "cannot create HDF5 file '\(file)': \(reason)"
        case let .readOnly(file, operation):
            return "cannot \(operation) in '\(file)': the file was opened read-only (open it with mode .readWrite)"
        case let .missingObject(file, path, expected):
            return "'\(file)' has no \(expected?.rawValue ?? "group or dataset") at '\(path)'"
        case let .wrongObjectKind(file, path, expected, found):
            return "in '\(file)', '\(path)' is a \(found.rawValue), expected a \(expected.rawValue)"
        case let .missingAttribute(file, object, name):
            return "in '\(file)', '\(object)' has no attribute '\(name)'"
        case let .wrongType(file, path, expected, found):
            return "in '\(file)', '\(path)' holds \(found), expected \(expected)"
        case let .wrongRank(file, path, expected, foundShape):
            return "in '\(file)', dataset '\(path)' has rank \(foundShape.count) (shape \(foundShape)), expected rank \(expected)"
        case let .unsupported(file, path, detail):
            return "in '\(file)', '\(path)': \(detail)"
        case let .operationFailed(file, path, operation, reason):
            return "HDF5 could not \(operation) '\(path)' in '\(file)': \(reason)"
        }
    }
}
