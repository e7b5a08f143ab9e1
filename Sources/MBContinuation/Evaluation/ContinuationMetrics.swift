import Foundation
import MBTensor

/// The study's scores of predicted σ against the truth, as written to `metrics.json`.
///
/// - `usable_fraction`: share of examples whose fractional error σ/σ̂ stays in [0.8, 1.2] at
///   every temperature and every frequency of the grid (ω ∈ [0, 10], 201 points).
/// - `sigma0_relative_error_median` (and mean): |σ̂(0, T) − σ(0, T)| / σ(0, T) over all
///   examples and temperatures.
/// - `alpha_mae`, `gamma_mae`: mean absolute errors of α and of the six (γ0, γ1), when the
///   method predicts Drude parameters (null otherwise).
/// - `usable_fraction_by_temperature`: the usable share counting one temperature at a time.
public struct ContinuationMetrics: Codable, Sendable {
    public var method: String
    public var examples: Int
    public var usable_fraction: Double
    public var usable_fraction_by_temperature: [Double]
    public var sigma0_relative_error_median: Double
    public var sigma0_relative_error_mean: Double
    public var alpha_mae: Double?
    public var gamma_mae: Double?
    public var alpha_prediction_std: Double?
    public var seconds: Double?
    /// For the MaxEnt baseline: solves, failures, median α and χ²/N, time per solve.
    public var maxent: MaxEntBaseline.Diagnostics?
    /// max over (T, ω) of |log(σ/σ̂)| per example: the ranking used for best/median/worst.
    public var worst_log_ratio: [Double] = []

    enum CodingKeys: String, CodingKey {
        case method, examples, usable_fraction, usable_fraction_by_temperature, sigma0_relative_error_median
        case sigma0_relative_error_mean, alpha_mae, gamma_mae, alpha_prediction_std, seconds, maxent
    }

    public static let usableRange = 0.8...1.2

    /// Scores `predicted` [N, T, M] against `truth` [N, T, M] (same grids, ω₀ = 0 first), and
    /// predicted labels against true labels [N, 3, 3] when both are given.
    public init(method: String, truth: Tensor<Double>, predicted: Tensor<Double>, trueLabels: Tensor<Double>?,
                predictedLabels: Tensor<Double>?, seconds: Double? = nil) {
        precondition(truth.shape == predicted.shape, "truth \(truth.shape) and prediction \(predicted.shape) differ")
        let n = truth.shape[0], nT = truth.shape[1], nw = truth.shape[2]
        let s = truth.scalars, p = predicted.scalars
        var usable = 0, usableByT = [Int](repeating: 0, count: nT)
        var errors: [Double] = [], worst: [Double] = []
        for e in 0..<n {
            var allGood = true, largest = 0.0
            for t in 0..<nT {
                var good = true
                for j in 0..<nw {
                    let i = (e * nT + t) * nw + j
                    let ratio = s[i] / p[i]
                    if !(ratio.isFinite && Self.usableRange.contains(ratio)) { good = false }
                    largest = max(largest, ratio.isFinite && ratio > 0 ? abs(log(ratio)) : .infinity)
                }
                if good { usableByT[t] += 1 } else { allGood = false }
                let i0 = (e * nT + t) * nw
                errors.append(abs(p[i0] - s[i0]) / s[i0])
            }
            if allGood { usable += 1 }
            worst.append(largest)
        }
        self.method = method
        examples = n
        usable_fraction = Double(usable) / Double(n)
        usable_fraction_by_temperature = usableByT.map { Double($0) / Double(n) }
        let sorted = errors.map { $0.isNaN ? .infinity : $0 }.sorted()
        sigma0_relative_error_median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        sigma0_relative_error_mean = sorted.reduce(0, +) / Double(sorted.count)
        worst_log_ratio = worst
        self.seconds = seconds
        if let trueLabels, let predictedLabels {
            let a = trueLabels.scalars, b = predictedLabels.scalars
            var alphaError = 0.0, gammaError = 0.0, alphas: [Double] = []
            for e in 0..<n {
                for k in 0..<3 {
                    alphaError += abs(a[e * 9 + 3 * k] - b[e * 9 + 3 * k])
                    alphas.append(b[e * 9 + 3 * k])
                    gammaError += abs(a[e * 9 + 3 * k + 1] - b[e * 9 + 3 * k + 1]) + abs(a[e * 9 + 3 * k + 2] - b[e * 9 + 3 * k + 2])
                }
            }
            alpha_mae = alphaError / Double(3 * n)
            gamma_mae = gammaError / Double(6 * n)
            let mean = alphas.reduce(0, +) / Double(alphas.count)
            alpha_prediction_std = (alphas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(alphas.count)).squareRoot()
        }
    }

    /// Indices of the best, median and worst examples by `worst_log_ratio`.
    public var representativeExamples: (best: Int, median: Int, worst: Int) {
        let order = worst_log_ratio.indices.sorted { worst_log_ratio[$0] < worst_log_ratio[$1] }
        return (order.first!, order[order.count / 2], order.last!)
    }

    /// Pretty JSON (without the per-example ranking).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
