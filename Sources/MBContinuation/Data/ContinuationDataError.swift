/// Problems with a user's Λ data or a dataset file, each naming the file and field.
public enum ContinuationDataError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case missing(path: String, field: String)
    case wrongShape(path: String, field: String, shape: [Int], expected: [String])
    case nonFinite(path: String, field: String)
    case badGrid(path: String, field: String, problem: String)
    case badLine(path: String, line: Int, problem: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot read \(path): \(reason)"
        case let .missing(path, field): "\(path): missing \(field)"
        case let .wrongShape(path, field, shape, expected):
            "\(path): \(field) has shape \(shape), expected [\(expected.joined(separator: ", "))]"
        case let .nonFinite(path, field): "\(path): \(field) contains NaN or infinite values"
        case let .badGrid(path, field, problem): "\(path): \(field) \(problem)"
        case let .badLine(path, line, problem): "\(path), line \(line): \(problem)"
        }
    }
}

/// Checks shared by dataset files and user input.
enum InputValidation {
    /// The model grids: temperatures positive and increasing; x strictly increasing in (0, 1).
    static func checkGrids(temperatures: [Double], reducedTime: [Double], source: String) throws {
        guard !temperatures.isEmpty else { throw ContinuationDataError.badGrid(path: source, field: "temperatures", problem: "is empty") }
        guard temperatures.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ContinuationDataError.badGrid(path: source, field: "temperatures", problem: "must be positive and finite, got \(temperatures)")
        }
        guard zip(temperatures, temperatures.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ContinuationDataError.badGrid(path: source, field: "temperatures", problem: "must increase strictly, got \(temperatures)")
        }
        guard reducedTime.count >= 2, reducedTime.allSatisfy({ $0.isFinite && $0 > 0 && $0 < 1 }) else {
            throw ContinuationDataError.badGrid(path: source, field: "reduced_time", problem: "must hold ≥ 2 values x = τT in (0, 1)")
        }
        if let k = reducedTime.indices.dropLast().first(where: { reducedTime[$0] >= reducedTime[$0 + 1] }) {
            throw ContinuationDataError.badGrid(
                path: source, field: "reduced_time",
                problem: "is not increasing: x[\(k)] = \(reducedTime[k]) ≥ x[\(k + 1)] = \(reducedTime[k + 1])")
        }
    }
}
