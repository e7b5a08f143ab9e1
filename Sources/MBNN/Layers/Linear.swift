import MBTensor

/// y = x Wᵀ + b, with W of shape [outputs, inputs] (PyTorch's layout). Input [..., inputs].
///
/// Without a bias the layer has no `bias` parameter at all (as PyTorch's `bias=False`), so
/// its checkpoint keys match PyTorch's.
public final class Linear<Scalar: TensorScalar>: Layer {
    @Parameter public var weight: Tensor<Scalar>
    /// The bias box, discovered by reflection under the path `bias`; nil without a bias.
    let _bias: Parameter<Scalar>?

    /// The bias `[outputs]`, or nil for a layer built with `bias: false`.
    public var bias: Tensor<Scalar>? {
        get { _bias?.wrappedValue }
        set {
            guard let box = _bias, let newValue else {
                preconditionFailure("Linear bias can only be replaced on a layer built with a bias, by a tensor")
            }
            precondition(newValue.shape == box.wrappedValue.shape,
                         "bias shape \(newValue.shape) does not match \(box.wrappedValue.shape)")
            box.wrappedValue = newValue
        }
    }
    public var hasBias: Bool { _bias != nil }

    /// PyTorch's default initialisation: W, b ~ U(−1/√inputs, 1/√inputs), W drawn first.
    public convenience init(inputDimensions: Int, outputDimensions: Int, bias: Bool = true, generator: inout RandomGenerator) {
        self.init(inputDimensions: inputDimensions, outputDimensions: outputDimensions, bias: bias,
                  weightInitializer: PyTorchDefaultWeight(), biasInitializer: PyTorchDefaultBias(fanIn: inputDimensions),
                  generator: &generator)
    }

    public init(inputDimensions: Int, outputDimensions: Int, bias: Bool = true,
                weightInitializer: some TensorInitializer, biasInitializer: some TensorInitializer = Zeros(),
                generator: inout RandomGenerator) {
        precondition(inputDimensions > 0 && outputDimensions > 0,
                     "Linear needs positive dimensions, got \(inputDimensions) → \(outputDimensions)")
        weight = weightInitializer.initialValue(shape: [outputDimensions, inputDimensions], generator: &generator)
        _bias = bias ? Parameter(wrappedValue: biasInitializer.initialValue(shape: [outputDimensions], generator: &generator)) : nil
    }

    /// A layer with the given weight `[outputs, inputs]` and optional bias `[outputs]`.
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>?) {
        precondition(weight.rank == 2, "Linear weight must be [outputs, inputs], got \(weight.shape)")
        if let bias {
            precondition(bias.shape == [weight.shape[0]], "Linear bias shape \(bias.shape) does not match weight \(weight.shape)")
        }
        self.weight = weight
        _bias = bias.map { Parameter(wrappedValue: $0) }
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        Linear.affine(x, weight: weight, bias: _bias?.wrappedValue)
    }

    /// x Wᵀ + b over the last axis of `x`, for any leading shape.
    static func affine(_ x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>?) -> Tensor<Scalar> {
        let shape = x.shape
        precondition(x.rank >= 1 && shape[shape.count - 1] == weight.shape[1],
                     "input shape \(shape) does not end in the layer's \(weight.shape[1]) input dimensions (weight \(weight.shape))")
        let flat = x.rank == 2 ? x : x.reshaped(to: [-1, shape[shape.count - 1]])
        let y = Tensor.affineProduct(flat, weight: weight, bias: bias)
        return x.rank == 2 ? y : y.reshaped(to: Array(shape.dropLast()) + [weight.shape[0]])
    }
}
