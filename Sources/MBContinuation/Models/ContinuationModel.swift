import MBNN
import MBTensor

/// The three backbones of the study.
public enum ContinuationArchitecture: String, CaseIterable, Sendable, Codable {
    case cnn1d, cnn2d, attention

    func backbone(temperatures: Int, times: Int, generator: inout RandomGenerator) -> any ContinuationBackbone {
        switch self {
        case .cnn1d: ConvolutionalBackbone1D(temperatures: temperatures, times: times, generator: &generator)
        case .cnn2d: ConvolutionalBackbone2D(temperatures: temperatures, times: times, generator: &generator)
        case .attention: AttentionBackbone(temperatures: temperatures, times: times, generator: &generator)
        }
    }
}

/// The losses of the paper's section 4.1, and the direct prediction of σ(ω).
///
/// - `1`: KL(α ‖ softmax(α̂ logits)) (batch mean) + MSE(γ̂, γ) over the six (γ0, γ1).
/// - `2`: 0.9 · loss 1 + 0.1 · MSE(σ̂(0), σ(0)), σ(0) = Σ_k α_k/γ_k(T) at the 10 temperatures.
/// - `3`: 0.5 · loss 1 + 0.5 · MSE(σ̂(0), σ(0)).
/// - `direct`: a head that outputs log σ(ω, T) on the 201 × 10 grid; MSE in log σ, which is
///   the squared log of the fractional error σ/σ̂ the study scores.
public enum ContinuationLoss: String, CaseIterable, Sendable, Codable {
    case loss1 = "1", loss2 = "2", loss3 = "3", direct

    /// Weight of loss 1 and of the σ(0) term.
    var weights: (parameters: Float, sigmaZero: Float) {
        switch self {
        case .loss1: (1, 0)
        case .loss2: (0.9, 0.1)
        case .loss3: (0.5, 0.5)
        case .direct: (0, 0)
        }
    }
}

/// A backbone with the heads its loss needs, and the stored input normalisation.
///
/// Input: Λ [batch, 10 temperatures, 200 reduced times], as generated (not normalised). The
/// model first standardises every (T, x) point with the training set's mean and standard
/// deviation, stored as the buffers `inputMean` and `inputScale` in `model.safetensors`:
/// z = (Λ − mean) / scale. Outputs: α logits [batch, 3] and γ [batch, 6] = (γ0_1, γ1_1,
/// γ0_2, …) in (0, 10) through 10·sigmoid, or log σ [batch, 10, frequencies].
public final class ContinuationModel: Module {
    public let architecture: ContinuationArchitecture
    public let loss: ContinuationLoss
    public let frequencyCount: Int
    @Buffer public var inputMean: Tensor<Float>
    @Buffer public var inputScale: Tensor<Float>
    let backbone: any ContinuationBackbone
    let alphaHead: Linear<Float>?
    let gammaHead: Linear<Float>?
    let sigmaHead: Linear<Float>?

    public struct Output {
        public var alphaLogits: Tensor<Float>?
        public var gamma: Tensor<Float>?
        public var logSigma: Tensor<Float>?
    }

    public init(architecture: ContinuationArchitecture, loss: ContinuationLoss, temperatures: Int = 10, times: Int = 200,
                frequencies: Int = 201, generator: inout RandomGenerator) {
        self.architecture = architecture
        self.loss = loss
        frequencyCount = frequencies
        inputMean = Tensor(zeros: [temperatures, times])
        inputScale = Tensor(ones: [temperatures, times])
        backbone = architecture.backbone(temperatures: temperatures, times: times, generator: &generator)
        if loss == .direct {
            alphaHead = nil
            gammaHead = nil
            sigmaHead = Linear(inputDimensions: 256, outputDimensions: temperatures * frequencies, generator: &generator)
        } else {
            alphaHead = Linear(inputDimensions: 256, outputDimensions: 3, generator: &generator)
            gammaHead = Linear(inputDimensions: 256, outputDimensions: 6, generator: &generator)
            sigmaHead = nil
        }
    }

    /// Sets the normalisation from training inputs [N, 10, 200]: per-point mean and standard
    /// deviation (floored at 10⁻⁶·|mean| + 10⁻¹² so constant points stay finite).
    public func setNormalization(from lambda: Tensor<Double>) {
        let mean = lambda.mean(alongAxes: [0])
        let deviation = lambda.variance(alongAxes: [0]).sqrt()
        let floor = mean.abs() * 1e-6 + 1e-12
        inputMean = Tensor<Float>(converting: mean)
        inputScale = Tensor<Float>(converting: deviation.maximum(floor))
    }

    public func callAsFunction(_ lambda: Tensor<Float>) -> Output {
        let z = (lambda - inputMean) / inputScale
        let h = backbone.embedding(z)
        if let sigmaHead {
            return Output(logSigma: sigmaHead(h).reshaped(to: [lambda.shape[0], lambda.shape[1], frequencyCount]))
        }
        return Output(alphaLogits: alphaHead!(h), gamma: gammaHead!(h).sigmoid() * 10)
    }
}
