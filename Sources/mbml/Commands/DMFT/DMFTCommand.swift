import ArgumentParser
import Foundation
import MBGreens
import MBImpurity
import MBIO
import MBPlot

struct DMFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmft",
        abstract: "DMFT on the Bethe lattice: impurity solvers, the self-consistency loop, Mott-transition sweeps.",
        subcommands: [SolveCommand.self, LoopCommand.self, SweepCommand.self])
}

extension BetheDMFT.Start: ExpressibleByArgument {}
extension MottSweep.Direction: ExpressibleByArgument {}

/// Options shared by the loop and the sweep.
struct DMFTOptions: ParsableArguments {
    enum Solver: String, ExpressibleByArgument, CaseIterable { case ipt, ed }

    @Option(help: "Impurity solver: ipt or ed (half filling).") var solver: Solver = .ipt
    @Option(name: .customLong("bath-sites"), help: "Bath sites for --solver ed (Δ fitted onto them each iteration).") var bathSites = 4
    @Option(help: "Inverse temperature β (D = 1).") var beta: Double
    @Option(help: "Matsubara frequencies.") var frequencies = 2048
    @Option(help: "Linear mixing of the new G (0 < m ≤ 1).") var mixing = 0.5
    @Option(help: "Convergence: max |G_new − G_old| over the frequencies.") var tolerance = 1e-7
    @Option(name: .customLong("max-iterations"), help: "Iteration cap per U.") var maxIterations = 2000
    @Option(name: .customLong("half-bandwidth"), help: "Half bandwidth D of the semicircle.") var halfBandwidth = 1.0

    func validate() throws {
        guard beta > 0, beta.isFinite else { throw ValidationError("--beta must be positive, got \(beta)") }
        guard frequencies >= 16 else { throw ValidationError("--frequencies must be at least 16, got \(frequencies)") }
        guard mixing > 0, mixing <= 1 else { throw ValidationError("--mixing must be in (0, 1], got \(mixing)") }
        guard tolerance > 0 else { throw ValidationError("--tolerance must be positive, got \(tolerance)") }
        guard maxIterations >= 1 else { throw ValidationError("--max-iterations must be ≥ 1, got \(maxIterations)") }
        guard halfBandwidth > 0, halfBandwidth.isFinite else { throw ValidationError("--half-bandwidth must be positive, got \(halfBandwidth)") }
        guard (1...8).contains(bathSites) else { throw ValidationError("--bath-sites must be 1…8, got \(bathSites)") }
    }

    func dmft() throws -> BetheDMFT {
        BetheDMFT(lattice: try BetheLattice(halfBandwidth: halfBandwidth), mixing: mixing, tolerance: tolerance, maximumIterations: maxIterations)
    }

    func mesh() throws -> MatsubaraMesh { try MatsubaraMesh(beta: beta, count: frequencies) }

    /// Converges one U from `initial` (or from `start`); returns the result and ⟨n↑n↓⟩.
    func converge(U: Double, initial: MatsubaraGreensFunction?, start: BetheDMFT.Start,
                  progress: ((Int, Double) -> Void)? = nil) throws -> (BetheDMFT.Result, Double) {
        let dmft = try dmft(), mesh = try mesh()
        let first = try initial ?? dmft.initialGreensFunction(start, mesh: mesh, U: U)
        switch solver {
        case .ipt:
            let ipt = IterativePerturbationTheory()
            let result = try dmft.run(initial: first, solve: { delta in try ipt.solveHalfFilling(hybridization: delta, U: U) }, progress: progress)
            return (result, IterativePerturbationTheory.doubleOccupancyHalfFilling(g: result.g, sigma: result.sigma, U: U))
        case .ed:
            // Half filling: μ = U/2 and a particle–hole symmetric bath fitted to Δ = t²G each iteration.
            let fit = BathFit(bathSites: bathSites, particleHoleSymmetric: true)
            var double = 0.0
            let result = try dmft.run(initial: first, solve: { delta in
                let bath = try fit.fit(delta.values, beta: beta)
                let model = try AndersonImpurityModel(U: U, mu: U / 2, beta: beta, bathEnergies: bath.bathEnergies, bathHoppings: bath.bathHoppings)
                let solution = bathSites <= 6 ? try ExactDiagonalization().solve(model) : try KrylovExactDiagonalization().solve(model)
                double = solution.doubleOccupancy
                return (try MatsubaraGreensFunction(mesh: mesh, values: solution.greensFunction(matsubaraCount: mesh.count)),
                        try MatsubaraGreensFunction(mesh: mesh, values: solution.selfEnergy(matsubaraCount: mesh.count)))
            }, progress: progress)
            return (result, double)
        }
    }
}
