import ComplexModule
import Foundation
import MBGreens

extension IterativePerturbationTheory {
    public struct Solution: Sendable {
        public var g: MatsubaraGreensFunction
        public var sigma: MatsubaraGreensFunction
        /// ⟨n_σ⟩ of G.
        public var occupation: Double
        /// The pseudo-chemical potential μ0 of the Weiss field G̃0 = 1/(iω + μ0 − Δ).
        public var pseudoChemicalPotential: Double
    }

    /// IPT at any filling by the interpolation of Kajueter & Kotliar (PRL 77, 131 (1996)):
    ///
    ///     Σ = U n + A Σ2 / (1 − B Σ2),   Σ2 from G̃0 = 1/(iω + μ0 − Δ),
    ///     A = n(1 − n)/(n0(1 − n0)),   B = ((1 − n)U − μ + μ0)/(n0(1 − n0)U²),
    ///
    /// with n the occupation of G = 1/(iω + μ − Δ − Σ), n0 that of G̃0, and μ0 fixed by n0 = n.
    /// Exact at U = 0, in the atomic limit (Δ = 0) and at large frequency (it has the exact 1/iω
    /// moment); at half filling μ0 = 0, A = 1, B = 0: ordinary IPT.
    ///
    /// Numerics (all to the same tolerances as the first, bisection-based version, which it
    /// reproduces to ≲ 1e-10; tested against it): occupations are n = −G(β⁻) from the
    /// tail-corrected Matsubara sum (`matsubaraOccupation`, the τ = β⁻ point of the FFT without
    /// the FFT); for each trial μ0 the self-consistent n of Σ(n) is found by the secant method
    /// (|n_out − n_in| < 1e-12), and μ0 by Brent's method on n0(μ0) − n(μ0)
    /// (|n0 − n| < 1e-11 or a bracket below 1e-12), after bracketing the root.
    public func solve(hybridization delta: MatsubaraGreensFunction, U: Double, mu: Double) throws(GreensFunctionError) -> Solution {
        let mesh = delta.mesh
        /// G for a trial μ0, with n0 and n.
        func attempt(_ mu0: Double) throws(GreensFunctionError) -> (solution: Solution, mismatch: Double) {
            let weiss = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in 1 / (Complex(mu0, mesh.frequency(k)) - delta[k]) }
            let n0 = try matsubaraOccupation(weiss)
            let sigma2 = try secondOrderSelfEnergy(weissField: weiss, U: U)
            /// G and Σ for an occupation n entering Σ, and the occupation of that G.
            func evaluate(_ n: Double) throws(GreensFunctionError) -> (g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction, output: Double) {
                let a = n * (1 - n) / (n0 * (1 - n0))
                let b = ((1 - n) * U - mu + mu0) / (n0 * (1 - n0) * U * U)
                let sigma = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in
                    Complex(U * n, 0) + Complex(a, 0) * sigma2[k] / (1 - Complex(b, 0) * sigma2[k])
                }
                let g = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in 1 / (Complex(mu, mesh.frequency(k)) - delta[k] - sigma[k]) }
                return (g, sigma, try matsubaraOccupation(g))
            }
            // Fixed point n = F(n) by the secant method on F(n) − n, from n0 (falling back to a
            // damped step when the secant is undefined or leaves [0, 1]).
            var n = n0
            var current = try evaluate(n)
            var previous: (n: Double, residual: Double)? = nil
            for _ in 0..<200 {
                let residual = current.output - n
                if abs(residual) < 1e-12 { return (Solution(g: current.g, sigma: current.sigma, occupation: current.output,
                                                            pseudoChemicalPotential: mu0), n0 - current.output) }
                var next = n + 0.5 * residual
                if let previous, residual != previous.residual {
                    let secant = n - residual * (n - previous.n) / (residual - previous.residual)
                    if secant.isFinite && secant > 0 && secant < 1 { next = secant }
                }
                previous = (n, residual)
                n = next
                current = try evaluate(n)
            }
            return (Solution(g: current.g, sigma: current.sigma, occupation: n, pseudoChemicalPotential: mu0), n0 - n)
        }
        if U == 0 { return try attempt(mu).solution }
        // Bracket the root of n0(μ0) − n(μ0) (n0 rises with μ0 much faster than n).
        var low = mu - U - 1, high = mu + 1
        var lowAttempt = try attempt(low), highAttempt = try attempt(high)
        var widen = 0
        while lowAttempt.mismatch * highAttempt.mismatch > 0 && widen < 20 {
            low -= 2 * U + 1
            high += 2 * U + 1
            lowAttempt = try attempt(low)
            highAttempt = try attempt(high)
            widen += 1
        }
        // Brent's method (Numerical Recipes' zbrent): b is the best estimate, [b, c] brackets the root.
        typealias Point = (x: Double, f: Double, solution: Solution)
        var a: Point = (low, lowAttempt.mismatch, lowAttempt.solution)
        var b: Point = (high, highAttempt.mismatch, highAttempt.solution)
        var c = b
        var d = b.x - a.x, e = d
        for _ in 0..<100 {
            if (b.f > 0) == (c.f > 0) {
                c = a
                d = b.x - a.x
                e = d
            }
            if abs(c.f) < abs(b.f) {
                a = b
                b = c
                c = a
            }
            let tolerance = 2 * Double.ulpOfOne * abs(b.x) + 0.5e-12
            let half = 0.5 * (c.x - b.x)
            if abs(b.f) < 1e-11 || abs(half) <= tolerance { break }
            if abs(e) >= tolerance && abs(a.f) > abs(b.f) {
                let s = b.f / a.f
                var p: Double, q: Double
                if a.x == c.x {
                    p = 2 * half * s
                    q = 1 - s
                } else {
                    let qa = a.f / c.f, r = b.f / c.f
                    p = s * (2 * half * qa * (qa - r) - (b.x - a.x) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q }
                p = abs(p)
                if 2 * p < min(3 * half * q - abs(tolerance * q), abs(e * q)) {
                    e = d
                    d = p / q
                } else {
                    d = half
                    e = d
                }
            } else {
                d = half
                e = d
            }
            a = b
            let x = b.x + (abs(d) > tolerance ? d : (half > 0 ? tolerance : -tolerance))
            let trial = try attempt(x)
            b = (x, trial.mismatch, trial.solution)
        }
        return b.solution
    }
}

/// ⟨n⟩ = −G(β⁻) of a fermionic G(iω_n) given for n = 0..<N: with the tail c1/(iω) + c2/(iω)² +
/// c3/(iω)³ fitted as in the Fourier transform (`HighFrequencyTail.fitted(to:c1:)`, c1 = 1),
///
///     n = 1/2 − βc2/4 + (2/β) Σ_{n<N} Re [G(iω_n) − tail(iω_n)],
///
/// which is the τ = β⁻ point of `fourierTransformed(to:)` (the same sum, without the FFT).
func matsubaraOccupation(_ g: MatsubaraGreensFunction) throws(GreensFunctionError) -> Double {
    let tail = try HighFrequencyTail.fitted(to: g, c1: 1)
    var sum = 0.0
    for n in 0..<g.count { sum += g[n].real - tail.value(at: Complex(0, g.mesh.frequency(n))).real }
    let beta = g.mesh.beta
    return 0.5 - beta * tail.c2 / 4 + 2 * sum / beta
}
