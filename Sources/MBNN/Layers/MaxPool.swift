import MBTensor

/// Max pooling over the last axis of [N, C, L] (PyTorch's `nn.MaxPool1d`, no padding);
/// the stride defaults to the kernel size.
public final class MaxPool1d<Scalar: TensorScalar>: Layer {
    public let kernelSize: Int
    public let stride: Int

    public init(kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0 && (stride ?? 1) > 0, "MaxPool1d needs positive kernel and stride")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.maxPooled1d(kernel: kernelSize, stride: stride) }
}

/// Max pooling over the last two axes of [N, C, H, W] (PyTorch's `nn.MaxPool2d`, no padding);
/// the stride defaults to the kernel size.
public final class MaxPool2d<Scalar: TensorScalar>: Layer {
    public let kernelSize: (Int, Int)
    public let stride: (Int, Int)

    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public convenience init(kernelSize: Int, stride: Int? = nil) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) })
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.maxPooled2d(kernel: kernelSize, stride: stride) }
}
