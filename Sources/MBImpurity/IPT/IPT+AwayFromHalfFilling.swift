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
    /// with n the occupation of G = 1/(iω + μ − Δ − Σ), n0 that of G̃0, and μ0 fixed by n0 = n
    /// (bisection). Exact at U = 0, in the atomic limit (Δ = 0) and at large frequency (it has
    /// the exact 1/iω moment); at half filling μ0 = 0, A = 1, B = 0: ordinary IPT.
    public func solve(hybridization delta: MatsubaraGreensFunction, U: Double, mu: Double) throws(GreensFunctionError) -> Solution {
        let mesh = delta.mesh
        let times = try ImaginaryTimeMesh(beta: mesh.beta, count: timeFactor * mesh.count + 1)
        func occupation(_ g: MatsubaraGreensFunction) throws(GreensFunctionError) -> Double {
            -(try g.fourierTransformed(to: times))[times.count - 1]
        }
        /// G for a trial μ0, with n0 and n.
        func attempt(_ mu0: Double) throws(GreensFunctionError) -> (solution: Solution, mismatch: Double) {
            let weiss = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in 1 / (Complex(mu0, mesh.frequency(k)) - delta[k]) }
            let n0 = try occupation(weiss)
            let sigma2 = try secondOrderSelfEnergy(weissField: weiss, U: U)
            // n enters Σ; iterate it to self-consistency for this μ0.
            var n = n0, g = weiss, sigma = sigma2
            for _ in 0..<200 {
                let a = n * (1 - n) / (n0 * (1 - n0))
                let b = ((1 - n) * U - mu + mu0) / (n0 * (1 - n0) * U * U)
                sigma = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in
                    Complex(U * n, 0) + Complex(a, 0) * sigma2[k] / (1 - Complex(b, 0) * sigma2[k])
                }
                g = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in 1 / (Complex(mu, mesh.frequency(k)) - delta[k] - sigma[k]) }
                let updated = try occupation(g)
                if abs(updated - n) < 1e-12 { n = updated; break }
                n = 0.5 * n + 0.5 * updated
            }
            return (Solution(g: g, sigma: sigma, occupation: n, pseudoChemicalPotential: mu0), n0 - n)
        }
        if U == 0 { return try attempt(mu).solution }
        // Bracket the root of n0(μ0) − n(μ0) (n0 rises with μ0 much faster than n), then bisect.
        var low = mu - U - 1, high = mu + 1
        var lowMismatch = try attempt(low).mismatch, highMismatch = try attempt(high).mismatch
        var widen = 0
        while lowMismatch * highMismatch > 0 && widen < 20 {
            low -= 2 * U + 1
            high += 2 * U + 1
            lowMismatch = try attempt(low).mismatch
            highMismatch = try attempt(high).mismatch
            widen += 1
        }
        var best = try attempt((low + high) / 2)
        for _ in 0..<60 {
            let middle = (low + high) / 2
            best = try attempt(middle)
            if abs(best.mismatch) < 1e-11 || high - low < 1e-12 { break }
            if (best.mismatch < 0) == (lowMismatch < 0) { low = middle; lowMismatch = best.mismatch } else { high = middle }
        }
        return best.solution
    }
}
