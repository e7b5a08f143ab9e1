import Foundation

/// The kernel of the optical conductivity on the imaginary axis.
///
/// The current–current correlation Λ(τ) and the (even, non-negative) conductivity σ(ω) are
/// related by
///
///     Λ(τ) = ∫₀^∞ dω K(τ, ω) σ(ω),   K(τ, ω) = (1/π) ω cosh(ω(β/2 − τ)) / sinh(βω/2),
///
/// for 0 ≤ τ ≤ β = 1/T, with K(τ, 0) = 2/(πβ). K is even in ω, symmetric under τ → β − τ,
/// and ∫₀^β K(τ, ω) dτ = 2/π, which gives the sum rule ∫₀^∞ σ dω = (π/2) ∫₀^β Λ dτ.
/// It is evaluated in the overflow-free form
///
///     K(τ, ω) = (ω/π) (e^{−ωτ} + e^{−ω(β−τ)}) / (1 − e^{−βω}),
///
/// with `expm1` in the denominator, so it is accurate for βω → 0 and for βω in the thousands
/// (where the exponentials underflow to 0 instead of overflowing).
public enum BosonicKernel {
    /// K(τ, ω) at one point (formula above); `omega` may be negative (K is even in ω).
    /// Defined for 0 ≤ τ ≤ β; outside that range the same formula is simply evaluated.
    public static func value(tau: Double, omega: Double, beta: Double) -> Double {
        let w = abs(omega)
        if w == 0 { return 2 / (Double.pi * beta) }
        let numerator = exp(-w * tau) + exp(-w * (beta - tau))
        return w * numerator / (-expm1(-beta * w)) / Double.pi
    }

    /// K(τ_i, ω_j) for every time and grid frequency: a flat row-major matrix of
    /// `tau.count × grid.count` elements, element `[i * grid.count + j]`.
    ///
    /// The quadrature weights are NOT included: Λ(τ_i) ≈ Σ_j K[i, j] w_j σ(ω_j) (see
    /// `imaginaryTime(sigma:grid:tau:beta:)`).
    public static func matrix(tau: [Double], grid: RealFrequencyGrid, beta: Double) -> [Double] {
        let columns = grid.count
        var k = [Double](repeating: 0, count: tau.count * columns)
        let omega = grid.omega
        k.withUnsafeMutableBufferPointer { out in
            for (i, t) in tau.enumerated() {
                for j in 0..<columns { out[i * columns + j] = value(tau: t, omega: omega[j], beta: beta) }
            }
        }
        return k
    }

    /// Λ(τ_i) = Σ_j K(τ_i, ω_j) w_j σ(ω_j): the forward map of a conductivity given on `grid`
    /// (`sigma.count == grid.count`) with the grid's quadrature weights.
    public static func imaginaryTime(sigma: [Double], grid: RealFrequencyGrid, tau: [Double], beta: Double) -> [Double] {
        precondition(sigma.count == grid.count,
                     "imaginaryTime: sigma has \(sigma.count) values but the grid has \(grid.count) frequencies")
        let weighted = zip(sigma, grid.weights).map { $0 * $1 }
        return tau.map { t in
            var sum = 0.0
            for j in 0..<grid.count { sum += value(tau: t, omega: grid.omega[j], beta: beta) * weighted[j] }
            return sum
        }
    }
}
