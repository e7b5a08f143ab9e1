import ArgumentParser
import Foundation
import MBGreens
import MBImpurity
import MBIO
import MBLearnedImpurity
import MBPlot

struct DMFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmft",
        abstract: "DMFT on the Bethe lattice: impurity solvers, the self-consistency loop, Mott-transition sweeps.",
        subcommands: [SolveCommand.self, LoopCommand.self, SweepCommand.self, DatabaseCommand.self, TrainSolverCommand.self])
}

extension BetheDMFT.Start: ExpressibleByArgument {}
extension MottSweep.Direction: ExpressibleByArgument {}

/// The impurity solvers by their command-line names.
enum SolverName: String, ExpressibleByArgument, CaseIterable {
    case ipt, ed, hubbardI = "hubbard-i", ml

    /// The solver; `bathSites` is the size of the bath ED fits a continuous Δ onto; `ml` loads
    /// the model directories of `options` (an ensemble when there are several).
    func make(bathSites: Int, options: DMFTOptions? = nil) throws -> any ImpuritySolver {
        switch self {
        case .ipt: return IterativePerturbationTheory()
        case .ed: return ExactDiagonalizationSolver(bathSites: bathSites)
        case .hubbardI: return HubbardI()
        case .ml:
            guard let options, let model = options.model else { throw ValidationError("--solver ml needs --model DIR[,DIR…]") }
            let dynamic = options.dynamic ? LearnedSolverDynamicOptions(threshold: options.dynamicThreshold) : nil
            return try LearnedImpuritySolver(directories: model.split(separator: ",").map(String.init), dynamic: dynamic)
        }
    }
}

/// Options shared by the loop and the sweep.
struct DMFTOptions: ParsableArguments {
    @Option(help: "Impurity solver: ipt, ed, hubbard-i or ml (a trained model, --model).") var solver: SolverName = .ipt
    @Option(name: .customLong("bath-sites"), help: "Bath sites for --solver ed (Δ fitted onto them each iteration).") var bathSites = 4
    @Option(parsing: .unconditional, help: "Inverse temperature β (D = 1).") var beta: Double
    @Option(parsing: .unconditional, help: "Chemical potential μ (default U/2: half filling).") var mu: Double?
    @Option(help: "Matsubara frequencies.") var frequencies = 2048
    @Option(help: "Linear mixing of the new G (0 < m ≤ 1).") var mixing = 0.5
    @Option(help: "Convergence: max |G_new − G_old| over the frequencies.") var tolerance = 1e-7
    @Option(name: .customLong("max-iterations"), help: "Iteration cap per U.") var maxIterations = 2000
    @Option(name: .customLong("half-bandwidth"), help: "Half bandwidth D of the semicircle.") var halfBandwidth = 1.0
    @Option(help: "--solver ml: model directories from 'mbml dmft train-solver', comma-separated (several: an ensemble).") var model: String?
    @Flag(help: "--solver ml with an ensemble: call ED (Δ fitted onto the training database's bath size) where the members disagree and add those problems to --database.") var dynamic = false
    @Option(name: .customLong("dynamic-threshold"), help: "--dynamic: ensemble spread (max over x of the std of G) above which ED is called.") var dynamicThreshold = 1e-3
    @Option(help: "--dynamic: database the exactly solved problems are appended to (default: the model's training database).") var database: String?

    func validate() throws {
        guard beta > 0, beta.isFinite else { throw ValidationError("--beta must be positive, got \(beta)") }
        if let mu { guard mu.isFinite else { throw ValidationError("--mu must be a finite number, got \(mu)") } }
        guard frequencies >= 16 else { throw ValidationError("--frequencies must be at least 16, got \(frequencies)") }
        guard mixing > 0, mixing <= 1 else { throw ValidationError("--mixing must be in (0, 1], got \(mixing)") }
        guard tolerance > 0 else { throw ValidationError("--tolerance must be positive, got \(tolerance)") }
        guard maxIterations >= 1 else { throw ValidationError("--max-iterations must be ≥ 1, got \(maxIterations)") }
        guard halfBandwidth > 0, halfBandwidth.isFinite else { throw ValidationError("--half-bandwidth must be positive, got \(halfBandwidth)") }
        guard (1...8).contains(bathSites) else { throw ValidationError("--bath-sites must be 1…8, got \(bathSites)") }
        if solver == .ml && model == nil { throw ValidationError("--solver ml needs --model DIR[,DIR…]") }
        if solver != .ml && (model != nil || dynamic) { throw ValidationError("--model and --dynamic go with --solver ml") }
        guard dynamicThreshold > 0, dynamicThreshold.isFinite else { throw ValidationError("--dynamic-threshold must be positive, got \(dynamicThreshold)") }
    }

    /// The solver of --solver (models loaded once). With --dynamic, an existing --database must
    /// hold the grids and input solvers of the models (checked before the loop starts).
    func makeSolver() throws -> any ImpuritySolver {
        let made = try solver.make(bathSites: bathSites, options: self)
        if dynamic, let learned = made as? LearnedImpuritySolver {
            let path = database ?? learned.models[0].info.databasePath
            if FileManager.default.fileExists(atPath: path) {
                let configuration = try ImpurityDatabase.configuration(of: path)
                for model in learned.models { try model.checkCompatible(configuration: configuration) }
            }
        }
        return made
    }

    /// --dynamic: appends the exactly solved problems to --database (or the model's database); the number added.
    func appendDynamicSamples(_ solver: any ImpuritySolver) throws -> Int {
        guard dynamic, let learned = solver as? LearnedImpuritySolver else { return 0 }
        return try learned.appendPendingSamples(to: database ?? learned.models[0].info.databasePath)
    }

    /// Converges one U from `initial` (or from `start`) at μ = --mu or U/2.
    func converge(U: Double, initial: MatsubaraGreensFunction?, start: BetheDMFT.Start, solver instance: (any ImpuritySolver)? = nil,
                  progress: ((Int, Double) -> Void)? = nil) throws -> BetheDMFT.Result {
        let dmft = BetheDMFT(lattice: try BetheLattice(halfBandwidth: halfBandwidth), mixing: mixing, tolerance: tolerance,
                             maximumIterations: maxIterations)
        return try dmft.run(solver: instance ?? makeSolver(), U: U, mu: mu ?? U / 2, initial: initial, start: start,
                            mesh: try MatsubaraMesh(beta: beta, count: frequencies), progress: progress)
    }
}
