import ArgumentParser
import Foundation
import MBGreens
import MBImpurity
import MBIO
import MBLearnedImpurity

extension DMFTCommand {
    struct LoopCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loop",
            abstract: "Converge the Bethe-lattice DMFT loop at one U and β.",
            discussion: """
                Δ = t²G with t = D/2 (semicircle of half bandwidth D), G ← solver(Δ), linear mixing, until \
                max_n |G_new − G_old| < --tolerance. Any solver (ipt, ed with --bath-sites, hubbard-i, ml with --model: a network \
                from 'mbml dmft train-solver', several directories an ensemble, --dynamic hands uncertain calls to ED); μ = U/2 (half \
                filling) unless --mu is given. Writes DIR/g_iw.csv (n,omega,re,im,re_sigma,im_sigma), DIR/g_tau.csv \
                (tau,G; --tau-points, both ends), DIR/spectral.csv and .svg (A(ω) by Padé), DIR/convergence.csv \
                (iteration,distance), DIR/observables.json (n_up, Z, double_occupancy, g_half_beta, energy and the fitted \
                bath for ed, converged, iterations; learned_solver for ml: calls, exact_calls, largest_spread, added_samples), DIR/result.h5 and DIR/run.json. A loop that reaches --max-iterations \
                is reported with converged = false and exit status 2.
                """)

        @OptionGroup var options: DMFTOptions
        @Option(name: .customLong("U"), parsing: .unconditional, help: "Interaction U ≥ 0.") var U: Double
        @Option(help: "Starting point: metal or insulator.") var start: BetheDMFT.Start = .metal
        @Option(name: .customLong("tau-points"), help: "Points of the τ grid of g_tau.csv (both ends).") var tauPoints = 201
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard U >= 0, U.isFinite else { throw ValidationError("--U must be ≥ 0 (the repulsive Hubbard model), got \(U)") }
            guard tauPoints >= 2 else { throw ValidationError("--tau-points must be at least 2, got \(tauPoints)") }
        }

        func run() throws {
            common.applyThreads()
            let solver = try options.makeSolver()  // a bad --model is refused before any output exists
            let directory = try OutputDirectory.prepare(output, force: force)
            let mu = options.mu ?? U / 2
            var record = try RunRecord(configuration: ["solver": options.solver.rawValue, "U": String(U), "mu": String(mu),
                                                       "beta": String(options.beta), "start": start.rawValue,
                                                       "bath_sites": String(options.bathSites), "frequencies": String(options.frequencies),
                                                       "mixing": String(options.mixing), "tolerance": String(options.tolerance)],
                                       seed: nil, version: ManyBodyMLVersion.string)
            var log = CSVTable(header: ["iteration", "distance"])
            let quiet = common.quiet
            let result = try record.measure("loop") {
                try options.converge(U: U, initial: nil, start: start, solver: solver) { iteration, distance in
                    log.append([Double(iteration), distance])
                    if !quiet && iteration % 50 == 0 { print(String(format: "iteration %d: max |ΔG| = %.3e", iteration, distance)) }
                }
            }
            let impurity = result.impurity
            try log.write(to: directory.path(for: "convergence.csv"))
            try DMFTOutput.writeMatsubara(g: result.g, sigma: result.sigma, to: directory.path(for: "g_iw.csv"))
            var tauTable = CSVTable(header: ["tau", "G"])
            let times = try ImaginaryTimeMesh(beta: options.beta, count: tauPoints)
            for (tau, value) in zip(times.points, try impurity.imaginaryTime(times)) { tauTable.append([tau, value]) }
            try tauTable.write(to: directory.path(for: "g_tau.csv"))
            let observables = DMFTOutput.Observables(
                solver: options.solver.rawValue, U: U, mu: mu, beta: options.beta, n_up: impurity.occupation, Z: result.quasiparticleWeight,
                double_occupancy: impurity.doubleOccupancy, g_half_beta: IterativePerturbationTheory.gAtHalfBeta(result.g),
                energy: impurity.energy, bath_energies: impurity.exact?.model.bathEnergies, bath_hoppings: impurity.exact?.model.bathHoppings,
                converged: result.converged, iterations: result.iterations,
                learned_solver: try DMFTOutput.learnedSolverStatistics(solver, options: options))
            try DMFTOutput.writeJSON(observables, to: directory.path(for: "observables.json"))
            try DMFTOutput.writeHDF5(g: result.g, sigma: result.sigma, to: directory.path(for: "result.h5"))
            try DMFTOutput.writeSpectralFunction(g: result.g, halfBandwidth: options.halfBandwidth,
                                                 title: String(format: "A(ω), %@, U = %g, β = %g", options.solver.rawValue, U, options.beta),
                                                 directory: directory)
            record.finish()
            try record.write(to: directory)
            if !quiet {
                print(String(format: "U = %g, μ = %g, β = %g: %@ after %d iterations; Z = %.4f, n↑ = %.4f, ⟨n↑n↓⟩ = %.4f, G(β/2) = %.4f",
                             U, mu, options.beta, result.converged ? "converged" : "NOT converged", result.iterations,
                             observables.Z, observables.n_up, observables.double_occupancy, observables.g_half_beta))
                print("wrote \(directory.path)/: g_iw.csv, g_tau.csv, spectral.csv, spectral.svg, convergence.csv, observables.json, result.h5, run.json")
            }
            if !result.converged { throw ExitCode(2) }
        }
    }
}
