import MBTensor

/// y = x (W ⊙ M)ᵀ + b: a linear layer whose weight is multiplied element-wise by a fixed 0/1
/// mask `M` on every call (as the VAN code does), so masked weights get zero gradient and
/// never act. W and M are `[outputs, inputs]`; the mask is a buffer (saved, never trained).
public final class MaskedLinear<Scalar: TensorScalar>: Layer {
    @Parameter public var weight: Tensor<Scalar>
    let _bias: Parameter<Scalar>?
    @Buffer public var mask: Tensor<Scalar>

    public var bias: Tensor<Scalar>? { _bias?.wrappedValue }

    /// A layer of shape `mask.shape` with PyTorch's default initialisation (W, b ~ U(±1/√inputs),
    /// W drawn first), as `nn.Linear` in the VAN code.
    public init(mask: Tensor<Scalar>, bias: Bool = true, generator: inout RandomGenerator) {
        precondition(mask.rank == 2, "MaskedLinear mask must be [outputs, inputs], got \(mask.shape)")
        let inputs = mask.shape[1]
        weight = PyTorchDefaultWeight().initialValue(shape: mask.shape, generator: &generator)
        _bias = bias ? Parameter(wrappedValue: PyTorchDefaultBias(fanIn: inputs).initialValue(shape: [mask.shape[0]],
                                                                                            generator: &generator)) : nil
        self.mask = mask
    }

    /// A layer with given weight, bias and mask.
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>?, mask: Tensor<Scalar>) {
        precondition(weight.rank == 2 && weight.shape == mask.shape,
                     "MaskedLinear weight \(weight.shape) and mask \(mask.shape) must be equal [outputs, inputs] shapes")
        if let bias {
            precondition(bias.shape == [weight.shape[0]], "bias shape \(bias.shape) does not match weight \(weight.shape)")
        }
        self.weight = weight
        _bias = bias.map { Parameter(wrappedValue: $0) }
        self.mask = mask
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        Linear.affine(x, weight: weight * mask, bias: _bias?.wrappedValue)
    }
}

/// MADE (Germain et al. 2015) for binary sites: masked linear layers with ReLU between them
/// and a sigmoid at the end, `x̂ᵢ = P(sᵢ = +1 | s₍<ᵢ₎)`; input `[batch, sites]`.
///
/// With one hidden layer of 512 units on 256 sites and the deterministic degrees this is the
/// reference model of `architectures.md` §2(i) (262,912 dense parameters). Paths:
/// `layers.<l>.weight`, `layers.<l>.bias`, `layers.<l>.mask`.
public final class MADE<Scalar: TensorScalar>: Layer {
    public let layers: [MaskedLinear<Scalar>]

    /// The deterministic degree assignment (`MADEMasks.deterministicDegrees`).
    public convenience init(siteCount: Int, hiddenSizes: [Int], generator: inout RandomGenerator) {
        self.init(masks: MADEMasks.deterministic(siteCount: siteCount, hiddenSizes: hiddenSizes), generator: &generator)
    }

    /// Any masks (`MADEMasks.masks(degrees:)`), one per layer, applied in order.
    public init(masks: [Tensor<Scalar>], generator: inout RandomGenerator) {
        for l in 1..<masks.count {
            precondition(masks[l].shape[1] == masks[l - 1].shape[0],
                         "mask \(l) shape \(masks[l].shape) does not follow mask \(l - 1) shape \(masks[l - 1].shape)")
        }
        var layers: [MaskedLinear<Scalar>] = []
        for mask in masks { layers.append(MaskedLinear(mask: mask, generator: &generator)) }
        self.layers = layers
    }

    /// Logits of P(sᵢ = +1 | s₍<ᵢ₎), `[batch, sites]`.
    public func logits(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var h = x
        for (l, layer) in layers.enumerated() {
            h = layer(h)
            if l < layers.count - 1 { h = h.relu() }
        }
        return h
    }

    /// x̂ = sigmoid(logits), `[batch, sites]`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { logits(x).sigmoid() }
}
