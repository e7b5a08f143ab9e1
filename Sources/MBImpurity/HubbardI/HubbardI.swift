import ComplexModule
import Foundation
import MBGreens

/// The Hubbard-I approximation (Hubbard 1963): the atomic self-energy in the bath,
///
///     G_at(iω) = (1 − n)/(iω + μ) + n/(iω + μ − U),   Σ(iω) = iω + μ − 1/G_at(iω),
///     G(iω) = 1/(iω + μ − Δ(iω) − Σ(iω)),
///
/// with n = ⟨n_σ⟩ made self-consistent with G (n = −G(β⁻), from the tail-corrected
/// transform). Exact for Δ = 0 (it reproduces the atomic limit) and at large U/bandwidth;
/// it has no quasiparticle peak (always insulating at half filling).
public struct HubbardI: Sendable {
    public var tolerance: Double
    public var maximumIterations: Int

    public init(tolerance: Double = 1e-10, maximumIterations: Int = 500) {
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
    }

    public struct Solution: Sendable {
        public var g: MatsubaraGreensFunction
        public var sigma: MatsubaraGreensFunction
        /// ⟨n_σ⟩ per spin.
        public var occupation: Double
        public var iterations: Int
        public var converged: Bool
    }

    public func solve(hybridization delta: MatsubaraGreensFunction, U: Double, mu: Double) throws(GreensFunctionError) -> Solution {
        let mesh = delta.mesh
        let times = try ImaginaryTimeMesh(beta: mesh.beta, count: 2 * mesh.count + 1)
        var n = 0.5
        func greens(_ n: Double) -> (MatsubaraGreensFunction, MatsubaraGreensFunction) {
            let sigma = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in
                let z = Complex(mu, mesh.frequency(k))
                let atomic = Complex(1 - n, 0) / z + Complex(n, 0) / (z - Complex(U, 0))
                return z - 1 / atomic
            }
            let g = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in 1 / (Complex(mu, mesh.frequency(k)) - delta[k] - sigma[k]) }
            return (g, sigma)
        }
        for iteration in 1...maximumIterations {
            let (g, sigma) = greens(n)
            // G(β⁻) = −n; the tail c2 of G is −(μ − U n) to leading order, fitted from the data.
            let tau = try g.fourierTransformed(to: times)
            let updated = -tau[times.count - 1]
            if abs(updated - n) < tolerance {
                let (finalG, finalSigma) = greens(updated)
                return Solution(g: finalG, sigma: finalSigma, occupation: updated, iterations: iteration, converged: true)
            }
            n = 0.5 * n + 0.5 * updated
        }
        let (g, sigma) = greens(n)
        return Solution(g: g, sigma: sigma, occupation: n, iterations: maximumIterations, converged: false)
    }
}
