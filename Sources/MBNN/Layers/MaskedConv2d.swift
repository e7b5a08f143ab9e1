import MBTensor

/// A 2-d convolution whose kernel is multiplied by a fixed autoregressive (PixelCNN) mask on
/// every call (van den Oord et al. 2016; the VAN code of Wu, Wang & Zhang, PRL 122, 080602).
///
/// With centre c = (kh/2, kw/2), the [kh, kw] mask keeps the rows above the centre and, in the
/// centre row, the taps left of the centre (`exclusive`, type A: the site does not see itself)
/// or up to and including it (inclusive, type B). Raster order over a square lattice is then
/// respected. The mask is a buffer (path `mask`, shape [kh, kw], as in the VAN code).
public final class MaskedConv2d<Scalar: TensorScalar>: Layer {
    @Parameter public var weight: Tensor<Scalar>
    let _bias: Parameter<Scalar>?
    @Buffer public var mask: Tensor<Scalar>
    public let padding: (Int, Int)
    public let exclusive: Bool

    public var bias: Tensor<Scalar>? { _bias?.wrappedValue }

    /// PyTorch's default Conv2d initialisation (W, b ~ U(±1/√(in·kh·kw)), W first), then, as the
    /// VAN code, W ⊙= mask and W *= √(kh·kw / Σ mask).
    public init(inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), exclusive: Bool,
                padding: (Int, Int)? = nil, bias: Bool = true, generator: inout RandomGenerator) {
        let (kh, kw) = kernelSize
        precondition(inputChannels > 0 && outputChannels > 0 && kh > 0 && kw > 0,
                     "MaskedConv2d needs positive sizes, got \(inputChannels) → \(outputChannels), kernel \(kernelSize)")
        let mask = MaskedConv2d.autoregressiveMask(kernelSize: kernelSize, exclusive: exclusive)
        let bound = 1 / Double(inputChannels * kh * kw).squareRoot()
        let raw: Tensor<Scalar> = generator.uniform(shape: [outputChannels, inputChannels, kh, kw], in: -bound...bound)
        let kept = mask.sum().scalar
        precondition(kept > 0, "mask of kernel \(kernelSize) keeps no taps")
        weight = raw * mask * Scalar((Double(kh * kw) / Double(kept)).squareRoot())
        _bias = bias ? Parameter(wrappedValue: generator.uniform(shape: [outputChannels], in: -bound...bound)) : nil
        self.mask = mask
        self.padding = padding ?? (kh / 2, kw / 2)
        self.exclusive = exclusive
    }

    /// Square kernel `kernelSize × kernelSize` with "same" padding kernelSize/2 by default.
    public convenience init(inputChannels: Int, outputChannels: Int, kernelSize: Int, exclusive: Bool,
                            padding: Int? = nil, bias: Bool = true, generator: inout RandomGenerator) {
        self.init(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: (kernelSize, kernelSize),
                  exclusive: exclusive, padding: padding.map { ($0, $0) }, bias: bias, generator: &generator)
    }

    /// The [kh, kw] 0/1 mask: ones, then mask[c, c + (exclusive ? 0 : 1)...] = 0 and mask[c + 1..., :] = 0.
    public static func autoregressiveMask(kernelSize: (Int, Int), exclusive: Bool) -> Tensor<Scalar> {
        let (kh, kw) = kernelSize
        let (ch, cw) = (kh / 2, kw / 2)
        var values = [Scalar](repeating: 1, count: kh * kw)
        for i in 0..<kh {
            for j in 0..<kw where i > ch || (i == ch && j >= cw + (exclusive ? 0 : 1)) { values[i * kw + j] = 0 }
        }
        return Tensor(shape: [kh, kw], scalars: values)
    }

    /// [N, in, H, W] → [N, out, Ho, Wo] with kernel W ⊙ mask.
    ///
    /// A 0/1 mask runs as a convolution over the kept taps only (about half the work of the
    /// dense kernel for the PixelCNN masks; the same values and gradients as W ⊙ mask, with
    /// zero gradient at the masked weights). Any other mask multiplies the weights.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        if let taps = activeTaps() {
            return conv2d(x, weight: weight, bias: _bias?.wrappedValue, stride: (1, 1), padding: padding, taps: taps)
        }
        return conv2d(x, weight: weight * mask, bias: _bias?.wrappedValue, stride: (1, 1), padding: padding)
    }

    /// Indices i·kw + j of the mask's ones when the mask is [kh, kw] of zeros and ones with at
    /// least one one; nil otherwise.
    func activeTaps() -> [Int]? {
        let values = mask.scalars
        guard mask.shape == [weight.shape[2], weight.shape[3]], values.allSatisfy({ $0 == 0 || $0 == 1 }) else { return nil }
        let taps = values.indices.filter { values[$0] == 1 }
        return taps.isEmpty ? nil : taps
    }
}
