import Foundation

/// Real frequencies ω_j ≥ 0 with quadrature weights w_j, so that ∫₀^∞ f(ω) dω ≈ Σ_j w_j f(ω_j)
/// for smooth f decaying before the last point.
///
/// A conductivity on the grid is the array of its values σ(ω_j); `BosonicKernel` maps it to
/// Λ(τ), `interpolate(_:at:)` evaluates it elsewhere.
public struct RealFrequencyGrid: Sendable, Equatable {
    /// Frequencies, strictly increasing, the first one ≥ 0.
    public let omega: [Double]
    /// Quadrature weights, positive, one per frequency.
    public let weights: [Double]

    /// A grid from explicit points and weights (same count, ω strictly increasing from ≥ 0,
    /// weights positive; violations are programmer errors).
    public init(omega: [Double], weights: [Double]) {
        precondition(omega.count == weights.count && omega.count >= 2,
                     "RealFrequencyGrid needs at least two frequencies and one weight each, got \(omega.count) and \(weights.count)")
        precondition(omega[0] >= 0 && zip(omega, omega.dropFirst()).allSatisfy { $0 < $1 },
                     "RealFrequencyGrid frequencies must start at ≥ 0 and increase strictly")
        precondition(weights.allSatisfy { $0 > 0 && $0.isFinite }, "RealFrequencyGrid weights must be positive and finite")
        self.omega = omega
        self.weights = weights
    }

    /// Number of frequencies.
    public var count: Int { omega.count }

    /// Σ_j w_j f_j.
    public func integrate(_ values: [Double]) -> Double {
        precondition(values.count == count, "integrate: \(values.count) values for a grid of \(count) frequencies")
        var sum = 0.0
        for j in 0..<count { sum += weights[j] * values[j] }
        return sum
    }

    /// The sinh-mapped grid ω(u) = a sinh(u), u_j = j h, j = 0 … n − 1, with trapezoid weights
    /// w_j = h a cosh(u_j) (halved at both ends).
    ///
    /// The spacing is `spacingAtZero` = a h near ω = 0 and grows to the relative spacing h for
    /// ω ≫ a; n is the smallest count with ω_{n−1} ≥ `maximumFrequency` (h is then adjusted
    /// slightly so the last point is exactly `maximumFrequency`). Because ω(u) is odd and the
    /// integrands K σ are even in ω, the trapezoid rule in u is the periodic-like trapezoid rule
    /// of an analytic function: its error falls like exp(−2π d/h), where d is the half-width of
    /// the strip of analyticity in u. A Drude term γ/(ω² + γ²) has its pole at
    /// u = i arcsin(γ/a) (d ≈ γ/a for γ ≪ a), the kernel's poles (ω = 2πinT) sit at
    /// |Im u| = π/2 or beyond; so the error is ~ exp(−2πγ/spacingAtZero) for narrow Drude
    /// peaks and ~ exp(−π²/h) otherwise.
    ///
    /// Defaults (263 points): spacing 0.0025 at ω = 0 (Λ of a Drude term with γ = 0.005 to
    /// ~7e-6 relative, wider ones to ~1e-15), 5 % relative spacing above ω ≈ 0.05 (0.05 at
    /// ω = 1, 0.5 at ω = 10), up to ω = 12 000. The kernel at the smallest time decays as
    /// e^{−ωτ_min}, and a Drude tail ~ 1/ω² makes Λ(τ_min) depend on σ up to ω ~ 1/τ_min: the
    /// grid must reach ω_max ≳ 30/τ_min. For 200 times τ_k = (k + ½)/(200 T) that is 12 000 T,
    /// so the default covers T ≤ 1; scale `maximumFrequency` for other grids.
    public static func nonUniform(spacingAtZero: Double = 0.0025, relativeSpacing: Double = 0.05,
                                  maximumFrequency: Double = 12_000) -> RealFrequencyGrid {
        precondition(spacingAtZero > 0 && relativeSpacing > 0 && relativeSpacing < 1 && maximumFrequency > spacingAtZero,
                     "nonUniform needs spacingAtZero > 0, 0 < relativeSpacing < 1 and maximumFrequency > spacingAtZero, got "
                        + "\(spacingAtZero), \(relativeSpacing), \(maximumFrequency)")
        let a = spacingAtZero / relativeSpacing
        let uMaximum = asinh(maximumFrequency / a)
        let intervals = Int((uMaximum / relativeSpacing).rounded(.up))
        let h = uMaximum / Double(intervals)
        var omega = [Double](repeating: 0, count: intervals + 1)
        var weights = [Double](repeating: 0, count: intervals + 1)
        for j in 0...intervals {
            let u = Double(j) * h
            omega[j] = a * sinh(u)
            weights[j] = h * a * cosh(u) * (j == 0 || j == intervals ? 0.5 : 1)
        }
        omega[intervals] = maximumFrequency
        return RealFrequencyGrid(omega: omega, weights: weights)
    }
}
