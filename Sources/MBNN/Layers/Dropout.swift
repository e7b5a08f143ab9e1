import MBTensor

/// Inverted dropout (Srivastava et al. 2014): in training, each element is zeroed with
/// probability `rate` and the survivors are scaled by 1/(1 − rate), so the expectation is
/// unchanged and evaluation is the identity.
///
/// There is no global training flag: the caller passes `training` and the generator that
/// draws the mask, so a run is reproducible from its seed.
public final class Dropout: Module {
    public let rate: Double

    public init(rate: Double) {
        precondition(rate >= 0 && rate <= 1, "dropout rate must lie in [0, 1], got \(rate)")
        self.rate = rate
    }

    public func callAsFunction<Scalar: TensorScalar>(_ x: Tensor<Scalar>, training: Bool,
                                                     generator: inout RandomGenerator) -> Tensor<Scalar> {
        guard training, rate > 0 else { return x }
        if rate == 1 { return x * Tensor<Scalar>(zeros: x.shape) }
        return x * Dropout.mask(shape: x.shape, rate: rate, generator: &generator)
    }

    /// 0 with probability `rate`, 1/(1 − rate) otherwise; element i is kept when the i-th
    /// draw u ∈ [0, 1) satisfies u ≥ rate.
    public static func mask<Scalar: TensorScalar>(shape: [Int], rate: Double, generator: inout RandomGenerator) -> Tensor<Scalar> {
        let count = shape.reduce(1, *)
        let scale = 1 / (1 - rate)
        let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = generator.nextUnit() >= rate ? scale : 0 }
            initialized = count
        }
        return Tensor(converting: Tensor<Double>(shape: shape, scalars: values))
    }
}
