import MBTensor

/// 1-d convolution over [N, C, L] (PyTorch's `nn.Conv1d`, dilation 1, zero padding):
/// y[n, o, t] = b[o] + Σ_{c,j} W[o, c, j] x[n, c, t·stride − padding + j]. Weight [out, in, k].
///
/// Without a bias the layer has no `bias` parameter (paths `weight` and, with a bias, `bias`).
public final class Conv1d<Scalar: TensorScalar>: Layer {
    @Parameter public var weight: Tensor<Scalar>
    let _bias: Parameter<Scalar>?
    public let stride: Int
    public let padding: Int
    /// Applied in the convolution's output pass (`.relu`: the layer computes relu(conv(x) + b)).
    public let activation: ConvolutionActivation

    public var bias: Tensor<Scalar>? { _bias?.wrappedValue }

    /// PyTorch's default initialisation: W, b ~ U(−1/√fanIn, 1/√fanIn), fanIn = in · k, W first.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, activation: ConvolutionActivation = .identity,
                generator: inout RandomGenerator) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0,
                     "Conv1d needs positive sizes, got \(inputChannels) → \(outputChannels), kernel \(kernelSize)")
        let bound = 1 / Double(inputChannels * kernelSize).squareRoot()
        weight = generator.uniform(shape: [outputChannels, inputChannels, kernelSize], in: -bound...bound)
        _bias = bias ? Parameter(wrappedValue: generator.uniform(shape: [outputChannels], in: -bound...bound)) : nil
        self.stride = stride
        self.padding = padding
        self.activation = activation
    }

    /// [N, in, L] → [N, out, ⌊(L + 2·padding − k)/stride⌋ + 1].
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        conv1d(x, weight: weight, bias: _bias?.wrappedValue, stride: stride, padding: padding, activation: activation)
    }
}
