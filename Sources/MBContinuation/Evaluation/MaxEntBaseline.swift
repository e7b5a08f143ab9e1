import Foundation
import MBTensor

/// The MaxEnt baseline of the study: every example and every temperature continued
/// separately on the physical kernel, σ interpolated onto the 201-point scoring grid.
///
/// The data's errors are taken relative: e_i = `relativeError` · |Λ_i| (default: the
/// dataset's noise level, at least 10⁻⁴, i.e. QMC-quality data).
public struct MaxEntBaseline: Sendable {
    public var solver: MaxEnt
    public var relativeError: Double

    public init(solver: MaxEnt = MaxEnt(), relativeError: Double) {
        self.solver = solver
        self.relativeError = relativeError
    }

    public struct Diagnostics: Codable, Sendable {
        public var solves = 0
        public var failures: [String] = []
        public var median_alpha = 0.0
        public var median_reduced_chi_squared = 0.0
        public var seconds_per_solve = 0.0
    }

    /// σ̂ [N, T, 201] for `examples` (failed solves give NaN, which scores as unusable).
    public func run(_ examples: ContinuationSplit, temperatures: [Double], reducedTime: [Double],
                    progress: ((Int, Int) -> Void)? = nil) throws -> (prediction: ContinuationPrediction, diagnostics: Diagnostics) {
        let n = examples.count, nT = temperatures.count, nx = reducedTime.count
        let omegas = ContinuationGrids.frequencies, nw = omegas.count
        let kernels = try temperatures.map { T in try MaxEntKernel(tau: reducedTime.map { $0 / T }, beta: 1 / T, grid: self.solver.grid) }
        let lambda = examples.lambda.scalars
        let solver = self.solver, relativeError = self.relativeError
        let start = ContinuousClock.now
        let results = ResultsBox(count: n * nT)
        ComputeThreads.parallelFor(n * nT, minimumChunk: 1) { range in
            for job in range {
                let (e, t) = (job / nT, job % nT)
                let data = Array(lambda[(job * nx)..<((job + 1) * nx)])
                do {
                    let result = try solver.solve(kernel: kernels[t], data: data, errors: data.map { relativeError * abs($0) })
                    results.store(job, .success((result.grid.interpolate(result.sigma, at: omegas), result.alpha, result.reducedChiSquared)))
                } catch {
                    results.store(job, .failure("example \(e), T = \(temperatures[t]): \(error)"))
                }
                if let progress, job % nT == nT - 1 { progress(job / nT + 1, n) }
            }
        }
        var sigma = [Double](repeating: .nan, count: n * nT * nw)
        var diagnostics = Diagnostics(), alphas: [Double] = [], chis: [Double] = []
        for job in 0..<(n * nT) {
            switch results.values[job]! {
            case let .success((values, alpha, chi)):
                for j in 0..<nw { sigma[job * nw + j] = values[j] }
                alphas.append(alpha)
                chis.append(chi)
            case let .failure(message):
                diagnostics.failures.append(message)
            }
        }
        diagnostics.solves = n * nT
        func median(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.sorted()[v.count / 2] }
        diagnostics.median_alpha = median(alphas)
        diagnostics.median_reduced_chi_squared = median(chis)
        let seconds = ContinuationScoring.seconds(since: start)
        diagnostics.seconds_per_solve = seconds / Double(n * nT)
        return (ContinuationPrediction(sigma: Tensor(shape: [n, nT, nw], scalars: sigma), labels: nil), diagnostics)
    }

    enum Outcome: Sendable {
        case success(([Double], Double, Double))
        case failure(String)
    }

    /// Results written by the parallel workers, each slot by exactly one job.
    final class ResultsBox: @unchecked Sendable {
        var values: [Outcome?]
        let lock = NSLock()
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func store(_ index: Int, _ outcome: Outcome) { lock.lock(); values[index] = outcome; lock.unlock() }
    }
}
