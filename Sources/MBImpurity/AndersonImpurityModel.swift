import ComplexModule
import RealModule

/// The single-orbital, spin-degenerate Anderson impurity model with a discrete bath:
///
///     H = U n↑n↓ − μ (n↑ + n↓) + Σ_{i,σ} ε_i n_{iσ} + Σ_{i,σ} V_i (c†_σ a_{iσ} + a†_{iσ} c_σ),
///
/// with impurity operators c_σ, n_σ = c†_σ c_σ, and `bathSiteCount` = Nb bath sites a_{iσ}
/// (energies ε_i, real hoppings V_i), at inverse temperature β. All energies share one unit
/// (for the Bethe lattice: the half bandwidth D = 1); β is in inverse energy units.
///
/// The bath enters the impurity Green's function only through the hybridisation function
/// Δ(iω) = Σ_i V_i² / (iω − ε_i); with it the non-interacting Green's function is
/// G0(iω) = 1 / (iω + μ − Δ(iω)).
///
/// U < 0 (attractive Hubbard interaction) is accepted: the Hamiltonian is still Hermitian and
/// every solver here is exact for it; it is the caller's business whether it is meaningful.
/// Nb = 0 (empty bath lists) is the atomic limit.
public struct AndersonImpurityModel: Sendable, Equatable {
    /// Hubbard interaction on the impurity (energy units).
    public let U: Double
    /// Chemical potential μ (energy units); μ = U/2 with a symmetric bath is half filling.
    public let mu: Double
    /// Inverse temperature β > 0 (inverse energy units).
    public let beta: Double
    /// Bath energies ε_i, one per bath site.
    public let bathEnergies: [Double]
    /// Hoppings V_i between the impurity and bath site i (same order as `bathEnergies`).
    public let bathHoppings: [Double]

    /// - Throws: `AndersonImpurityModelError` if β ≤ 0, any value is not finite, or the bath
    ///   lists differ in length.
    public init(U: Double, mu: Double, beta: Double, bathEnergies: [Double] = [], bathHoppings: [Double] = []) throws(AndersonImpurityModelError) {
        guard beta.isFinite, beta > 0 else { throw .nonPositiveBeta(beta) }
        guard U.isFinite else { throw .nonFinite(field: "U", index: nil, value: U) }
        guard mu.isFinite else { throw .nonFinite(field: "mu", index: nil, value: mu) }
        guard bathEnergies.count == bathHoppings.count else {
            throw .bathLengthMismatch(energies: bathEnergies.count, hoppings: bathHoppings.count)
        }
        if let i = bathEnergies.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(field: "bathEnergies", index: i, value: bathEnergies[i])
        }
        if let i = bathHoppings.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(field: "bathHoppings", index: i, value: bathHoppings[i])
        }
        self.U = U
        self.mu = mu
        self.beta = beta
        self.bathEnergies = bathEnergies
        self.bathHoppings = bathHoppings
    }

    /// Nb, the number of bath sites.
    public var bathSiteCount: Int { bathEnergies.count }

    /// Fermionic Matsubara frequencies ω_n = (2n + 1)π/β for n = 0..<count.
    public func matsubaraFrequencies(count: Int) -> [Double] {
        AndersonImpurityModel.matsubaraFrequencies(count: count, beta: beta)
    }

    /// Fermionic Matsubara frequencies ω_n = (2n + 1)π/β for n = 0..<count.
    public static func matsubaraFrequencies(count: Int, beta: Double) -> [Double] {
        precondition(count >= 0, "matsubaraFrequencies: count \(count) < 0")
        return (0..<count).map { Double(2 * $0 + 1) * .pi / beta }
    }

    /// Imaginary times τ_k = kβ/(count − 1), k = 0..<count, both ends included (count ≥ 2).
    public static func imaginaryTimes(count: Int, beta: Double) -> [Double] {
        precondition(count >= 2, "imaginaryTimes: count \(count) < 2")
        return (0..<count).map { k in k == count - 1 ? beta : Double(k) * beta / Double(count - 1) }
    }

    /// Δ(iω_n) = Σ_i V_i² / (iω_n − ε_i) at ω_n = (2n + 1)π/β, n = 0..<count.
    public func hybridization(count: Int) -> [Complex<Double>] {
        hybridization(atFrequencies: matsubaraFrequencies(count: count))
    }

    /// Δ(iω) = Σ_i V_i² / (iω − ε_i) at the given real ω (the imaginary parts of iω).
    public func hybridization(atFrequencies omegas: [Double]) -> [Complex<Double>] {
        AndersonImpurityModel.hybridization(energies: bathEnergies, hoppings: bathHoppings, atFrequencies: omegas)
    }

    /// Δ(iω) = Σ_i V_i² / (iω − ε_i) for a discrete bath; 1/(iω − ε) = (−ε − iω)/(ω² + ε²).
    public static func hybridization(energies: [Double], hoppings: [Double], atFrequencies omegas: [Double]) -> [Complex<Double>] {
        precondition(energies.count == hoppings.count, "hybridization: \(energies.count) energies, \(hoppings.count) hoppings")
        return omegas.map { w in
            var re = 0.0, im = 0.0
            for (e, v) in zip(energies, hoppings) {
                let s = v * v / (w * w + e * e)
                re -= s * e
                im -= s * w
            }
            return Complex(re, im)
        }
    }

    /// G0(iω_n) = 1 / (iω_n + μ − Δ(iω_n)), n = 0..<count: the U = 0 impurity Green's function.
    public func nonInteractingGreensFunction(count: Int) -> [Complex<Double>] {
        inverseNonInteractingGreensFunction(count: count).map { 1 / $0 }
    }

    /// G0⁻¹(iω_n) = iω_n + μ − Δ(iω_n), n = 0..<count.
    public func inverseNonInteractingGreensFunction(count: Int) -> [Complex<Double>] {
        let omegas = matsubaraFrequencies(count: count)
        return zip(omegas, hybridization(atFrequencies: omegas)).map { w, d in Complex(mu, w) - d }
    }
}
