/// Bad input to the impurity databases: invalid settings, files that are not databases or are
/// incomplete, and shards, parts or outputs of another run. Each names the file and the field.
public enum ImpurityDatabaseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A configuration field is out of range.
    case invalidConfiguration(field: String, value: String, requirement: String)
    /// A solver name that is not `hubbard-i`, `ipt` or `ed1`…`ed6` (as an input).
    case unknownSolver(name: String)
    /// The file has no readable database configuration.
    case notADatabase(file: String, reason: String)
    /// A dataset the configuration requires is absent.
    case missingField(file: String, field: String)
    /// A dataset has the wrong shape.
    case wrongShape(file: String, field: String, expected: [Int], found: [Int])
    /// A file's configuration differs from the one expected (another run, other settings).
    case configurationMismatch(file: String, field: String, expected: String, found: String, context: String)
    /// The same global sample index appears in two files.
    case overlappingSamples(index: Int, files: [String])
    /// Global sample indices that no file holds.
    case missingSamples(ranges: String, total: Int)
    /// A solver failed on a sample (the sample's parameters are given to reproduce it).
    case solverFailed(index: Int, solver: String, parameters: String, message: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(field, value, requirement):
            return "database setting \(field) = \(value) is invalid: \(requirement)"
        case let .unknownSolver(name):
            return "unknown input solver '\(name)': use hubbard-i, ipt or edK with K = 1…\(ImpurityDatabaseSolver.maximumFittedBathSites) (the target is always 'ed')"
        case let .notADatabase(file, reason):
            return "'\(file)' is not an impurity database: \(reason)"
        case let .missingField(file, field):
            return "impurity database '\(file)' has no dataset '\(field)'"
        case let .wrongShape(file, field, expected, found):
            return "impurity database '\(file)': dataset '\(field)' has shape \(found), expected \(expected)"
        case let .configurationMismatch(file, field, expected, found, context):
            return "'\(file)' \(context): its \(field) is \(found), expected \(expected)"
        case let .overlappingSamples(index, files):
            return "sample \(index) is in more than one file: \(files.joined(separator: ", "))"
        case let .missingSamples(ranges, total):
            return "the files do not cover all \(total) samples: missing \(ranges)"
        case let .solverFailed(index, solver, parameters, message):
            return "solver \(solver) failed on sample \(index) (\(parameters)): \(message)"
        }
    }
}
