import MBTensor

/// Adds a trained vector to each position of a sequence: y[b, t, :] = x[b, t, :] + P[t, :],
/// with P of shape `[maximumLength, dimensions]` and input `[batch, length, dimensions]`
/// (or `[length, dimensions]`), length ≤ maximumLength.
///
/// P starts as N(0, 0.02²), as the reference attention model (`torch.randn(T, d) * 0.02`).
public final class LearnedPositionalEmbedding<Scalar: TensorScalar>: Layer {
    @Parameter public var weight: Tensor<Scalar>

    public init(maximumLength: Int, dimensions: Int, initializer: some TensorInitializer = Normal(standardDeviation: 0.02),
                generator: inout RandomGenerator) {
        precondition(maximumLength > 0 && dimensions > 0,
                     "positional embedding needs positive sizes, got \(maximumLength) × \(dimensions)")
        weight = initializer.initialValue(shape: [maximumLength, dimensions], generator: &generator)
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let (maximumLength, dimensions) = (weight.shape[0], weight.shape[1])
        precondition(x.rank >= 2 && x.shape[x.rank - 1] == dimensions && x.shape[x.rank - 2] <= maximumLength,
                     "input shape \(x.shape) must be [..., length ≤ \(maximumLength), \(dimensions)]")
        let length = x.shape[x.rank - 2]
        if length == maximumLength { return x + weight }
        // The first `length` rows of P, as a product with a constant selector [length, maximumLength].
        var selector = [Double](repeating: 0, count: length * maximumLength)
        for t in 0..<length { selector[t * maximumLength + t] = 1 }
        let select = Tensor<Scalar>(converting: Tensor<Double>(shape: [length, maximumLength], scalars: selector))
        return x + select.matmul(weight)
    }
}
