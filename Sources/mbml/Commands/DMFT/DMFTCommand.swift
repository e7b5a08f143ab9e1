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
        subcommands: [SolveCommand.self, LoopCommand.self, SweepCommand.self, DatabaseCommand.self])
}

extension BetheDMFT.Start: ExpressibleByArgument {}
extension MottSweep.Direction: ExpressibleByArgument {}

/// Options shared by the loop and the sweep.
/// The impurity solvers by their command-line names.
enum SolverName: String, ExpressibleByArgument, CaseIterable {
    case ipt, ed, hubbardI = "hubbard-i"

    /// The solver; `bathSites` is the size of the bath ED fits a continuous Δ onto.
    func make(bathSites: Int) -> any ImpuritySolver {
        switch self {
        case .ipt: return IterativePerturbationTheory()
        case .ed: return ExactDiagonalizationSolver(bathSites: bathSites)
        case .hubbardI: return HubbardI()
        }
    }
}

struct DMFTOptions: ParsableArguments {

    @Option(help: "Impurity solver: ipt, ed or hubbard-i.") var solver: SolverName = .ipt
    @Option(name: .customLong("bath-sites"), help: "Bath sites for --solver ed (Δ fitted onto them each iteration).") var bathSites = 4
    @Option(parsing: .unconditional, help: "Inverse temperature β (D = 1).") var beta: Double
    @Option(parsing: .unconditional, help: "Chemical potential μ (default U/2: half filling).") var mu: Double?
    @Option(help: "Matsubara frequencies.") var frequencies = 2048
    @Option(help: "Linear mixing of the new G (0 < m ≤ 1).") var mixing = 0.5
    @Option(help: "Convergence: max |G_new − G_old| over the frequencies.") var tolerance = 1e-7
    @Option(name: .customLong("max-iterations"), help: "Iteration cap per U.") var maxIterations = 2000
    @Option(name: .customLong("half-bandwidth"), help: "Half bandwidth D of the semicircle.") var halfBandwidth = 1.0

    func validate() throws {
        guard beta > 0, beta.isFinite else { throw ValidationError("--beta must be positive, got \(beta)") }
        if let mu { guard mu.isFinite else { throw ValidationError("--mu must be a finite number, got \(mu)") } }
        guard frequencies >= 16 else { throw ValidationError("--frequencies must be at least 16, got \(frequencies)") }
        guard mixing > 0, mixing <= 1 else { throw ValidationError("--mixing must be in (0, 1], got \(mixing)") }
        guard tolerance > 0 else { throw ValidationError("--tolerance must be positive, got \(tolerance)") }
        guard maxIterations >= 1 else { throw ValidationError("--max-iterations must be ≥ 1, got \(maxIterations)") }
        guard halfBandwidth > 0, halfBandwidth.isFinite else { throw ValidationError("--half-bandwidth must be positive, got \(halfBandwidth)") }
        guard (1...8).contains(bathSites) else { throw ValidationError("--bath-sites must be 1…8, got \(bathSites)") }
    }

    /// Converges one U from `initial` (or from `start`) at μ = --mu or U/2.
    func converge(U: Double, initial: MatsubaraGreensFunction?, start: BetheDMFT.Start,
                  progress: ((Int, Double) -> Void)? = nil) throws -> BetheDMFT.Result {
        let dmft = BetheDMFT(lattice: try BetheLattice(halfBandwidth: halfBandwidth), mixing: mixing, tolerance: tolerance,
                             maximumIterations: maxIterations)
        return try dmft.run(solver: solver.make(bathSites: bathSites), U: U, mu: mu ?? U / 2, initial: initial, start: start,
                            mesh: try MatsubaraMesh(beta: beta, count: frequencies), progress: progress)
    }
}
