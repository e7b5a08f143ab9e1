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

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let channels = weight.count
        var slope = weight
        if channels > 1 {
            precondition(x.rank >= 1 && x.shape[x.rank >= 2 ? 1 : 0] == channels,
                         "PReLU with \(channels) channels needs channels on axis 1, got input shape \(x.shape)")
            if x.rank > 2 { slope = weight.reshaped(to: [channels] + Array(repeating: 1, count: x.rank - 2)) }
        }
        return x.relu() - slope * (-x).relu()
    }
}
