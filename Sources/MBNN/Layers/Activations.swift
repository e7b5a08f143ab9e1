import MBTensor

/// tanh as a layer, for `Sequential`.
public final class Tanh<Scalar: TensorScalar>: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.tanh() }
}

/// max(x, 0) as a layer, for `Sequential`.
public final class ReLU<Scalar: TensorScalar>: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.relu() }
}

/// 1 / (1 + e⁻ˣ) as a layer, for `Sequential`.
public final class Sigmoid<Scalar: TensorScalar>: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.sigmoid() }
}

/// log(1 + eˣ) as a layer, for `Sequential`.
public final class Softplus<Scalar: TensorScalar>: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.softplus() }
}
