import MBTensor

/// Parametric ReLU (He et al. 2015): y = max(0, x) + a_c · min(0, x), one slope a_c per
/// channel, channels on axis 1 (`[batch, channels, …]`; a rank-1 input is `[channels]`).
/// A layer with one slope shares it over all channels.
///
/// The default initial slope 0.5 is the VAN code's; PyTorch's `nn.PReLU` default is 0.25.
public final class PReLU<Scalar: TensorScalar>: Layer {
    @Parameter public var weight: Tensor<Scalar>

    public init(channels: Int = 1, initialSlope: Double = 0.5) {
        precondition(channels > 0, "PReLU needs a positive channel count, got \(channels)")
        weight = Tensor(repeating: Scalar(initialSlope), shape: [channels])
    }

    /// One fused pass (`Tensor.parametricReLU`); channels on axis 1 (axis 0 for rank 1).
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        x.parametricReLU(slopes: weight)
    }
}
