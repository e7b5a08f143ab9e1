import ComplexModule
import Foundation
import MBGreens
import MBImpurity

/// `mbml bench core --only dmft`: exact diagonalisation of the Anderson model with Nb = 4 and
/// 5 bath sites (every (N↑, N↓) block, full spectrum, plus the Lehmann sums), as
/// `scripts/peers/ed_quspin.py` does with QuSpin; and one IPT iteration on the Bethe lattice
/// with 4096 Matsubara frequencies, as `scripts/peers/ipt_numpy.py` does with NumPy.
/// The same model in both: U = 2, μ = 1, ε_i evenly spaced in [−1, 1], V_i = 0.5, β = 10.
enum DMFTBenchmark {
    static func bath(_ sites: Int) -> (energies: [Double], hoppings: [Double]) {
        ((0..<sites).map { -1 + 2 * Double($0) / Double(max(sites - 1, 1)) }, Array(repeating: 0.5, count: sites))
    }

    static func run(repetitions: Int) -> [BenchmarkRecord] {
        var records: [BenchmarkRecord] = []
        for sites in [4, 5] {
            let (e, v) = bath(sites)
            let model = try! AndersonImpurityModel(U: 2, mu: 1, beta: 10, bathEnergies: e, bathHoppings: v)
            var ground = 0.0
            let timing = BenchmarkTimer.time(warmup: 1, repeat: max(repetitions, 3)) {
                ground = try! ExactDiagonalization().solve(model).groundStateEnergy
            }
            records.append(BenchmarkRecord(bench: "dmft", model: "ed Nb=\(sites)", metric: String(format: "all sectors, full spectrum (E0 = %.10f)", ground),
                                           unit: "s", value: timing.median, all: timing.all))
        }
        let beta = 50.0, count = 4096
        let mesh = try! MatsubaraMesh(beta: beta, count: count)
        let lattice = try! BetheLattice()
        var g = try! lattice.greensFunction(on: mesh)
        let ipt = IterativePerturbationTheory()
        let timing = BenchmarkTimer.time(warmup: 3, repeat: max(repetitions, 20)) {
            g = try! ipt.solveHalfFilling(hybridization: lattice.hybridization(from: g), U: 2).g
        }
        records.append(BenchmarkRecord(bench: "dmft", model: "ipt N=4096", metric: "one iteration (β = 50, U = 2)", unit: "s",
                                       value: timing.median, all: timing.all))
        return records
    }
}
