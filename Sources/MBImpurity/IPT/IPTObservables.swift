import ComplexModule
import Foundation
import MBGreens

extension IterativePerturbationTheory {
    /// ⟨n↑n↓⟩ at half filling from the Galitskii–Migdal form of the potential energy,
    ///
    ///     U⟨n↑n↓⟩ = T Σ_{n∈ℤ} Σ(iω_n) G(iω_n) e^{iω_n0⁺}  ⇒  d = 1/4 + (2T/U) Σ_{n≥0} Re Σ2(iω_n) G(iω_n),
    ///
    /// with the Matsubara sum's 1/ω² tail, −(U²/4)/ω_n², summed analytically beyond the mesh
    /// (Σ_{n≥N} 1/(2n+1)² ≈ 1/(4N) + 1/(8N³)…, the first two terms). U = 0 gives 1/4.
    public static func doubleOccupancyHalfFilling(g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction, U: Double) -> Double {
        guard U != 0 else { return 0.25 }
        let beta = g.mesh.beta, count = g.count
        var sum = 0.0
        for n in 0..<count { sum += ((sigma[n] - Complex(U / 2, 0)) * g[n]).real }
        let N = Double(count)
        let tail = -(U * U / 4) * (beta / Double.pi) * (beta / Double.pi) * (1 / (4 * N) - 1 / (48 * N * N * N))
        return 0.25 + 2 / (beta * U) * (sum + tail)
    }

    /// G(β/2) = T Σ_{n∈ℤ} G(iω_n) e^{−iω_nβ/2} = (2/β) Σ_{n≥0} (−1)^n Im G(iω_n). The 1/(iω) tail,
    /// whose imaginary-time form is −1/2, is subtracted and added back, so the remaining sum
    /// converges like 1/N³. ≈ −A(0)/(2T) in a metal at low T, → 0 in an insulator.
    public static func gAtHalfBeta(_ g: MatsubaraGreensFunction) -> Double {
        var sum = 0.0
        for n in 0..<g.count { sum += (n % 2 == 0 ? 1 : -1) * (g[n].imaginary + 1 / g.mesh.frequency(n)) }
        return -0.5 + 2 / g.mesh.beta * sum
    }
}
