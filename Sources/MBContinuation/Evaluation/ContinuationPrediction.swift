import Foundation
import MBTensor

/// σ(ω, T) predicted for a batch of Λ, with the Drude parameters when the model has them.
public struct ContinuationPrediction: Sendable {
    /// σ [N, temperatures, frequencies].
    public var sigma: Tensor<Double>
    /// Predicted labels [N, 3, 3] (rows [α, γ0, γ1]); nil for the direct head.
    public var labels: Tensor<Double>?
}

extension ContinuationModel {
    /// Predicts σ on `frequencies` (the model's own 201-point grid for the direct head) at
    /// `temperatures` from Λ [N, 10, 200], in batches, without gradients.
    public func predict(_ lambda: Tensor<Double>, temperatures: [Double], frequencies: [Double],
                        batchSize: Int = 250) -> ContinuationPrediction {
        let n = lambda.shape[0], nT = temperatures.count, nw = frequencies.count
        var sigma = [Double](repeating: 0, count: n * nT * nw)
        var labels: [Double]? = loss == .direct ? nil : []
        let input = Tensor<Float>(converting: lambda)
        for start in stride(from: 0, to: n, by: batchSize) {
            let rows = Array(start..<min(n, start + batchSize))
            let output = self(input.gathering(indices: rows, alongAxis: 0))
            if let logSigma = output.logSigma {
                precondition(logSigma.shape[2] == nw, "the direct head predicts \(logSigma.shape[2]) frequencies, asked for \(nw)")
                let values = logSigma.scalars
                for i in values.indices { sigma[start * nT * nw + i] = exp(Double(values[i])) }
            } else {
                let alpha = output.alphaLogits!.softmax().scalars, gamma = output.gamma!.scalars
                for r in rows.indices {
                    let components = DrudeComponents(
                        alpha: (0..<3).map { Double(alpha[r * 3 + $0]) }, gamma0: (0..<3).map { Double(gamma[r * 6 + 2 * $0]) },
                        gamma1: (0..<3).map { Double(gamma[r * 6 + 2 * $0 + 1]) })
                    labels! += components.label
                    for (t, T) in temperatures.enumerated() {
                        for (j, omega) in frequencies.enumerated() {
                            sigma[((start + r) * nT + t) * nw + j] = components.sigma(omega: omega, temperature: T)
                        }
                    }
                }
            }
        }
        return ContinuationPrediction(sigma: Tensor(shape: [n, nT, nw], scalars: sigma),
                                      labels: labels.map { Tensor(shape: [n, 3, 3], scalars: $0) })
    }
}
