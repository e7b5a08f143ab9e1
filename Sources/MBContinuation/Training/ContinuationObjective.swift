import Foundation
import MBNN
import MBTensor

/// Training targets and the losses of `ContinuationLoss`.
///
/// Targets are packed per example into one row [α (3), γ (6), σ(0, T) (10), log σ(ω, T) (10·M)]
/// so they travel with the inputs through `TensorDataset`.
public enum ContinuationObjective {
    /// The packed targets [N, 19 + 10·M] of a split (σ from the split's `sigma`).
    public static func targets(_ split: ContinuationSplit, temperatures: [Double]) -> Tensor<Float> {
        let n = split.count, nT = temperatures.count, nw = split.sigma.shape[2]
        let width = 9 + nT + nT * nw
        var rows = [Float](repeating: 0, count: n * width)
        let sigma = split.sigma.scalars
        for e in 0..<n {
            let components = split.components(e)
            var row = components.alpha
            for k in 0..<3 { row += [components.gamma0[k], components.gamma1[k]] }
            row += temperatures.map { components.sigmaAtZero(temperature: $0) }
            let block = sigma[(e * nT * nw)..<((e + 1) * nT * nw)]
            row += block.map { (value: Double) -> Double in Foundation.log(Swift.max(value, 1e-30)) }
            for (i, v) in row.enumerated() { rows[e * width + i] = Float(v) }
        }
        return Tensor(shape: [n, width], scalars: rows)
    }

    /// The loss of `output` against packed `targets` (see `ContinuationLoss`).
    public static func loss(_ output: ContinuationModel.Output, targets: Tensor<Float>, kind: ContinuationLoss,
                            temperatures: [Double]) -> Tensor<Float> {
        let nT = temperatures.count
        if let logSigma = output.logSigma {
            let truth = targets.sliced(alongAxis: 1, (9 + nT)..<targets.shape[1]).reshaped(to: logSigma.shape)
            return meanSquaredError(logSigma, truth)
        }
        let alpha = targets.sliced(alongAxis: 1, 0..<3), gamma = targets.sliced(alongAxis: 1, 3..<9)
        let logits = output.alphaLogits!, gammaHat = output.gamma!
        let parameterLoss = klDivergence(logPredicted: logits.logSoftmax(), target: alpha) + meanSquaredError(gammaHat, gamma)
        let (wParameters, wSigma) = kind.weights
        guard wSigma > 0 else { return parameterLoss }
        let sigmaZero = targets.sliced(alongAxis: 1, 9..<(9 + nT))
        let predicted = sigmaAtZero(alpha: logits.softmax(), gamma: gammaHat, temperatures: temperatures)
        return parameterLoss * wParameters + meanSquaredError(predicted, sigmaZero) * wSigma
    }

    /// σ(0, T) = Σ_k α_k/(γ0_k + γ1_k T²) [batch, T] from α [batch, 3] and γ [batch, 6].
    public static func sigmaAtZero<Scalar>(alpha: Tensor<Scalar>, gamma: Tensor<Scalar>, temperatures: [Double]) -> Tensor<Scalar> {
        let pairs = gamma.reshaped(to: [gamma.shape[0], 3, 2])
        let g0 = pairs.sliced(alongAxis: 2, 0..<1), g1 = pairs.sliced(alongAxis: 2, 1..<2)
        let squares = Tensor<Scalar>(shape: [1, 1, temperatures.count], scalars: temperatures.map { Scalar($0 * $0) })
        let widths = g0 + g1 * squares
        return (alpha.expandingShape(at: 2) / widths).sum(alongAxes: [1])
    }
}
