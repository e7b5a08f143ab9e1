/// Why a mesh, a Green's function or a transform could not be built from the values given.
///
/// These are user-input failures (a non-positive β, an empty mesh, meshes that disagree), so
/// they are thrown, never trapped. Mismatched meshes inside arithmetic between Green's
/// functions are programmer errors and are `precondition`s instead; call
/// ``GreensFunction/checkSameMesh(_:)`` first when the meshes come from user input.
public enum GreensFunctionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The inverse temperature β must be finite and positive.
    case nonPositiveBeta(Double)
    /// A mesh needs at least `minimum` points.
    case tooFewPoints(mesh: String, count: Int, minimum: Int)
    /// A real-frequency window must be finite with `lowerBound < upperBound`.
    case invalidFrequencyRange(lower: Double, upper: Double)
    /// A length or scale parameter (half bandwidth, broadening, …) must be finite and positive.
    case nonPositiveParameter(name: String, value: Double)
    /// The number of values does not match the number of mesh points.
    case valueCountMismatch(mesh: String, meshCount: Int, valueCount: Int)
    /// Two Green's functions (or a Green's function and a target mesh) live on different meshes.
    case meshMismatch(String, String)
    /// The operation needs a fermionic (or bosonic) Matsubara mesh.
    case wrongStatistic(expected: Statistic, got: Statistic)
    /// Values contain NaN or infinity where a transform needs finite data.
    case nonFiniteValues(String)
    /// Padé continuation: the continued fraction broke down (a zero coefficient denominator).
    case padeBreakdown(index: Int)

    public var description: String {
        switch self {
        case let .nonPositiveBeta(beta):
            return "inverse temperature β must be finite and positive, got \(beta)"
        case let .tooFewPoints(mesh, count, minimum):
            return "\(mesh) needs at least \(minimum) points, got \(count)"
        case let .invalidFrequencyRange(lower, upper):
            return "real-frequency range must be finite with lower < upper, got \(lower)...\(upper)"
        case let .nonPositiveParameter(name, value):
            return "\(name) must be finite and positive, got \(value)"
        case let .valueCountMismatch(mesh, meshCount, valueCount):
            return "\(mesh) has \(meshCount) points but \(valueCount) values were given"
        case let .meshMismatch(first, second):
            return "Green's functions live on different meshes: \(first) vs \(second)"
        case let .wrongStatistic(expected, got):
            return "this operation needs a \(expected) Matsubara mesh, got a \(got) one"
        case let .nonFiniteValues(what):
            return "\(what) contains NaN or infinity"
        case let .padeBreakdown(index):
            return "Padé continued fraction broke down at coefficient \(index) (zero denominator); "
                + "use fewer Matsubara points or less noisy data"
        }
    }
}
