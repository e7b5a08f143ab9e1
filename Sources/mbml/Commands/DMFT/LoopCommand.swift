import ArgumentParser
import Foundation
import MBGreens
import MBImpurity
import MBIO

extension DMFTCommand {
    struct LoopCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loop",
            abstract: "Converge the Bethe-lattice DMFT loop at one U and β.",
            discussion: """
                Writes DIR/g_iw.csv (n,omega,re,im,re_sigma,im_sigma), DIR/convergence.csv (iteration,distance), \
                DIR/observables.json (Z, double_occupancy, g_half_beta, converged, iterations), DIR/result.h5 and \
                DIR/run.json. A loop that reaches --max-iterations is reported with converged = false.
                """)

        @OptionGroup var options: DMFTOptions
        @Option(name: .customLong("U"), parsing: .unconditional, help: "Interaction U ≥ 0.") var U: Double
        @Option(help: "Starting point: metal or insulator.") var start: BetheDMFT.Start = .metal
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard U >= 0, U.isFinite else { throw ValidationError("--U must be ≥ 0 (the loop runs at half filling, μ = U/2), got \(U)") }
        }

        func run() throws {
            common.applyThreads()
            let directory = try OutputDirectory.prepare(output, force: force)
            var record = try RunRecord(configuration: ["U": U, "beta": options.beta, "mixing": options.mixing, "tolerance": options.tolerance],
                                       seed: nil, version: ManyBodyMLVersion.string)
            var log = CSVTable(header: ["iteration", "distance"])
            let quiet = common.quiet
            let (result, double) = try record.measure("loop") {
                try options.converge(U: U, initial: nil, start: start) { iteration, distance in
                    log.append([Double(iteration), distance])
                    if !quiet && iteration % 50 == 0 { print(String(format: "iteration %d: max |ΔG| = %.3e", iteration, distance)) }
                }
            }
            try log.write(to: directory.path(for: "convergence.csv"))
            try DMFTOutput.writeMatsubara(g: result.g, sigma: result.sigma, to: directory.path(for: "g_iw.csv"))
            let observables = DMFTOutput.Observables(U: U, beta: options.beta, Z: result.quasiparticleWeight, double_occupancy: double,
                                                     g_half_beta: IterativePerturbationTheory.gAtHalfBeta(result.g),
                                                     converged: result.converged, iterations: result.iterations)
            try DMFTOutput.writeJSON(observables, to: directory.path(for: "observables.json"))
            try DMFTOutput.writeHDF5(g: result.g, sigma: result.sigma, to: directory.path(for: "result.h5"))
            record.finish()
            try record.write(to: directory)
            if !quiet {
                print(String(format: "U = %g, β = %g: %@ after %d iterations; Z = %.4f, ⟨n↑n↓⟩ = %.4f, G(β/2) = %.4f",
                             U, options.beta, result.converged ? "converged" : "NOT converged", result.iterations,
                             observables.Z, double, observables.g_half_beta))
                print("wrote \(directory.path)/: g_iw.csv, convergence.csv, observables.json, result.h5, run.json")
            }
            if !result.converged { throw ExitCode(2) }
        }
    }
}
