import MBTensor

/// Layer normalisation over the last axis (PyTorch's `nn.LayerNorm(features)`):
/// y = (x − μ)/√(σ² + ε) · weight + bias, with μ, σ² the mean and population variance of
/// each row. `weight` (gain) starts at 1 and `bias` at 0, as in PyTorch.
public final class LayerNorm<Scalar: TensorScalar>: Layer {
    @Parameter public var weight: Tensor<Scalar>
    @Parameter public var bias: Tensor<Scalar>
    public let epsilon: Scalar

    public init(features: Int, epsilon: Scalar = 1e-5) {
        precondition(features > 0, "LayerNorm needs a positive feature count, got \(features)")
        weight = Tensor(ones: [features])
        bias = Tensor(zeros: [features])
        self.epsilon = epsilon
    }

    /// [..., features] → same shape.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        x.layerNormalized(gain: weight, bias: bias, epsilon: epsilon)
    }
}
