import ArgumentParser
import ComplexModule
import Foundation
import MBGreens
import MBImpurity
import MBIO

extension DMFTCommand {
    struct SolveCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "solve",
            abstract: "Solve one Anderson impurity model with a discrete bath.",
            discussion: """
                H = U n↑n↓ − μ(n↑ + n↓) + Σ ε_i n_iσ + Σ V_i (c†_σ a_iσ + h.c.). Solvers: ed (exact: full \
                diagonalisation by (N↑, N↓) blocks up to 6 bath sites, Lanczos beyond), ipt (second order; away from half filling \
                the Kajueter–Kotliar interpolation), hubbard-i (atomic self-energy, self-consistent occupation). Writes DIR/g_tau.csv (tau,G with τ_k = kβ/(n−1)), DIR/g_iw.csv \
                (n,omega,re,im,re_sigma,im_sigma; 64 frequencies), DIR/observables.json (n_up, double_occupancy; energy for \
                ed), DIR/result.h5 and DIR/run.json.
                """)

        @Option(help: "Impurity solver: ed, ipt or hubbard-i.") var solver: SolverName = .ed
        @Option(name: .customLong("U"), parsing: .unconditional, help: "Interaction U.") var U: Double
        @Option(parsing: .unconditional, help: "Chemical potential μ (half filling: U/2).") var mu: Double
        @Option(parsing: .unconditional, help: "Inverse temperature β.") var beta: Double
        @Option(name: .customLong("bath-energies"), parsing: .unconditional, help: "Bath energies ε_1,ε_2,… (comma-separated).") var bathEnergies: String = ""
        @Option(name: .customLong("bath-hoppings"), parsing: .unconditional, help: "Bath hoppings V_1,V_2,… (comma-separated).") var bathHoppings: String = ""
        @Option(name: .customLong("tau-points"), help: "Points of the τ grid (both ends).") var tauPoints = 51
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        static func list(_ text: String, _ option: String) throws -> [Double] {
            guard !text.isEmpty else { return [] }
            return try text.split(separator: ",").map { field in
                guard let value = Double(field.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw ValidationError("\(option) must be comma-separated numbers, got '\(field)' in '\(text)'")
                }
                return value
            }
        }

        func validate() throws {
            guard tauPoints >= 2 else { throw ValidationError("--tau-points must be at least 2, got \(tauPoints)") }
            let e = try Self.list(bathEnergies, "--bath-energies"), v = try Self.list(bathHoppings, "--bath-hoppings")
            guard e.count == v.count else {
                throw ValidationError("--bath-energies has \(e.count) values but --bath-hoppings has \(v.count); give one hopping per bath site")
            }
        }

        func run() throws {
            common.applyThreads()
            let model = try AndersonImpurityModel(U: U, mu: mu, beta: beta, bathEnergies: try Self.list(bathEnergies, "--bath-energies"),
                                                  bathHoppings: try Self.list(bathHoppings, "--bath-hoppings"))
            let problem = try ImpurityProblem(model: model, frequencies: 1024)
            let result = try solver.make(bathSites: model.bathSiteCount).solve(problem)
            let taus = AndersonImpurityModel.imaginaryTimes(count: tauPoints, beta: beta)
            let gTau = try result.imaginaryTime(ImaginaryTimeMesh(beta: beta, count: tauPoints))
            var observables = ["n_up": result.occupation, "double_occupancy": result.doubleOccupancy]
            if let energy = result.energy { observables["energy"] = energy }
            let (g, sigma) = (result.g, result.sigma)
            let directory = try OutputDirectory.prepare(output, force: force)
            var record = try RunRecord(configuration: ["solver": solver.rawValue, "U": String(U), "mu": String(mu), "beta": String(beta),
                                                       "bath_energies": bathEnergies, "bath_hoppings": bathHoppings],
                                       seed: nil, version: ManyBodyMLVersion.string)
            var table = CSVTable(header: ["tau", "G"])
            for (tau, value) in zip(taus, gTau) { table.append([tau, value]) }
            try table.write(to: directory.path(for: "g_tau.csv"))
            try DMFTOutput.writeMatsubara(g: g, sigma: sigma, to: directory.path(for: "g_iw.csv"))
            try DMFTOutput.writeJSON(observables, to: directory.path(for: "observables.json"))
            try DMFTOutput.writeHDF5(g: g, sigma: sigma, to: directory.path(for: "result.h5"))
            record.finish()
            try record.write(to: directory)
            if !common.quiet {
                print(observables.sorted { $0.key < $1.key }.map { String(format: "%@ = %.10g", $0.key, $0.value) }.joined(separator: ", "))
                print("wrote \(directory.path)/: g_tau.csv, g_iw.csv, observables.json, result.h5, run.json")
            }
        }
    }
}
