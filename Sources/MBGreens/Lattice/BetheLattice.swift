import ComplexModule
import Foundation
import RealModule

/// The Bethe lattice with infinite coordination: semicircular density of states of half
/// bandwidth D (energy units; D = 1 unless given), ρ(ε) = (2/(πD²)) √(D² − ε²) for |ε| ≤ D.
///
/// Its local Green's function is the Hilbert transform G(z) = ∫ρ(ε)/(z − ε) dε
/// = 2(z − s√(z² − D²))/D², with the branch s√(z² − D²) = √(z − D)·√(z + D) (principal roots),
/// which is analytic off the band [−D, D], behaves as z for large |z| (so G ~ 1/z), and gives
/// Im G < 0 for Im z > 0. The DMFT self-consistency reads Δ(iω) = t²G(iω) with hopping t = D/2
/// (Georges, Kotliar, Krauth, Rozenberg, Rev. Mod. Phys. 68, 13 (1996), section VI.A).
public struct BetheLattice: Sendable, Equatable {
    /// Half bandwidth D > 0.
    public let halfBandwidth: Double

    /// Throws for D ≤ 0 or non-finite D.
    public init(halfBandwidth: Double = 1) throws(GreensFunctionError) {
        guard halfBandwidth.isFinite, halfBandwidth > 0 else {
            throw .nonPositiveParameter(name: "half bandwidth D", value: halfBandwidth)
        }
        self.halfBandwidth = halfBandwidth
    }

    /// The nearest-neighbour hopping t = D/2 (scaled as t/√z for coordination z → ∞).
    public var hopping: Double { halfBandwidth / 2 }

    /// ρ(ε) = (2/(πD²)) √(D² − ε²), zero outside the band; ∫ρ = 1.
    public func densityOfStates(_ energy: Double) -> Double {
        let d = halfBandwidth
        guard abs(energy) < d else { return 0 }
        return 2 / (Double.pi * d * d) * ((d - energy) * (d + energy)).squareRoot()
    }

    /// G(z) = ∫ρ(ε)/(z − ε) dε for any z off the band. On the real axis inside the band
    /// (Im z = 0, |Re z| < D) the retarded limit z + i0⁺ is returned.
    public func hilbertTransform(_ z: Complex<Double>) -> Complex<Double> {
        let d = halfBandwidth
        if z.imaginary == 0 && abs(z.real) < d {
            let root = ((d - z.real) * (d + z.real)).squareRoot()
            return Complex(2 * z.real / (d * d), -2 * root / (d * d))
        }
        let root = Complex.sqrt(z - Complex(d)) * Complex.sqrt(z + Complex(d))
        return (z - root).multiplied(by: 2 / (d * d))
    }

    /// G(iω_n) = ∫ρ(ε)/(iω_n + μ − ε − Σ(iω_n)) dε, the lattice Green's function for a local
    /// self-energy (Σ = 0 if nil; its mesh must equal `mesh`, checked).
    public func greensFunction(on mesh: MatsubaraMesh, chemicalPotential: Double = 0,
                               selfEnergy: MatsubaraGreensFunction? = nil) throws(GreensFunctionError) -> MatsubaraGreensFunction {
        let zeros = MatsubaraGreensFunction(zerosOn: mesh)
        let sigma = selfEnergy ?? zeros
        try zeros.checkSameMesh(sigma)
        return MatsubaraGreensFunction(mesh: mesh, valueAtIndex: { index in
            hilbertTransform(Complex(chemicalPotential, mesh.frequency(index)) - sigma[index])
        })
    }

    /// The self-consistent hybridisation Δ(iω) = t²G(iω), t = D/2.
    public func hybridization(from localGreensFunction: MatsubaraGreensFunction) -> MatsubaraGreensFunction {
        localGreensFunction * (hopping * hopping)
    }
}
