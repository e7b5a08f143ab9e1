import ComplexModule
import Foundation
import MBGreens

/// Iterated perturbation theory (Georges & Kotliar 1992; Georges, Kotliar, Krauth, Rozenberg,
/// Rev. Mod. Phys. 68, 13 (1996), §VI): the self-energy to second order in U, evaluated with
/// the Hartree-shifted Weiss field G0,
///
///     Σ(iω) = U n + Σ2(iω),   Σ2(τ) = U² G0(τ)² G0(β − τ)   (= −U² G0(τ) G0(−τ) G0(τ)),
///
/// which is exact at U = 0, in the atomic limit at half filling, and interpolates the Mott
/// transition. Half filling only (μ = U/2, particle–hole symmetric bath): there the Hartree
/// term U/2 cancels μ and G0⁻¹ = iω − Δ(iω).
///
/// Transforms: G0(iω) → G0(τ) and Σ2(τ) → Σ2(iω) with the tail-corrected FFTW transforms of
/// `MBGreens` on `timeFactor`·count + 1 times (default 2: τ spacing β/(2N), as fine as the Matsubara mesh resolves).
public struct IterativePerturbationTheory: Sendable {
    public var timeFactor: Int

    public init(timeFactor: Int = 2) {
        precondition(timeFactor >= 2, "IPT needs at least 2 τ points per frequency, got \(timeFactor)")
        self.timeFactor = timeFactor
    }

    /// Σ2(iω) on the Weiss field's mesh from G0(iω).
    public func secondOrderSelfEnergy(weissField g0: MatsubaraGreensFunction, U: Double) throws(GreensFunctionError) -> MatsubaraGreensFunction {
        let mesh = g0.mesh
        let times = try ImaginaryTimeMesh(beta: mesh.beta, count: timeFactor * mesh.count + 1)
        let g0Tau = try g0.fourierTransformed(to: times).values
        let last = g0Tau.count - 1
        let sigmaTau = try ImaginaryTimeGreensFunction(mesh: times) { (k: Int) in U * U * g0Tau[k] * g0Tau[k] * g0Tau[last - k] }
        return try sigmaTau.fourierTransformed(to: mesh)
    }

    /// Solves the half-filled impurity problem with hybridisation Δ(iω): G0 = 1/(iω − Δ),
    /// Σ2 from G0, G = 1/(G0⁻¹ − Σ2). Returns G and the full Σ = U/2 + Σ2.
    ///
    /// Particle–hole symmetry makes Δ, G0, Σ2 and G purely imaginary on the Matsubara axis; the
    /// real parts (rounding only) are dropped from Δ and Σ2, so that a DMFT iteration cannot
    /// drift onto a symmetry-broken fixed point for which U/2 would be the wrong Hartree term.
    public func solveHalfFilling(hybridization delta: MatsubaraGreensFunction, U: Double) throws(GreensFunctionError)
        -> (g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction) {
        let inverseWeiss = MatsubaraGreensFunction(mesh: delta.mesh) { (n: Int) in
            Complex(0, delta.mesh.frequency(n) - delta[n].imaginary)
        }
        let sigma2 = try secondOrderSelfEnergy(weissField: inverseWeiss.inverted(), U: U).mapValues { Complex(0, $0.imaginary) }
        let g = (inverseWeiss - sigma2).inverted()
        return (g, sigma2.mapValues { $0 + Complex(U / 2, 0) })
    }
}
