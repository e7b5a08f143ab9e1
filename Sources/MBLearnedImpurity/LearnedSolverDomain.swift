import ComplexModule
import RealModule
import Foundation
import MBImpurity

/// The region of problems a learned solver was trained on, from the training split (mirrors
/// included): the ranges of the scale-free descriptors and of the bath's offset, and whether
/// every sample had μ = U/2. The learned solver refuses problems outside it
/// (`LearnedSolverError.outsideTrainingDomain`, `.chemicalPotential`).
///
/// The bath enters through the moments of its hybridisation, Δ(iω) = M₁/(iω) + M₂/(iω)² + …,
/// M₁ = Σ V_i², M₂ = Σ V_i² ε_i: the scale D = 2√M₁ (the database draws Σ V² = D²/4, the
/// semicircle's value; on the Bethe lattice Δ = t²G gives M₁ = t² = D²/4 exactly) and the
/// offset o = M₂/(M₁ D), the V²-weighted mean bath energy in units of D (0 for a particle–hole
/// symmetric bath). The database's bandwidth and spread of ε are fixed relative to D, so these
/// and u = U/D, βD are the parameters the network has seen varying.
public struct LearnedSolverDomain: Codable, Sendable, Equatable {
    /// [min, max] of u = U/D.
    public var u: [Double]
    /// [min, max] of βD.
    public var betaD: [Double]
    /// [min, max] of the bath offset o = M₂/(M₁D).
    public var bathOffset: [Double]
    /// [min, max] of the physical D and β (for information; the network sees only u and βD).
    public var halfBandwidth: [Double]
    public var beta: [Double]
    /// True when every training sample had μ = U/2.
    public var halfFillingChemicalPotential: Bool

    public init(u: [Double], betaD: [Double], bathOffset: [Double], halfBandwidth: [Double], beta: [Double],
                halfFillingChemicalPotential: Bool) {
        self.u = u
        self.betaD = betaD
        self.bathOffset = bathOffset
        self.halfBandwidth = halfBandwidth
        self.beta = beta
        self.halfFillingChemicalPotential = halfFillingChemicalPotential
    }

    /// The domain of a set of samples.
    public init(samples: [ImpuritySampleParameters]) {
        precondition(!samples.isEmpty, "a training domain needs at least one sample")
        func range(_ values: [Double]) -> [Double] { [values.min()!, values.max()!] }
        u = range(samples.map(\.u))
        betaD = range(samples.map(\.betaD))
        bathOffset = range(samples.map(LearnedSolverDomain.bathOffset(of:)))
        halfBandwidth = range(samples.map(\.halfBandwidth))
        beta = range(samples.map(\.beta))
        halfFillingChemicalPotential = samples.allSatisfy { abs($0.mu - $0.U / 2) <= 1e-12 * max(1, abs($0.U)) }
    }

    /// o = Σ V²ε / (Σ V² · D) of a discrete bath.
    public static func bathOffset(of sample: ImpuritySampleParameters) -> Double {
        let m1 = sample.bathHoppings.reduce(0) { $0 + $1 * $1 }
        let m2 = zip(sample.bathHoppings, sample.bathEnergies).reduce(0) { $0 + $1.0 * $1.0 * $1.1 }
        return m2 / (m1 * sample.halfBandwidth)
    }

    /// The intersection with another domain (an ensemble answers only where all members were trained).
    public func intersection(_ other: LearnedSolverDomain) -> LearnedSolverDomain {
        func meet(_ a: [Double], _ b: [Double]) -> [Double] { [max(a[0], b[0]), min(a[1], b[1])] }
        return LearnedSolverDomain(u: meet(u, other.u), betaD: meet(betaD, other.betaD), bathOffset: meet(bathOffset, other.bathOffset),
                                   halfBandwidth: meet(halfBandwidth, other.halfBandwidth), beta: meet(beta, other.beta),
                                   halfFillingChemicalPotential: halfFillingChemicalPotential || other.halfFillingChemicalPotential)
    }

    /// Throws unless (u, βD, offset, μ) lie in the domain. Ranges are widened by 1e-3 of the
    /// larger of their width and their bounds' size, the accuracy of D from the tail of a DMFT Δ
    /// (the learned G's correction is a Legendre series whose high-frequency remainder shifts the
    /// two-point moment estimate by ~1e-5 relative; a model trained on one βD must still accept
    /// it), and the offset by an absolute 1e-3 · max(1, range).
    public func check(u: Double, betaD: Double, bathOffset offset: Double, U: Double, mu: Double, model: String) throws(LearnedSolverError) {
        func inside(_ value: Double, _ range: [Double], slack: Double) -> Bool {
            let margin = slack + 1e-3 * max(range[1] - range[0], abs(range[0]), abs(range[1]))
            return value >= range[0] - margin && value <= range[1] + margin
        }
        for (name, value, range, slack) in [("u = U/D", u, self.u, 0.0), ("βD", betaD, self.betaD, 0.0),
                                            ("bath offset M₂/(M₁D)", offset, bathOffset, 1e-3)] where !inside(value, range, slack: slack) {
            throw .outsideTrainingDomain(descriptor: name, value: value, trained: range[0]...range[1], model: model)
        }
        if halfFillingChemicalPotential && abs(mu - U / 2) > 1e-9 * max(1, abs(U)) {
            throw .chemicalPotential(mu: mu, U: U, model: model)
        }
    }
}

/// The first moments of a hybridisation function given on the lowest Matsubara frequencies: with
/// y(ω) = −ω Im Δ(iω) = M₁ − M₃/ω² + …, the last frequency ω₂ and the one at half the index, ω₁,
/// give M₁ without the 1/ω² error (far-apart frequencies: rounding in y is amplified only by
/// ω₂²/(ω₂² − ω₁²) ≈ 4/3); M₂ = −ω² Re Δ(iω) at the last one (error ~ M₄/ω²).
public struct HybridizationMoments: Sendable, Equatable {
    public var first: Double
    public var second: Double

    public init(first: Double, second: Double) {
        self.first = first
        self.second = second
    }

    public init(hybridization delta: [Complex<Double>], beta: Double) {
        let n = delta.count
        precondition(n >= 2, "moments need at least two frequencies, got \(n)")
        let half = n / 2
        let w1 = Double(2 * (half - 1) + 1) * Double.pi / beta, w2 = Double(2 * n - 1) * Double.pi / beta
        let y1 = -w1 * delta[half - 1].imaginary, y2 = -w2 * delta[n - 1].imaginary
        // y = M₁ − M₃/ω²: eliminate M₃.
        first = (y2 * w2 * w2 - y1 * w1 * w1) / (w2 * w2 - w1 * w1)
        second = -w2 * w2 * delta[n - 1].real
    }

    /// D = 2√M₁.
    public var halfBandwidth: Double { 2 * first.squareRoot() }
    /// M₂/(M₁D).
    public var offset: Double { second / (first * halfBandwidth) }
}
