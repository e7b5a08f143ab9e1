import ComplexModule
import RealModule
import Foundation
import MBGreens

/// Solves one database sample with the target and every input solver of a configuration and
/// puts each answer into the database's representations (`ImaginaryTimeRepresentation`).
///
/// - ED (the target `ed` on the sample's own bath, and `edK` on a bath fitted onto K sites):
///   G(x_k) is the exact Lehmann sum at τ_k, g_l the closed-form Legendre transform of the pole
///   expansion, G(iω_n) and Σ(iω_n) the exact pole sums.
/// - Hubbard-I and IPT work on the Matsubara axis, on N frequencies (`matsubaraCount`). Their
///   G(iω_n) is transformed with the tail-corrected FFT onto a uniform mesh of 4N + 1 times
///   (spacing h = β/(4N)), from which G(x_k) is read off by a cubic spline and g_l computed by
///   integrating that spline against P_l with a graded Gauss rule (both O(h⁴)). At U = 0, where both are exact, this
///   reproduces ED's G(x_k) to ≤ 1.1e-6 and g_l to ≤ 1e-9 over the default ranges (tested).
///
/// The bath fit of `edK` starts from energies on the scale of the sample's D (`BathFit.energyScale`)
/// with the fit's fixed seed, so it is deterministic and scale free.
public struct ImpuritySampleSolver: Sendable {
    public let configuration: ImpurityDatabaseConfiguration
    public let representation: ImaginaryTimeRepresentation
    public var exactDiagonalization = ExactDiagonalization()
    public var hubbardI = HubbardI()
    public var ipt = IterativePerturbationTheory()

    public init(configuration: ImpurityDatabaseConfiguration) {
        self.configuration = configuration
        representation = ImaginaryTimeRepresentation(pointCount: configuration.points, legendreCount: configuration.legendreCoefficients)
    }

    /// N, the Matsubara frequencies for the solvers that work on the imaginary axis: the smallest
    /// power of two ≥ max(1024, β(|U| + 2D)). The highest frequency ω_N ≈ 2πN/β then lies at
    /// least 2π times above the whole spectral range |U| + 2D, where the three-term tail of the
    /// FFT leaves a remainder ~ 1/ω⁴. Measured at U = 0 against ED (`ImaginaryTimeRepresentationTests`):
    /// G(x) exact to 1e-14 at β = 1, D = 0.5, and to 1.03e-6 (at x = ±1) at βD = 250 with
    /// N = 1024; g_l to 7e-10. With the default ranges (U ≤ 10, D ≤ 5, β ≤ 50) N is always 1024.
    public static func matsubaraCount(U: Double, halfBandwidth: Double, beta: Double) -> Int {
        let scale = beta * (abs(U) + 2 * halfBandwidth)
        var n = 1024
        while Double(n) < scale { n *= 2 }
        return n
    }

    /// Every solver of the configuration on one sample (target first).
    /// - Throws: `ImpurityDatabaseError.solverFailed` naming the sample and the solver.
    public func solve(_ parameters: ImpuritySampleParameters) throws(ImpurityDatabaseError) -> ImpuritySampleRecord {
        var outputs: [String: ImpuritySolverOutput] = [:]
        for solver in configuration.solvers { outputs[solver.name] = try solve(parameters, with: solver) }
        return ImpuritySampleRecord(parameters: parameters, outputs: outputs)
    }

    /// One solver on one sample.
    public func solve(_ parameters: ImpuritySampleParameters, with solver: ImpurityDatabaseSolver) throws(ImpurityDatabaseError) -> ImpuritySolverOutput {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            var output = try unclockedSolve(parameters, with: solver)
            let elapsed = clock.now - start
            output.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return output
        } catch {
            throw .solverFailed(index: parameters.index, solver: solver.name, parameters: parameters.summary, message: "\(error)")
        }
    }

    private func unclockedSolve(_ parameters: ImpuritySampleParameters, with solver: ImpurityDatabaseSolver) throws -> ImpuritySolverOutput {
        let model = try parameters.model()
        switch solver {
        case .exact:
            return try exactOutput(model, storingMatsubara: solver.storesMatsubara)
        case let .fittedED(bathSites):
            let fitter = ExactDiagonalizationSolver(bathSites: bathSites, fit: BathFit(bathSites: bathSites, energyScale: parameters.halfBandwidth))
            return try exactOutput(fitter.model(for: continuousProblem(parameters)), storingMatsubara: solver.storesMatsubara)
        case .hubbardI:
            return try matsubaraOutput(hubbardI.solve(continuousProblem(parameters)), storingMatsubara: solver.storesMatsubara)
        case .ipt:
            return try matsubaraOutput(ipt.solve(continuousProblem(parameters)), storingMatsubara: solver.storesMatsubara)
        }
    }

    /// U, μ and the bath's Δ(iω_n) on `matsubaraCount` frequencies, as a continuous bath.
    public func continuousProblem(_ parameters: ImpuritySampleParameters) throws -> ImpurityProblem {
        let model = try parameters.model()
        let count = ImpuritySampleSolver.matsubaraCount(U: model.U, halfBandwidth: parameters.halfBandwidth, beta: model.beta)
        let mesh = try MatsubaraMesh(beta: model.beta, count: count)
        let delta = try MatsubaraGreensFunction(mesh: mesh, values: model.hybridization(count: count))
        return try ImpurityProblem(hybridization: delta, U: model.U, mu: model.mu)
    }

    private func exactOutput(_ model: AndersonImpurityModel, storingMatsubara: Bool) throws -> ImpuritySolverOutput {
        let solution = try exactDiagonalization.solve(model)
        let gTau = try solution.greensFunction(imaginaryTimes: representation.times(beta: model.beta))
        let legendre = representation.legendreCoefficients(poleEnergies: solution.poles.energies, weights: solution.poles.weights,
                                                           beta: model.beta)
        let frequencies = configuration.storedFrequencies
        return ImpuritySolverOutput(gTau: gTau, legendre: legendre,
                                    gMatsubara: storingMatsubara ? solution.greensFunction(matsubaraCount: frequencies) : nil,
                                    sigmaMatsubara: storingMatsubara ? solution.selfEnergy(matsubaraCount: frequencies) : nil,
                                    occupation: solution.occupationUp, doubleOccupancy: solution.doubleOccupancy, seconds: 0)
    }

    /// The database representations of a Matsubara-axis result (FFT, spline, Legendre).
    public func matsubaraOutput(_ result: ImpurityResult, storingMatsubara: Bool) throws -> ImpuritySolverOutput {
        let times = try ImaginaryTimeMesh(beta: result.g.mesh.beta, count: 4 * result.g.count + 1)
        let gUniform = try result.g.fourierTransformed(to: times)
        let frequencies = min(configuration.storedFrequencies, result.g.count)
        return ImpuritySolverOutput(gTau: representation.values(uniform: gUniform),
                                    legendre: representation.legendreCoefficients(uniform: gUniform),
                                    gMatsubara: storingMatsubara ? Array(result.g.values.prefix(frequencies)) : nil,
                                    sigmaMatsubara: storingMatsubara ? Array(result.sigma.values.prefix(frequencies)) : nil,
                                    occupation: result.occupation, doubleOccupancy: result.doubleOccupancy, seconds: 0)
    }
}
