import Foundation
import MBIO
import MBTensor

/// Shared steps of `evaluate` and `maxent`: scoring against the labels on the standard grid,
/// writing predictions, printing a summary.
public enum ContinuationScoring {
    /// True σ of `examples` on ω = 0…10 (201 points), recomputed from the labels.
    public static func trueSigma(_ examples: ContinuationSplit, temperatures: [Double]) -> Tensor<Double> {
        let omegas = ContinuationGrids.frequencies
        var values: [Double] = []
        values.reserveCapacity(examples.count * temperatures.count * omegas.count)
        for e in 0..<examples.count {
            let components = examples.components(e)
            for T in temperatures { for omega in omegas { values.append(components.sigma(omega: omega, temperature: T)) } }
        }
        return Tensor(shape: [examples.count, temperatures.count, omegas.count], scalars: values)
    }

    public static func score(method: String, examples: ContinuationSplit, temperatures: [Double],
                             prediction: ContinuationPrediction, seconds: Double) -> ContinuationMetrics {
        ContinuationMetrics(method: method, truth: trueSigma(examples, temperatures: temperatures), predicted: prediction.sigma,
                            trueLabels: examples.labels, predictedLabels: prediction.labels, seconds: seconds)
    }

    /// The model was trained on this dataset's grids.
    public static func checkCompatible(_ info: ContinuationModelInfo, _ data: ContinuationDataset, modelPath: String, dataPath: String) throws {
        func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 } }
        guard close(info.temperatures, data.temperatures) else {
            throw ContinuationModelError.incompatible(path: modelPath, reason: "trained at temperatures \(info.temperatures), \(dataPath) has \(data.temperatures)")
        }
        guard close(info.reduced_time, data.reducedTime) else {
            throw ContinuationModelError.incompatible(path: modelPath, reason: "trained on another τT grid than \(dataPath)'s reduced_time")
        }
    }

    /// σ̂ [N, T, 201] and, for parametric heads, the predicted labels [N, 3, 3].
    public static func writePredictions(_ prediction: ContinuationPrediction, to path: String) throws {
        try HDF5File.writeAtomically(to: path) { file in
            try file.write(ContinuationGrids.frequencies, at: "frequencies")
            try file.write(prediction.sigma, at: "sigma")
            if let labels = prediction.labels { try file.write(labels, at: "labels") }
        }
    }

    public static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public static func printSummary(_ metrics: ContinuationMetrics, directory: String) {
        var line = String(format: "%@ on %d examples: usable fraction %.3f, median σ(0) relative error %.3g",
                          metrics.method, metrics.examples, metrics.usable_fraction, metrics.sigma0_relative_error_median)
        if let a = metrics.alpha_mae, let g = metrics.gamma_mae { line += String(format: ", α MAE %.3f, γ MAE %.3f", a, g) }
        print(line)
        print("wrote \(directory)/: metrics.json, predictions.h5, report.html, run.json")
    }
}
