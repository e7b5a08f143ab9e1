import Foundation
import MBTensor

/// The four distributions of a Drude term's width parameters (γ0, γ1) in the paper.
///
/// The paper's table of constraints is lost; these ranges follow its own criterion: a term is
/// *hard* at temperature T when its width is below the temperature, γ(T) < T (σ then varies on
/// a scale finer than the imaginary-time data resolve), and *easy* when γ(T) ≥ T. Temperatures
/// run over T ∈ [0.1, 1]; γ0 and γ1 are drawn uniformly and independently from the ranges
/// below, and every γ(T) lies in (0, 10):
///
/// | distribution | γ0 | γ1 | γ(0.1) | γ(1) | hard at |
/// |---|---|---|---|---|---|
/// | easy at all T | [1, 4] | [0, 5] | ≥ 1 | ≤ 9 | nowhere (γ ≥ 1 ≥ T) |
/// | hard at low T | [0.005, 0.05] | [1.5, 4.5] | < 0.095 | > 1.5 | T = 0.1 (not T = 1) |
/// | hard at high T | [0.15, 0.5] | [0, 0.45] | ≥ 0.15 | < 0.95 | T = 1 (not T = 0.1) |
/// | hard at all T | [0.005, 0.05] | [0, 0.5] | < 0.055 | < 0.55 | every T ∈ [0.1, 1] |
///
/// (γ0 + γ1T² − T is convex in T, so "hard at all T" holds between the end points too.)
public enum GammaDistribution: String, CaseIterable, Sendable {
    case easyAtAllT = "easy at all T"
    case hardAtLowT = "hard at low T"
    case hardAtHighT = "hard at high T"
    case hardAtAllT = "hard at all T"

    public var gamma0Range: ClosedRange<Double> {
        switch self {
        case .easyAtAllT: 1...4
        case .hardAtLowT, .hardAtAllT: 0.005...0.05
        case .hardAtHighT: 0.15...0.5
        }
    }

    public var gamma1Range: ClosedRange<Double> {
        switch self {
        case .easyAtAllT: 0...5
        case .hardAtLowT: 1.5...4.5
        case .hardAtHighT: 0...0.45
        case .hardAtAllT: 0...0.5
        }
    }

    /// Draws (γ0, γ1).
    public func sample(_ generator: inout RandomGenerator) -> (gamma0: Double, gamma1: Double) {
        let g0 = gamma0Range.lowerBound + (gamma0Range.upperBound - gamma0Range.lowerBound) * generator.nextUnit()
        let g1 = gamma1Range.lowerBound + (gamma1Range.upperBound - gamma1Range.lowerBound) * generator.nextUnit()
        return (g0, g1)
    }
}

/// The datasets of the paper's section 3.3, plus `hard`.
public enum ContinuationDatasetKind: String, CaseIterable, Sendable {
    /// All three terms from "easy at all T".
    case easy
    /// Per example one distribution, drawn from {easy at all T, hard at high T, hard at low T},
    /// for all three terms.
    case mixed
    /// Term 1 easy at all T, term 2 hard at high T, term 3 hard at low T.
    case elementMixed = "element-mixed"
    /// All three terms from "hard at all T".
    case hard

    /// The distributions of the three terms of one example.
    public func distributions(_ generator: inout RandomGenerator) -> [GammaDistribution] {
        switch self {
        case .easy: return Array(repeating: .easyAtAllT, count: 3)
        case .hard: return Array(repeating: .hardAtAllT, count: 3)
        case .elementMixed: return [.easyAtAllT, .hardAtHighT, .hardAtLowT]
        case .mixed:
            let choices: [GammaDistribution] = [.easyAtAllT, .hardAtHighT, .hardAtLowT]
            return Array(repeating: choices[Int(generator.next() % 3)], count: 3)
        }
    }

    /// One example: α uniform on the simplex (Dirichlet(1, 1, 1): normalised exponentials),
    /// the widths from `distributions`.
    public func sample(_ generator: inout RandomGenerator) -> DrudeComponents {
        let kinds = distributions(&generator)
        var weights = (0..<3).map { _ in -log1p(-generator.nextUnit()) }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        let widths = kinds.map { $0.sample(&generator) }
        return DrudeComponents(alpha: weights, gamma0: widths.map(\.gamma0), gamma1: widths.map(\.gamma1))
    }
}
