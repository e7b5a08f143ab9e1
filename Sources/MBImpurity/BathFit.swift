import ComplexModule
import Foundation
import MBTensor
import RealModule

/// Fits a discrete bath of Nb sites to a continuous hybridisation function on the Matsubara
/// axis (the ED-DMFT projection): with Δ_b(iω) = Σ_i V_i²/(iω − ε_i), minimise
///
///     χ² = Σ_n w_n |Δ(iω_n) − Δ_b(iω_n)|² / Σ_n w_n,   w_n = ω_n^{−k},  n = 0..<frequencyCount,
///
/// over (ε_i, V_i) by Levenberg–Marquardt with the analytic Jacobian
/// ∂Δ_b/∂ε_i = V_i²/(iω − ε_i)², ∂Δ_b/∂V_i = 2V_i/(iω − ε_i), from several starts (bath
/// energies spread over ±{0.5, 1, 1.5, 2, 3}·scale with random jitter, hoppings
/// √(M₀/Nb) with M₀ = Σ V² estimated from the tail ω Im Δ → −M₀). The best fit wins.
///
/// Particle–hole symmetric fits pair the sites as (ε_j, V_j), (−ε_j, V_j), plus one site at
/// ε = 0 when Nb is odd, so Δ_b(iω) is purely imaginary. Energies in the units of Δ and ω.
public struct BathFit: Sendable {
    /// Nb, the number of bath sites to fit.
    public var bathSites: Int
    /// How many of the lowest Matsubara frequencies enter χ² (at most the data's length).
    public var frequencyCount: Int
    /// k in the weights w_n = ω_n^{−k} (0: uniform; 1: emphasises low frequencies).
    public var weightExponent: Double
    /// Fit a particle–hole symmetric bath.
    public var particleHoleSymmetric: Bool
    /// Number of starting points.
    public var starts: Int
    /// Levenberg–Marquardt iterations per start.
    public var maximumIterations: Int
    /// Typical bath energy scale for the starts (e.g. the half bandwidth).
    public var energyScale: Double
    /// Seed for the jitter of the starting points.
    public var seed: UInt64

    public init(bathSites: Int, frequencyCount: Int = 200, weightExponent: Double = 1, particleHoleSymmetric: Bool = false,
                starts: Int = 10, maximumIterations: Int = 500, energyScale: Double = 1, seed: UInt64 = 1) {
        self.bathSites = bathSites
        self.frequencyCount = frequencyCount
        self.weightExponent = weightExponent
        self.particleHoleSymmetric = particleHoleSymmetric
        self.starts = starts
        self.maximumIterations = maximumIterations
        self.energyScale = energyScale
        self.seed = seed
    }

    /// Fits Δ given at ω_n = (2n + 1)π/β, n = 0..<hybridization.count.
    /// - Throws: `BathFitError` for bad options or data.
    public func fit(_ hybridization: [Complex<Double>], beta: Double) throws(BathFitError) -> BathFitResult {
        guard beta.isFinite, beta > 0 else { throw .nonPositiveBeta(beta) }
        guard bathSites >= 1 else { throw .invalidOption(name: "bathSites", value: Double(bathSites), requirement: "must be ≥ 1") }
        guard starts >= 1, maximumIterations >= 1 else {
            throw .invalidOption(name: "starts/maximumIterations", value: Double(min(starts, maximumIterations)), requirement: "must be ≥ 1")
        }
        guard weightExponent.isFinite, energyScale.isFinite, energyScale > 0 else {
            throw .invalidOption(name: "weightExponent/energyScale", value: energyScale, requirement: "must be finite (scale > 0)")
        }
        let count = min(frequencyCount, hybridization.count)
        let layout = BathParameterLayout(bathSites: bathSites, particleHoleSymmetric: particleHoleSymmetric)
        guard 2 * count >= layout.parameterCount else {
            throw .tooFewFrequencies(available: count, needed: (layout.parameterCount + 1) / 2)
        }
        if let bad = hybridization.prefix(count).firstIndex(where: { !$0.real.isFinite || !$0.imaginary.isFinite }) {
            throw .nonFiniteData(index: bad)
        }
        let omegas = AndersonImpurityModel.matsubaraFrequencies(count: count, beta: beta)
        let rawWeights = omegas.map { Foundation.pow($0, -weightExponent) }
        let totalWeight = rawWeights.reduce(0, +)
        let problem = BathFitProblem(omegas: omegas, target: Array(hybridization.prefix(count)),
                                     rootWeights: rawWeights.map { ($0 / totalWeight).squareRoot() }, layout: layout)

        let tailWeight = -omegas[count - 1] * hybridization[count - 1].imaginary
        let hopping = (tailWeight > 0 ? tailWeight : 1) / Double(bathSites)
        var generator = RandomGenerator(seed: seed)
        let spreads = [1.0, 0.5, 2.0, 1.5, 3.0]
        var best: BathFitResult? = nil
        var totalIterations = 0
        for s in 0..<starts {
            let spread = spreads[s % spreads.count] * energyScale
            let energies = (0..<bathSites).map { i -> Double in
                let position = bathSites == 1 ? 0 : 2 * Double(i) / Double(bathSites - 1) - 1
                return spread * position + (s == 0 ? 0 : 0.2 * spread * (generator.nextUnit() - 0.5))
            }
            let hoppings = (0..<bathSites).map { _ in hopping.squareRoot() * (s == 0 ? 1 : 0.7 + 0.6 * generator.nextUnit()) }
            let result = problem.levenbergMarquardt(from: layout.parameters(energies: energies, hoppings: hoppings),
                                                    maximumIterations: maximumIterations)
            totalIterations += result.iterations
            if best == nil || result.residual < best!.residual { best = result }
        }
        let winner = best!
        return BathFitResult(bathEnergies: winner.bathEnergies, bathHoppings: winner.bathHoppings, residual: winner.residual,
                             iterations: winner.iterations, totalIterations: totalIterations)
    }
}

/// The outcome of a `BathFit`.
public struct BathFitResult: Sendable {
    /// ε_i ascending.
    public let bathEnergies: [Double]
    /// V_i ≥ 0, same order.
    public let bathHoppings: [Double]
    /// √χ²: the weighted root-mean-square distance |Δ − Δ_b| over the fitted frequencies.
    public let residual: Double
    /// Levenberg–Marquardt iterations of the winning start.
    public let iterations: Int
    /// Iterations over all starts.
    public let totalIterations: Int

    /// Δ_b(iω_n) of the fitted bath at ω_n = (2n + 1)π/β.
    public func hybridization(count: Int, beta: Double) -> [Complex<Double>] {
        AndersonImpurityModel.hybridization(energies: bathEnergies, hoppings: bathHoppings,
                                            atFrequencies: AndersonImpurityModel.matsubaraFrequencies(count: count, beta: beta))
    }
}

/// Invalid input to `BathFit`.
public enum BathFitError: Error, Equatable, CustomStringConvertible {
    case nonPositiveBeta(Double)
    case invalidOption(name: String, value: Double, requirement: String)
    case tooFewFrequencies(available: Int, needed: Int)
    case nonFiniteData(index: Int)

    public var description: String {
        switch self {
        case .nonPositiveBeta(let beta): return "bath fit: beta = \(beta) must be finite and > 0"
        case let .invalidOption(name, value, requirement): return "bath fit: \(name) = \(value) is invalid: \(requirement)"
        case let .tooFewFrequencies(available, needed):
            return "bath fit: \(available) Matsubara frequencies cannot determine the bath; give at least \(needed)"
        case .nonFiniteData(let index): return "bath fit: the hybridisation at Matsubara index \(index) is not finite"
        }
    }
}
