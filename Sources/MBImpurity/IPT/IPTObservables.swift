import ComplexModule
import Foundation
import MBGreens

extension IterativePerturbationTheory {
    /// G(β/2) = T Σ_{n∈ℤ} G(iω_n) e^{−iω_nβ/2} = (2/β) Σ_{n≥0} (−1)^n Im G(iω_n). The 1/(iω) tail,
    /// whose imaginary-time form is −1/2, is subtracted and added back, so the remaining sum
    /// converges like 1/N³. ≈ −A(0)/(2T) in a metal at low T, → 0 in an insulator.
    public static func gAtHalfBeta(_ g: MatsubaraGreensFunction) -> Double {
        var sum = 0.0
        for n in 0..<g.count { sum += (n % 2 == 0 ? 1 : -1) * (g[n].imaginary + 1 / g.mesh.frequency(n)) }
        return -0.5 + 2 / g.mesh.beta * sum
    }
}
