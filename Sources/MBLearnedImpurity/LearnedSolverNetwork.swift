import MBNN
import MBTensor

/// The multilayer perceptron of a learned solver, in Float64.
///
///     h_0 = standardised features,  h_{i+1} = a(W_i h_i + b_i),  y = s ⊙ (W_out h_H + b_out) (+ base)
///
/// with a = tanh or relu, `hidden` widths (the seed: 51, 51) and, for the `correction` variant,
/// base = the first R features (T of the first input solver), so the network starts from that
/// solver and learns the correction. Features are standardised outside the graph
/// (`standardized(_:)`), every column by the training split's mean and standard deviation
/// (buffers `featureMean`, `featureStandardDeviation`); the deviation is floored at
/// `minimumDescriptorDeviation` = 0.05 for the two descriptors (u, log βD), so a descriptor that
/// barely varies in training — βD of a database at one β and D — is not blown up from its
/// rounding noise (variations of a few percent of u or βD stay O(1) inputs), and at
/// `minimumValueDeviation` = 1e-3 for the G values. The base is taken back to raw T(G) inside
/// the graph (x·σ + m on its columns). Standardising the G values too (not only the descriptors)
/// lowered the validation RMSE of the ipt,hubbard-i network on the 10,000-sample database by 16 %.
/// s (buffer `outputScale`, [outputs]) is the per-component RMS of the training targets minus
/// the base, floored at 1e-8, so the last layer works on O(1) numbers whatever the size of the
/// correction; its weights start at 1/100 of PyTorch's default and its bias at zero, so the
/// untrained network is close to the first input solver.
///
/// Float64 because the corrections are small (1e-2 … 1e-5 in G) and Z needs G to ~1e-4: in
/// Float32 the loss of a near-converged net (~1e-9) sits at the rounding level of the sums; the
/// layers are tiny, so Float64 costs nothing measurable (per-step overhead dominates).
///
/// Checkpoint keys: `layers.0.weight`, `layers.0.bias`, …, `featureMean`,
/// `featureStandardDeviation`, `outputScale`.
public final class LearnedSolverNetwork: Module {
    public let layers: [Linear<Double>]
    @Buffer public var featureMean: Tensor<Double>
    @Buffer public var featureStandardDeviation: Tensor<Double>
    @Buffer public var outputScale: Tensor<Double>
    public let activation: LearnedSolverActivation
    /// Floor of the descriptors' standard deviation (u and log βD are O(0.1…10)).
    public static let minimumDescriptorDeviation = 0.05
    /// Floor of the G values' standard deviation (T(G) is O(0.1…1)).
    public static let minimumValueDeviation = 1e-3
    /// R for the correction variant (the base is the first R features), nil for `sigma`.
    public let baseWidth: Int?

    public init(specification: LearnedSolverSpecification, generator: inout RandomGenerator) {
        let widths = [specification.inputWidth] + specification.hidden + [specification.outputWidth]
        var layers: [Linear<Double>] = []
        for i in 0..<(widths.count - 1) {
            layers.append(Linear(inputDimensions: widths[i], outputDimensions: widths[i + 1], generator: &generator))
        }
        let last = layers[layers.count - 1]
        last.weight = last.weight * 0.01
        last.bias = Tensor(zeros: [widths[widths.count - 1]])
        self.layers = layers
        activation = specification.activation
        baseWidth = specification.variant == .correction ? specification.valueWidth : nil
        featureMean = Tensor(zeros: [specification.inputWidth])
        featureStandardDeviation = Tensor(ones: [specification.inputWidth])
        outputScale = Tensor(ones: [specification.outputWidth])
    }

    /// The network's output for standardised features [batch, S·R + 2]: [batch, outputs].
    public func callAsFunction(_ x: Tensor<Double>) -> Tensor<Double> {
        var h = x
        for layer in layers.dropLast() {
            h = layer(h)
            h = activation == .tanh ? h.tanh() : h.relu()
        }
        let y = layers[layers.count - 1](h) * outputScale
        guard let baseWidth else { return y }
        let base = x.sliced(alongAxis: 1, 0..<baseWidth) * featureStandardDeviation.sliced(alongAxis: 0, 0..<baseWidth)
            + featureMean.sliced(alongAxis: 0, 0..<baseWidth)
        return y + base
    }

    /// Raw features [batch, S·R + 2], every column standardised.
    public func standardized(_ features: Tensor<Double>) -> Tensor<Double> {
        precondition(features.rank == 2 && features.shape[1] == featureMean.count,
                     "features must be [batch, \(featureMean.count)], got \(features.shape)")
        let width = features.shape[1], mean = featureMean.scalars, deviation = featureStandardDeviation.scalars
        var result = features.detached()
        result.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<features.shape[0] {
                for j in 0..<width { buffer[row * width + j] = (buffer[row * width + j] - mean[j]) / deviation[j] }
            }
        }
        return result
    }

    /// Sets the feature normalisation from raw training features and the output scale from
    /// the training targets (minus the base for the correction variant).
    public func setNormalization(features: Tensor<Double>, targets: Tensor<Double>) {
        let n = features.shape[0], width = features.shape[1], descriptors = LearnedSolverSpecification.descriptorNames.count
        let x = features.scalars, y = targets.scalars, outputs = targets.shape[1]
        var mean = [Double](repeating: 0, count: width), deviation = [Double](repeating: 0, count: width)
        for j in 0..<width {
            let column = (0..<n).map { x[$0 * width + j] }
            let m = column.reduce(0, +) / Double(max(n, 1))
            let v = column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(n, 1))
            mean[j] = m
            deviation[j] = max(v.squareRoot(), j >= width - descriptors ? LearnedSolverNetwork.minimumDescriptorDeviation
                                                                          : LearnedSolverNetwork.minimumValueDeviation)
        }
        var scale = [Double](repeating: 0, count: outputs)
        for row in 0..<n {
            for k in 0..<outputs {
                let base = baseWidth != nil ? x[row * width + k] : 0
                let r = y[row * outputs + k] - base
                scale[k] += r * r
            }
        }
        featureMean = Tensor(shape: [width], scalars: mean)
        featureStandardDeviation = Tensor(shape: [width], scalars: deviation)
        outputScale = Tensor(shape: [outputs], scalars: scale.map { max(($0 / Double(max(n, 1))).squareRoot(), 1e-8) })
    }
}
