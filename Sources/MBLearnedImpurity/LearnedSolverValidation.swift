import Foundation
import MBImpurity
import MBIO
import MBTensor

/// The error table of `validation.csv`.
///
/// Error of one sample j and one solver s: the RMSE of G over the database's x grid against the
/// target's exact G(x_k) (`g_tau/ed`),
///
///     e_j(s) = √( (1/P) Σ_k (G_s(x_k) − G_ed(x_k))² ),
///
/// where G_s is the stored `g_tau/<s>` for a cheap solver and, for the network, its prediction
/// taken back to G(x_k) (T⁻¹; a Legendre prediction summed on the grid, truncation included;
/// the sigma variant through Dyson and the truncated Fourier series). A table entry is the mean of
/// e_j over the validation samples of the group (one β, or `all`).
///
/// Columns: `inputs, beta, samples, rmse_ml, rmse_<solver>` for every input solver of the
/// database (in its order), then `best_input, best_input_rmse, ratio_inputs` (the best of the
/// network's own inputs and its error over the network's) and `best_cheap, best_cheap_rmse,
/// ratio_cheap` (the same over all cheap solvers of the database). A ratio ≥ 5 meets the issue's
/// target "ML error at most one fifth of the best cheap solver's".
public enum LearnedSolverValidation {
    /// The errors of one validation sample.
    public struct SampleErrors: Sendable, Equatable {
        public var row: Int
        public var beta: Double
        public var machineLearned: Double
        /// e_j of every cheap solver of the database.
        public var solvers: [String: Double]

        public init(row: Int, beta: Double, machineLearned: Double, solvers: [String: Double]) {
            self.row = row
            self.beta = beta
            self.machineLearned = machineLearned
            self.solvers = solvers
        }
    }

    /// √(mean of squared differences).
    public static func rmse(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count && !a.isEmpty, "rmse needs equal non-empty lengths, got \(a.count), \(b.count)")
        var sum = 0.0
        for k in a.indices { sum += (a[k] - b[k]) * (a[k] - b[k]) }
        return (sum / Double(a.count)).squareRoot()
    }

    /// G(x_k) predicted by `models` (their mean) for database rows `rows`, in row order.
    public static func predictions(models: [LearnedSolverModel], database: ImpurityDatabase, rows: [Int]) -> [[Double]] {
        guard let first = models.first, !rows.isEmpty else { return [] }
        let s = first.specification
        let problems = rows.map { LearnedSolverProblem(record: database[$0], frequencies: s.frequencies) }
        let features = Tensor(shape: [rows.count, s.inputWidth], scalars: problems.flatMap { s.features(of: $0) })
        var sum = [[Double]](repeating: [Double](repeating: 0, count: s.points), count: rows.count)
        for model in models {
            let output = model.output(features: features).scalars
            let width = model.specification.outputWidth
            for j in rows.indices {
                let g = model.specification.imaginaryTime(output: Array(output[(j * width)..<((j + 1) * width)]), problem: problems[j],
                                                          grid: model.grid)
                for k in 0..<g.count { sum[j][k] += g[k] }
            }
        }
        return sum.map { $0.map { $0 / Double(models.count) } }
    }

    /// Errors of the network (ensemble mean of `models`) and of every cheap solver on `rows`.
    public static func evaluate(models: [LearnedSolverModel], database: ImpurityDatabase, rows: [Int]) -> [SampleErrors] {
        let target = database.configuration.target
        let predicted = predictions(models: models, database: database, rows: rows)
        return rows.enumerated().map { j, row in
            let record = database[row]
            let exact = record.outputs[target]!.gTau
            var solvers: [String: Double] = [:]
            for name in database.configuration.inputs { solvers[name] = rmse(record.outputs[name]!.gTau, exact) }
            return SampleErrors(row: row, beta: record.parameters.beta, machineLearned: rmse(predicted[j], exact), solvers: solvers)
        }
    }

    /// One line of the table.
    public struct Line: Sendable, Equatable {
        public var inputs: [String]
        /// "all" or the β.
        public var beta: String
        public var samples: Int
        public var machineLearned: Double
        public var solvers: [String: Double]
        public var bestInput: String
        public var bestCheap: String

        public var ratioInputs: Double { solvers[bestInput]! / machineLearned }
        public var ratioCheap: Double { solvers[bestCheap]! / machineLearned }
    }

    /// Lines per β (ascending) and `all` for one network.
    public static func lines(inputs: [String], errors: [SampleErrors], cheapSolvers: [String]) -> [Line] {
        let betas = Array(Set(errors.map(\.beta))).sorted()
        var groups: [(String, [SampleErrors])] = betas.map { beta in (formatBeta(beta), errors.filter { $0.beta == beta }) }
        groups.append(("all", errors))
        return groups.filter { !$0.1.isEmpty }.map { label, group in
            let n = Double(group.count)
            var solvers: [String: Double] = [:]
            for name in cheapSolvers { solvers[name] = group.reduce(0) { $0 + $1.solvers[name]! } / n }
            let bestInput = inputs.min { solvers[$0]! < solvers[$1]! }!
            let bestCheap = cheapSolvers.min { solvers[$0]! < solvers[$1]! }!
            return Line(inputs: inputs, beta: label, samples: group.count, machineLearned: group.reduce(0) { $0 + $1.machineLearned } / n,
                        solvers: solvers, bestInput: bestInput, bestCheap: bestCheap)
        }
    }

    static func formatBeta(_ beta: Double) -> String {
        beta == beta.rounded() && abs(beta) < 1e15 ? String(Int(beta)) : String(beta)
    }

    /// The CSV table of `lines` (see the type's description for the columns).
    public static func table(_ lines: [Line], cheapSolvers: [String]) -> CSVTable {
        var table = CSVTable(header: ["inputs", "beta", "samples", "rmse_ml"] + cheapSolvers.map { "rmse_\($0)" }
                             + ["best_input", "best_input_rmse", "ratio_inputs", "best_cheap", "best_cheap_rmse", "ratio_cheap"])
        for line in lines {
            table.append([line.inputs.joined(separator: ","), line.beta, String(line.samples), String(line.machineLearned)]
                         + cheapSolvers.map { String(line.solvers[$0]!) }
                         + [line.bestInput, String(line.solvers[line.bestInput]!), String(line.ratioInputs),
                            line.bestCheap, String(line.solvers[line.bestCheap]!), String(line.ratioCheap)])
        }
        return table
    }
}
