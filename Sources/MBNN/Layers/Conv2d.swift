import MBTensor

/// 2-d convolution over [N, C, H, W] (PyTorch's `nn.Conv2d`, dilation 1, zero padding).
/// Weight [out, in, kh, kw]; stride and padding per spatial axis (height, width).
///
/// Without a bias the layer has no `bias` parameter.
public final class Conv2d<Scalar: TensorScalar>: Layer {
    @Parameter public var weight: Tensor<Scalar>
    let _bias: Parameter<Scalar>?
    public let stride: (Int, Int)
    public let padding: (Int, Int)
    /// Applied in the convolution's output pass (`.relu`: the layer computes relu(conv(x) + b)).
    public let activation: ConvolutionActivation

    public var bias: Tensor<Scalar>? { _bias?.wrappedValue }

    /// PyTorch's default initialisation: W, b ~ U(−1/√fanIn, 1/√fanIn), fanIn = in · kh · kw.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), bias: Bool = true, activation: ConvolutionActivation = .identity,
                generator: inout RandomGenerator) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize.0 > 0 && kernelSize.1 > 0,
                     "Conv2d needs positive sizes, got \(inputChannels) → \(outputChannels), kernel \(kernelSize)")
        let bound = 1 / Double(inputChannels * kernelSize.0 * kernelSize.1).squareRoot()
        weight = generator.uniform(shape: [outputChannels, inputChannels, kernelSize.0, kernelSize.1], in: -bound...bound)
        _bias = bias ? Parameter(wrappedValue: generator.uniform(shape: [outputChannels], in: -bound...bound)) : nil
        self.stride = stride
        self.padding = padding
        self.activation = activation
    }

    /// Square kernel, equal stride and padding on both axes.
    public convenience init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            bias: Bool = true, activation: ConvolutionActivation = .identity, generator: inout RandomGenerator) {
        self.init(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: (kernelSize, kernelSize),
                  stride: (stride, stride), padding: (padding, padding), bias: bias, activation: activation, generator: &generator)
    }

    /// [N, in, H, W] → [N, out, Ho, Wo].
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        conv2d(x, weight: weight, bias: _bias?.wrappedValue, stride: stride, padding: padding, activation: activation)
    }
}
