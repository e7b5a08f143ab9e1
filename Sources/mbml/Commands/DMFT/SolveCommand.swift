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
                (n,omega,re,im,re_sigma,im_sigma; 64 frequencies), DIR/observables.json (n_up, double_occupancy, energy; \
                ED only), DIR/result.h5 and DIR/run.json.
                """)

        enum Solver: String, ExpressibleByArgument, CaseIterable { case ed, ipt, hubbardI = "hubbard-i" }

        @Option(help: "Impurity solver: ed, ipt or hubbard-i.") var solver: Solver = .ed
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
            let count = 1024
            let mesh = try MatsubaraMesh(beta: beta, count: count)
            let taus = AndersonImpurityModel.imaginaryTimes(count: tauPoints, beta: beta)
            let g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction, gTau: [Double]
            var observables: [String: Double] = [:]
            switch solver {
            case .ed:
                let solution: ImpuritySolution
                if ExactDiagonalization.resourceEstimate(bathSites: model.bathSiteCount).largestBlock <= ExactDiagonalization().maximumBlockDimension,
                   model.bathSiteCount <= 6 {
                    solution = try ExactDiagonalization().solve(model)
                } else {
                    solution = try KrylovExactDiagonalization().solve(model)
                }
                g = try MatsubaraGreensFunction(mesh: mesh, values: solution.greensFunction(matsubaraCount: count))
                sigma = try MatsubaraGreensFunction(mesh: mesh, values: solution.selfEnergy(matsubaraCount: count))
                gTau = try solution.greensFunction(imaginaryTimes: taus)
                observables = ["n_up": solution.occupationUp, "double_occupancy": solution.doubleOccupancy, "energy": solution.energy]
            case .ipt:
                let delta = try MatsubaraGreensFunction(mesh: mesh, values: model.hybridization(count: count))
                if abs(mu - U / 2) < 1e-12 && Self.isParticleHoleSymmetric(model) {
                    (g, sigma) = try IterativePerturbationTheory().solveHalfFilling(hybridization: delta, U: U)
                    observables = ["n_up": 0.5, "double_occupancy": IterativePerturbationTheory.doubleOccupancyHalfFilling(g: g, sigma: sigma, U: U)]
                } else {
                    let solution = try IterativePerturbationTheory().solve(hybridization: delta, U: U, mu: mu)
                    (g, sigma) = (solution.g, solution.sigma)
                    observables = ["n_up": solution.occupation, "mu0": solution.pseudoChemicalPotential]
                }
                gTau = try g.fourierTransformed(to: ImaginaryTimeMesh(beta: beta, count: tauPoints)).values
            case .hubbardI:
                let delta = try MatsubaraGreensFunction(mesh: mesh, values: model.hybridization(count: count))
                let solution = try HubbardI().solve(hybridization: delta, U: U, mu: mu)
                (g, sigma) = (solution.g, solution.sigma)
                gTau = try g.fourierTransformed(to: ImaginaryTimeMesh(beta: beta, count: tauPoints)).values
                observables = ["n_up": solution.occupation]
            }
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

        /// The bath's (ε, V) pairs map onto (−ε, V) pairs.
        static func isParticleHoleSymmetric(_ model: AndersonImpurityModel) -> Bool {
            let pairs = zip(model.bathEnergies, model.bathHoppings).map { ($0, abs($1)) }
            return pairs.allSatisfy { p in pairs.contains { abs($0.0 + p.0) < 1e-12 && abs($0.1 - p.1) < 1e-12 } }
        }
    }
}
