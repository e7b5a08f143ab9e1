import ComplexModule
import RealModule
import Foundation

/// The thermal state of an `AndersonImpurityModel` as found by a solver: the impurity
/// Green's function (spin-degenerate, G↑ = G↓, given per spin) and static observables.
///
/// Conventions: G(τ) = −⟨T c(τ) c†(0)⟩, so G(0⁺) = n↑ − 1 and G(β⁻) = −n↑;
/// ω_n = (2n + 1)π/β; Σ(iω) = G0⁻¹(iω) − G⁻¹(iω) with G0⁻¹ = iω + μ − Δ(iω). Energies in the
/// model's units.
///
/// G is held as poles (`poles`, the Lehmann sum, used for G(τ) and, without continued
/// fractions, for G(iω)). The Krylov solver also keeps its continued fractions
/// (`continuedFractions`), from which G(iω) is evaluated; both describe the same G.
public struct ImpuritySolution: Sendable {
    /// The solved model.
    public let model: AndersonImpurityModel
    /// G↑ as a pole sum Σ_k w_k/(iω − ε_k).
    public let poles: PoleExpansion
    /// The Krylov solver's G↑ as a sum of weighted continued fractions (empty for full ED).
    public let continuedFractions: [ContinuedFraction]
    /// ⟨n↑⟩ on the impurity.
    public let occupationUp: Double
    /// ⟨n↓⟩ on the impurity (equal to ⟨n↑⟩ for this spin-degenerate model, up to rounding).
    public let occupationDown: Double
    /// ⟨n↑n↓⟩ on the impurity.
    public let doubleOccupancy: Double
    /// ⟨H⟩ of the full Hamiltonian (impurity, bath, hybridisation, including −μN_imp).
    public let energy: Double
    /// The lowest eigenvalue E0 of H over all particle-number blocks.
    public let groundStateEnergy: Double
    /// ln Z with Z = Tr e^{−βH} (grand canonical in the impurity's μ); Z itself may overflow.
    public let logPartitionFunction: Double
    /// Eigenstates carried into the Lehmann sums (Boltzmann weight above the cutoff).
    public let retainedStateCount: Int
    /// Full ED's block form of the Lehmann sum, which gives G(τ) by GEMMs instead of one
    /// exponential per pole and τ (same values as `poles` up to rounding).
    let lehmannBlocks: LehmannBlockSum?

    public init(model: AndersonImpurityModel, poles: PoleExpansion, continuedFractions: [ContinuedFraction] = [],
                occupationUp: Double, occupationDown: Double, doubleOccupancy: Double, energy: Double,
                groundStateEnergy: Double, logPartitionFunction: Double, retainedStateCount: Int) {
        self.init(model: model, poles: poles, continuedFractions: continuedFractions, occupationUp: occupationUp,
                  occupationDown: occupationDown, doubleOccupancy: doubleOccupancy, energy: energy,
                  groundStateEnergy: groundStateEnergy, logPartitionFunction: logPartitionFunction,
                  retainedStateCount: retainedStateCount, lehmannBlocks: nil)
    }

    init(model: AndersonImpurityModel, poles: PoleExpansion, continuedFractions: [ContinuedFraction] = [],
         occupationUp: Double, occupationDown: Double, doubleOccupancy: Double, energy: Double,
         groundStateEnergy: Double, logPartitionFunction: Double, retainedStateCount: Int, lehmannBlocks: LehmannBlockSum?) {
        self.model = model
        self.poles = poles
        self.continuedFractions = continuedFractions
        self.occupationUp = occupationUp
        self.occupationDown = occupationDown
        self.doubleOccupancy = doubleOccupancy
        self.energy = energy
        self.groundStateEnergy = groundStateEnergy
        self.logPartitionFunction = logPartitionFunction
        self.retainedStateCount = retainedStateCount
        self.lehmannBlocks = lehmannBlocks
    }

    /// Z = e^{ln Z}; +∞ when it overflows (use `logPartitionFunction`).
    public var partitionFunction: Double { Foundation.exp(logPartitionFunction) }

    /// G↑(iω_n) for n = 0..<count.
    public func greensFunction(matsubaraCount count: Int) -> [Complex<Double>] {
        let omegas = model.matsubaraFrequencies(count: count)
        if continuedFractions.isEmpty { return poles.evaluate(atFrequencies: omegas) }
        var result = [Complex<Double>](repeating: .zero, count: count)
        for fraction in continuedFractions {
            for (n, omega) in omegas.enumerated() { result[n] += fraction.evaluate(at: Complex(0, omega)) }
        }
        return result
    }

    /// G↑(τ) at the given τ ∈ [0, β] (τ = 0 is 0⁺, τ = β is β⁻).
    /// - Throws: `ImpuritySolverError.imaginaryTimeOutOfRange`.
    public func greensFunction(imaginaryTimes taus: [Double]) throws(ImpuritySolverError) -> [Double] {
        guard let lehmannBlocks else { return try poles.imaginaryTime(taus) }
        for tau in taus where !(tau >= 0 && tau <= model.beta) {
            throw .imaginaryTimeOutOfRange(tau: tau, beta: model.beta)
        }
        return lehmannBlocks.imaginaryTime(taus)
    }

    /// G↑(τ_k) on τ_k = kβ/(count − 1), k = 0..<count (both ends).
    public func greensFunction(imaginaryTimeCount count: Int) -> [Double] {
        // The grid lies in [0, β] by construction, so this cannot throw.
        (try? greensFunction(imaginaryTimes: AndersonImpurityModel.imaginaryTimes(count: count, beta: model.beta))) ?? []
    }

    /// Σ(iω_n) = iω_n + μ − Δ(iω_n) − 1/G(iω_n) for n = 0..<count.
    public func selfEnergy(matsubaraCount count: Int) -> [Complex<Double>] {
        zip(model.inverseNonInteractingGreensFunction(count: count), greensFunction(matsubaraCount: count))
            .map { g0Inverse, g in g0Inverse - 1 / g }
    }
}

/// w / (z − a_0 − b_1²/(z − a_1 − b_2²/(z − a_2 − …))): the resolvent ⟨v|(z − T)⁻¹|v⟩·w of a
/// Jacobi (tridiagonal) matrix T with diagonal a and off-diagonal b (b[0] unused, b[j]
/// couples j − 1 and j), starting from its first basis vector.
public struct ContinuedFraction: Sendable {
    public let weight: Double
    public let diagonal: [Double]
    public let offDiagonal: [Double]

    public init(weight: Double, diagonal: [Double], offDiagonal: [Double]) {
        precondition(diagonal.count == offDiagonal.count && !diagonal.isEmpty,
                     "ContinuedFraction: \(diagonal.count) diagonal, \(offDiagonal.count) off-diagonal entries")
        self.weight = weight
        self.diagonal = diagonal
        self.offDiagonal = offDiagonal
    }

    /// The fraction at complex z, evaluated from the bottom up.
    public func evaluate(at z: Complex<Double>) -> Complex<Double> {
        var g = Complex<Double>.zero
        for j in stride(from: diagonal.count - 1, through: 0, by: -1) {
            let b2 = j + 1 < diagonal.count ? offDiagonal[j + 1] * offDiagonal[j + 1] : 0
            g = 1 / (z - Complex(diagonal[j]) - Complex(b2) * g)
        }
        return Complex(weight) * g
    }
}
