import ComplexModule
import RealModule
import Foundation
import MBGreens
import MBImpurity

/// Runs a learned solver's input solvers on a DMFT problem exactly as the database ran them on
/// its samples (`ImpuritySampleSolver`), so the network sees inputs of the kind it was trained on:
///
/// - `hubbard-i`, `ipt` on the continuous Δ(iω) given on N = max(problem frequencies,
///   `ImpuritySampleSolver.matsubaraCount(U, D, β)`) frequencies, Δ continued beyond the problem's
///   mesh by its tail M₁/(iω) + M₂/(iω)²; the result is put on the x grid and into Legendre
///   coefficients by `ImpuritySampleSolver.matsubaraOutput` (tail-corrected FFT, spline);
/// - `edK`: Δ fitted onto K sites (`BathFit` with energy scale D; particle–hole symmetric fit
///   when the problem is half filled) and solved exactly; G(x_k) and g_l from the Lehmann
///   representation, as the database does.
///
/// Besides the database representations it keeps each input's G(iω_n) and Σ(iω_n) on the
/// problem's own mesh (the learned solver adds its correction to the first input's).
public struct LearnedSolverInputs: Sendable {
    public var outputs: [String: ImpuritySolverOutput] = [:]
    /// G(iω_n) and Σ(iω_n) of each input on the problem's mesh.
    public var greensFunctions: [String: MatsubaraGreensFunction] = [:]
    public var selfEnergies: [String: MatsubaraGreensFunction] = [:]

    /// Evaluates `inputs` on `problem` (its Δ, U, μ) with the bath scale `halfBandwidth` and the
    /// database `configuration` (grid, Legendre count, stored frequencies).
    public init(inputs: [String], problem: ImpurityProblem, halfBandwidth d: Double, moments: HybridizationMoments,
                configuration: ImpurityDatabaseConfiguration) throws {
        let sampleSolver = ImpuritySampleSolver(configuration: configuration)
        let representation = sampleSolver.representation
        let beta = problem.beta, mesh = problem.mesh
        let count = max(mesh.count, ImpuritySampleSolver.matsubaraCount(U: problem.U, halfBandwidth: d, beta: beta))
        let given = problem.hybridization.values
        let extendedMesh = try MatsubaraMesh(beta: beta, count: count)
        let delta = MatsubaraGreensFunction(mesh: extendedMesh) { (n: Int) -> Complex<Double> in
            if n < given.count { return given[n] }
            let omega = extendedMesh.frequency(n)
            return Complex(-moments.second / (omega * omega), -moments.first / omega)
        }
        let extended = try ImpurityProblem(hybridization: delta, U: problem.U, mu: problem.mu)
        let frequencies = configuration.storedFrequencies
        for name in inputs {
            guard let solver = ImpurityDatabaseSolver(name: name) else { throw ImpurityDatabaseError.unknownSolver(name: name) }
            switch solver {
            case .exact:
                throw ImpurityDatabaseError.unknownSolver(name: name)
            case .hubbardI, .ipt:
                let result = solver == .ipt ? try IterativePerturbationTheory().solve(extended) : try HubbardI().solve(extended)
                outputs[name] = try sampleSolver.matsubaraOutput(result, storingMatsubara: solver.storesMatsubara)
                greensFunctions[name] = try MatsubaraGreensFunction(mesh: mesh, values: Array(result.g.values.prefix(mesh.count)))
                selfEnergies[name] = try MatsubaraGreensFunction(mesh: mesh, values: Array(result.sigma.values.prefix(mesh.count)))
            case let .fittedED(bathSites):
                let fitter = ExactDiagonalizationSolver(bathSites: bathSites, fit: BathFit(bathSites: bathSites, energyScale: d))
                let model = try fitter.model(for: extended)
                let solution = try ExactDiagonalization().solve(model)
                let gTau = try solution.greensFunction(imaginaryTimes: representation.times(beta: beta))
                let legendre = representation.legendreCoefficients(poleEnergies: solution.poles.energies, weights: solution.poles.weights, beta: beta)
                outputs[name] = ImpuritySolverOutput(
                    gTau: gTau, legendre: legendre,
                    gMatsubara: solver.storesMatsubara ? solution.greensFunction(matsubaraCount: frequencies) : nil,
                    sigmaMatsubara: solver.storesMatsubara ? solution.selfEnergy(matsubaraCount: frequencies) : nil,
                    occupation: solution.occupationUp, doubleOccupancy: solution.doubleOccupancy, seconds: 0)
                greensFunctions[name] = try MatsubaraGreensFunction(mesh: mesh, values: solution.greensFunction(matsubaraCount: mesh.count))
                selfEnergies[name] = try MatsubaraGreensFunction(mesh: mesh, values: solution.selfEnergy(matsubaraCount: mesh.count))
            }
        }
    }
}
