import MBTensor

/// Why a maximum-entropy continuation could not produce a result. User data never traps: every
/// problem with the times, values or errors given to `MaxEnt.solve` is one of these.
public enum MaxEntError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `tau`, `data` and `errors` must have one entry per imaginary time.
    case lengthMismatch(tau: Int, data: Int, errors: Int)
    /// At least `minimum` imaginary times are needed.
    case tooFewTimes(count: Int, minimum: Int)
    /// β must be positive and finite.
    case invalidBeta(Double)
    /// A NaN or infinite value; `quantity` is "tau", "data" or "errors".
    case nonFinite(quantity: String, index: Int)
    /// Every error bar must be positive.
    case nonPositiveError(index: Int, value: Double)
    /// The times must increase strictly: `tau[index] ≤ tau[index − 1]`.
    case nonMonotonicTau(index: Int)
    /// A time outside [0, β].
    case tauOutOfRange(index: Int, tau: Double, beta: Double)
    /// The real-frequency grid ends at `maximumFrequency`, but the kernel at the smallest
    /// distance of a time from 0 or β decays only by ω ~ `required` (25 / that distance).
    case frequencyGridTooShort(maximumFrequency: Double, required: Double)
    /// (π/2) ∫₀^β Λ dτ, the total spectral weight used to normalise the default model, is not
    /// positive: Λ(τ) of a non-negative σ is positive.
    case nonPositiveSumRule(Double)
    /// A custom default model must have one positive, finite value per grid frequency.
    case invalidDefaultModel(String)
    /// The configuration is unusable (e.g. an empty α range).
    case invalidConfiguration(String)
    /// Newton's iteration at α did not reach the tolerance within the allowed iterations.
    case didNotConverge(alpha: Double, iterations: Int)
    /// The α-selection rule found no α (the reason says which).
    case alphaSelectionFailed(String)
    /// A LAPACK routine failed (SVD of the kernel).
    case linearAlgebra(LinearAlgebraError)

    public var description: String {
        switch self {
        case let .lengthMismatch(tau, data, errors):
            "MaxEnt: lengths differ: \(tau) times, \(data) values, \(errors) errors (need one value and one error per time)"
        case let .tooFewTimes(count, minimum):
            "MaxEnt: \(count) imaginary times given, at least \(minimum) needed"
        case let .invalidBeta(beta):
            "MaxEnt: inverse temperature β = \(beta) must be positive and finite"
        case let .nonFinite(quantity, index):
            "MaxEnt: \(quantity)[\(index)] is not finite (NaN or infinite)"
        case let .nonPositiveError(index, value):
            "MaxEnt: errors[\(index)] = \(value); every error bar must be positive"
        case let .nonMonotonicTau(index):
            "MaxEnt: imaginary times must increase strictly, but tau[\(index)] ≤ tau[\(index - 1)]"
        case let .tauOutOfRange(index, tau, beta):
            "MaxEnt: tau[\(index)] = \(tau) is outside [0, β = \(beta)]"
        case let .frequencyGridTooShort(maximum, required):
            "MaxEnt: the real-frequency grid ends at ω = \(maximum) but the smallest time needs ω up to ≈ \(required); "
                + "use RealFrequencyGrid.nonUniform(maximumFrequency:) with a larger maximum"
        case let .nonPositiveSumRule(value):
            "MaxEnt: the data's sum rule (π/2)∫Λ dτ = \(value) is not positive; Λ(τ) of a conductivity must be positive"
        case let .invalidDefaultModel(reason):
            "MaxEnt: invalid default model: \(reason)"
        case let .invalidConfiguration(reason):
            "MaxEnt: invalid configuration: \(reason)"
        case let .didNotConverge(alpha, iterations):
            "MaxEnt: Newton iteration at α = \(alpha) did not converge in \(iterations) iterations"
        case let .alphaSelectionFailed(reason):
            "MaxEnt: could not select α: \(reason)"
        case let .linearAlgebra(error):
            "MaxEnt: \(error)"
        }
    }
}
