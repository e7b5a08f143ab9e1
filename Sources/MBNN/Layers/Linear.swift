import MBTensor

/// y = x Wᵀ + b, with W of shape [outputs, inputs] (PyTorch's layout). Input [..., inputs].
public final class Linear<Scalar: TensorScalar>: Module {
    @Parameter public var weight: Tensor<Scalar>
    @Parameter public var bias: Tensor<Scalar>
    public let hasBias: Bool

    /// PyTorch's default initialisation: W, b ~ U(−1/√inputs, 1/√inputs).
    public init(inputDimensions: Int, outputDimensions: Int, bias: Bool = true, generator: inout RandomGenerator) {
        let bound = 1 / Double(inputDimensions).squareRoot()
        weight = generator.uniform(shape: [outputDimensions, inputDimensions], in: -bound...bound)
        self.bias = bias ? generator.uniform(shape: [outputDimensions], in: -bound...bound) : Tensor(zeros: [outputDimensions])
        hasBias = bias
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let shape = x.shape
        let flat = x.rank == 2 ? x : x.reshaped(to: [-1, shape[shape.count - 1]])
        var y = flat.matmul(weight, transposeOther: true)
        if hasBias { y = y + bias }
        return x.rank == 2 ? y : y.reshaped(to: Array(shape.dropLast()) + [weight.shape[0]])
    }
}
