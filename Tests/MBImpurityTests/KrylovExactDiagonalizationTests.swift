import ComplexModule
import Foundation
import MBImpurity
import MBTensor
import RealModule
import Testing

@Suite("Krylov exact diagonalisation")
struct KrylovExactDiagonalizationTests {
    /// At β = 50 only the ground multiplet matters: Lanczos must reproduce full ED.
    @Test("Agrees with full ED at low temperature", arguments: [4, 5])
    func matchesFullDiagonalization(bathSites: Int) throws {
        for seed in 0..<2 {
            let model = try randomModel(bathSites: bathSites, seed: UInt64(500 + 10 * bathSites + seed), beta: 50)
            let exact = try ExactDiagonalization().solve(model)
            let (krylov, diagnostics) = try KrylovExactDiagonalization(maximumBasisSize: 24, denseBlockLimit: 20).solveWithDiagnostics(model)
            #expect(diagnostics.blocksAtStateLimit.isEmpty)
            #expect(diagnostics.eigensolverIterations > 0)
            #expect(diagnostics.truncatedContinuedFractions == 0)
            let count = 200
            #expect(maximumDifference(krylov.greensFunction(matsubaraCount: count), exact.greensFunction(matsubaraCount: count)) < 1e-8)
            let taus = AndersonImpurityModel.imaginaryTimes(count: 51, beta: model.beta)
            #expect(maximumDifference(try krylov.greensFunction(imaginaryTimes: taus), try exact.greensFunction(imaginaryTimes: taus)) < 1e-8)
            #expect(abs(krylov.occupationUp - exact.occupationUp) < 1e-8)
            #expect(abs(krylov.occupationDown - exact.occupationDown) < 1e-8)
            #expect(abs(krylov.doubleOccupancy - exact.doubleOccupancy) < 1e-8)
            #expect(abs(krylov.energy - exact.energy) < 1e-8)
            #expect(abs(krylov.groundStateEnergy - exact.groundStateEnergy) < 1e-10)
            #expect(abs(krylov.logPartitionFunction - exact.logPartitionFunction) < 1e-8)
            #expect(maximumDifference(krylov.selfEnergy(matsubaraCount: 50), exact.selfEnergy(matsubaraCount: 50)) < 1e-6)
        }
    }

    @Test("Continued fractions and their poles give the same G(iω); sum rules hold")
    func continuedFractionsMatchPoles() throws {
        let model = try randomModel(bathSites: 5, seed: 77, beta: 30)
        let solution = try KrylovExactDiagonalization(maximumBasisSize: 24, denseBlockLimit: 20).solve(model)
        #expect(!solution.continuedFractions.isEmpty)
        let fromFractions = solution.greensFunction(matsubaraCount: 100)
        let fromPoles = solution.poles.matsubara(count: 100)
        #expect(maximumDifference(fromFractions, fromPoles) < 1e-10)
        let g = solution.greensFunction(imaginaryTimeCount: 3)
        #expect(abs(g[0] + g[2] + 1) < 1e-10)
        #expect(abs(g[2] + solution.occupationUp) < 1e-8)
        #expect(g[1] < 0)
    }

    @Test("Degenerate bath (two identical sites) and half filling at moderate temperature")
    func degenerateBath() throws {
        let model = try AndersonImpurityModel(U: 2, mu: 1, beta: 20, bathEnergies: [-0.6, 0.6, 0.6, -0.6],
                                              bathHoppings: [0.4, 0.4, 0.4, 0.4])
        let exact = try ExactDiagonalization().solve(model)
        let krylov = try KrylovExactDiagonalization(maximumBasisSize: 24, denseBlockLimit: 20).solve(model)
        #expect(maximumDifference(krylov.greensFunction(matsubaraCount: 100), exact.greensFunction(matsubaraCount: 100)) < 1e-8)
        #expect(abs(krylov.occupationUp - 0.5) < 1e-8)
        #expect(abs(krylov.doubleOccupancy - exact.doubleOccupancy) < 1e-8)
    }

    @Test("Options and sizes are validated")
    func badInput() throws {
        let model = try randomModel(bathSites: 2, seed: 3)
        #expect(throws: ImpuritySolverError.self) { try KrylovExactDiagonalization(boltzmannCutoff: 2).solve(model) }
        #expect(throws: ImpuritySolverError.self) { try KrylovExactDiagonalization(blockSize: 0).solve(model) }
        let huge = try randomModel(bathSites: 12, seed: 3)
        do {
            _ = try KrylovExactDiagonalization().solve(huge)
            Issue.record("Nb = 12 should exceed the memory limit")
        } catch {
            guard case .memoryLimitExceeded = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("fewer bath sites"))
        }
    }
}

@Suite("Krylov exact diagonalisation at higher temperature")
struct KrylovHigherTemperatureTests {
    /// At β = 8 many states per block lie within the cutoff, so the state count is doubled
    /// repeatedly and the Lanczos bases restart.
    @Test("Many retained states per block: still agrees with full ED")
    func manyStates() throws {
        let model = try randomModel(bathSites: 4, seed: 909, beta: 8)
        let exact = try ExactDiagonalization().solve(model)
        let solver = KrylovExactDiagonalization(boltzmannCutoff: 1e-12, maximumStatesPerBlock: 100, maximumBasisSize: 40, denseBlockLimit: 20)
        let (krylov, diagnostics) = try solver.solveWithDiagnostics(model)
        #expect(diagnostics.blocksAtStateLimit.isEmpty)
        #expect(diagnostics.retainedStates > 4 * diagnostics.searchedBlocks.count)
        #expect(maximumDifference(krylov.greensFunction(matsubaraCount: 100), exact.greensFunction(matsubaraCount: 100)) < 1e-8)
        let taus = AndersonImpurityModel.imaginaryTimes(count: 21, beta: model.beta)
        #expect(maximumDifference(try krylov.greensFunction(imaginaryTimes: taus), try exact.greensFunction(imaginaryTimes: taus)) < 1e-8)
        #expect(abs(krylov.energy - exact.energy) < 1e-8)
        #expect(abs(krylov.doubleOccupancy - exact.doubleOccupancy) < 1e-8)
    }
}
