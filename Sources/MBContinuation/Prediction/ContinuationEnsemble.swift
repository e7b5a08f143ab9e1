import Foundation
import MBPlot
import MBTensor

/// Several trained models used together: σ̂ is their mean and the band their spread. When Λ
/// comes with standard errors, every member also sees `noiseSamples` copies of Λ with
/// Gaussian noise of those errors, so the band carries the data's uncertainty as well.
public struct ContinuationEnsemble {
    public let members: [(model: ContinuationModel, info: ContinuationModelInfo, path: String)]

    public init(paths: [String]) throws {
        precondition(!paths.isEmpty, "an ensemble needs at least one model")
        var members: [(ContinuationModel, ContinuationModelInfo, String)] = []
        for path in paths {
            let (model, info) = try ContinuationModelDirectory.load(path)
            if let first = members.first?.1, first.temperatures != info.temperatures || first.reduced_time != info.reduced_time {
                throw ContinuationModelError.incompatible(path: path, reason: "trained on other grids than \(members[0].2)")
            }
            members.append((model, info, path))
        }
        self.members = members
    }

    public var info: ContinuationModelInfo { members[0].info }

    /// Mean and standard deviation of σ̂ [N, T, 201] over members (and noise draws).
    public func predict(_ input: UserLambda, noiseSamples: Int = 32, generator: inout RandomGenerator)
        -> (mean: Tensor<Double>, standardDeviation: Tensor<Double>, draws: Int) {
        var inputs = [input.lambda]
        if let errors = input.errors, noiseSamples > 0 {
            for _ in 0..<noiseSamples {
                let eta: Tensor<Double> = generator.normal(shape: input.lambda.shape)
                inputs.append(input.lambda + eta * errors)
            }
        }
        var sum: Tensor<Double>?, sumOfSquares: Tensor<Double>?
        for member in members {
            for lambda in inputs {
                let sigma = member.model.predict(lambda, temperatures: info.temperatures, frequencies: ContinuationGrids.frequencies).sigma
                sum = sum.map { $0 + sigma } ?? sigma
                sumOfSquares = sumOfSquares.map { $0 + sigma * sigma } ?? sigma * sigma
            }
        }
        let count = Double(members.count * inputs.count)
        let mean = sum! / count
        let variance = (sumOfSquares! / count - mean * mean).relu()
        return (mean, variance.sqrt(), members.count * inputs.count)
    }

    /// σ̂(ω) at every temperature with its ±1 std band, for example `index`.
    public static func plot(mean: Tensor<Double>, standardDeviation: Tensor<Double>, index: Int, temperatures: [Double], title: String) -> LinePlot {
        let omegas = ContinuationGrids.frequencies, nw = omegas.count, nT = temperatures.count
        let m = mean.scalars, s = standardDeviation.scalars
        var series: [PlotSeries] = [], bands: [PlotBand] = []
        for (t, T) in temperatures.enumerated() {
            let base = (index * nT + t) * nw
            let values = (0..<nw).map { m[base + $0] }, spread = (0..<nw).map { s[base + $0] }
            series.append(PlotSeries(name: String(format: "T = %.1f", T), x: omegas, y: values))
            bands.append(PlotBand(x: omegas, lower: zip(values, spread).map { $0 - $1 }, upper: zip(values, spread).map { $0 + $1 }))
        }
        return LinePlot(title: title, xAxis: PlotAxis(label: "ω", range: 0...10), yAxis: PlotAxis(label: "σ(ω)", scale: .logarithmic),
                        series: series, bands: bands, width: 640, height: 420, palette: PlotPalette.sequential(count: nT))
    }
}
