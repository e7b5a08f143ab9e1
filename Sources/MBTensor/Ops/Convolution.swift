import CKernels

/// Shape bookkeeping of a 2-d convolution in NCHW layout (a 1-d one has height 1).
public struct ConvolutionGeometry: Sendable, Equatable {
    public let batch: Int, inputChannels: Int, outputChannels: Int
    public let height: Int, width: Int
    public let kernelHeight: Int, kernelWidth: Int
    public let strideHeight: Int, strideWidth: Int
    public let paddingHeight: Int, paddingWidth: Int
    public let outputHeight: Int, outputWidth: Int
    /// The active kernel taps i·kw + j, increasing (all kh·kw of them by default). The operator
    /// is the convolution whose weights at the other taps are zero; those weights get a zero
    /// gradient.
    public let taps: [Int]

    /// Geometry of input [N, C, H, W] with weight [O, C, kh, kw]; output extent
    /// ⌊(H + 2p − kh) / s⌋ + 1 per spatial axis. `taps` restricts the kernel to those taps.
    public init(input: [Int], weight: [Int], stride: (Int, Int), padding: (Int, Int), taps: [Int]? = nil) {
        precondition(input.count == 4 && weight.count == 4 && input[1] == weight[1],
                     "convolution needs input [N, C, H, W] and weight [O, C, kh, kw] with equal C; got \(input) and \(weight)")
        precondition(stride.0 >= 1 && stride.1 >= 1 && padding.0 >= 0 && padding.1 >= 0,
                     "convolution stride \(stride) must be ≥ 1 and padding \(padding) ≥ 0")
        (batch, inputChannels, height, width) = (input[0], input[1], input[2], input[3])
        (outputChannels, kernelHeight, kernelWidth) = (weight[0], weight[2], weight[3])
        (strideHeight, strideWidth) = stride
        (paddingHeight, paddingWidth) = padding
        precondition(height + 2 * paddingHeight >= kernelHeight && width + 2 * paddingWidth >= kernelWidth,
                     "convolution kernel \(weight) larger than padded input \(input) with padding \(padding)")
        outputHeight = (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1
        outputWidth = (width + 2 * paddingWidth - kernelWidth) / strideWidth + 1
        let extent = kernelHeight * kernelWidth
        if let taps {
            precondition(!taps.isEmpty && taps.allSatisfy { (0..<extent).contains($0) } && zip(taps, taps.dropFirst()).allSatisfy { $0 < $1 },
                         "convolution taps \(taps) must be increasing indices i·kw + j below \(extent)")
            self.taps = taps
        } else {
            self.taps = Array(0..<extent)
        }
    }

    public var inputShape: [Int] { [batch, inputChannels, height, width] }
    public var weightShape: [Int] { [outputChannels, inputChannels, kernelHeight, kernelWidth] }
    public var outputShape: [Int] { [batch, outputChannels, outputHeight, outputWidth] }
    /// (channel, active tap) pairs: C · T, the rows of a patch matrix.
    var patch: Int { inputChannels * taps.count }
    /// Output positions per sample: Ho · Wo.
    var positions: Int { outputHeight * outputWidth }
    /// Multiply–adds per sample.
    var workPerSample: Int { Swift.max(1, outputChannels * patch * positions) }
    /// Stride 1 and padding below the kernel extent: the forward pass and both gradients run on
    /// the direct kernels (the input gradient is then a direct convolution of g with the
    /// flipped taps and padding k − 1 − p). Otherwise per-sample im2col + GEMM.
    var usesDirectKernels: Bool {
        strideHeight == 1 && strideWidth == 1 && paddingHeight < kernelHeight && paddingWidth < kernelWidth
    }
    /// The taps of the kernel rotated by 180°, in the same order as `taps`.
    var flippedTaps: [Int] {
        taps.map { (kernelHeight - 1 - $0 / kernelWidth) * kernelWidth + (kernelWidth - 1 - $0 % kernelWidth) }
    }
    /// Samples per thread chunk: at least about 10⁵ multiply–adds each.
    var minimumChunk: Int { Swift.max(1, 100_000 / workPerSample) }
}

/// An activation applied inside a convolution's output pass (no separate pass over the output).
public enum ConvolutionActivation: Sendable, Equatable {
    /// The convolution itself.
    case identity
    /// max(0, ·) of the convolution plus bias, as `.relu()` of it (NaN gives 0).
    case relu
}

/// 1-d convolution (cross-correlation, as PyTorch's `conv1d`).
///
/// - Parameters:
///   - input: [N, C, L].
///   - weight: [O, C, k].
///   - bias: [O] or nil.
///   - stride, padding: zero padding of `padding` on both ends.
///   - activation: applied to the result in the same pass (`.relu`: as `.relu()` of it).
/// - Returns: [N, O, ⌊(L + 2p − k)/s⌋ + 1]; y[n, o, t] = b[o] + Σ_{c,j} w[o, c, j] x[n, c, t·s − p + j].
public func conv1d<Scalar>(
    _ input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil, stride: Int = 1, padding: Int = 0,
    activation: ConvolutionActivation = .identity
) -> Tensor<Scalar> {
    precondition(input.rank == 3 && weight.rank == 3, "conv1d needs input [N, C, L] and weight [O, C, k]; got \(input.shape) and \(weight.shape)")
    let (n, c, l) = (input.shape[0], input.shape[1], input.shape[2])
    let (o, k) = (weight.shape[0], weight.shape[2])
    let y = conv2d(input.reshaped(to: [n, c, 1, l]), weight: weight.reshaped(to: [o, weight.shape[1], 1, k]), bias: bias,
                   stride: (1, stride), padding: (0, padding), activation: activation)
    return y.reshaped(to: [n, o, y.shape[3]])
}

/// 2-d convolution (cross-correlation, as PyTorch's `conv2d`), NCHW.
///
/// - Parameters:
///   - input: [N, C, H, W].
///   - weight: [O, C, kh, kw].
///   - bias: [O] or nil.
///   - stride, padding: per spatial axis (height, width); zero padding on both sides.
///   - taps: if given, the kernel taps i·kw + j (increasing) that take part; the result is the
///     convolution with `weight` zeroed at the other taps (a masked convolution, computed
///     without their work), and those weights get zero gradient.
///   - activation: applied to the result in the same pass (`.relu`: as `.relu()` of it; its
///     mask is folded into the gradient kernels).
/// - Returns: [N, O, Ho, Wo]. Stride 1 with padding below the kernel runs direct kernels (no
///   patch matrix), other strides per-sample im2col + GEMM; samples are split over threads.
///   The pullbacks (with respect to input and weight) are themselves primitives whose
///   pullbacks are the convolution and each other, so convolutions differentiate to any order.
public func conv2d<Scalar>(
    _ input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil,
    stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), taps: [Int]? = nil,
    activation: ConvolutionActivation = .identity
) -> Tensor<Scalar> {
    let geometry = ConvolutionGeometry(input: input.shape, weight: weight.shape, stride: stride, padding: padding, taps: taps)
    if let bias { precondition(bias.shape == [geometry.outputChannels], "conv bias shape \(bias.shape) should be [\(geometry.outputChannels)]") }
    guard activation == .relu else { return Tensor.convolution(input, weight, bias: bias, geometry: geometry) }
    guard geometry.usesDirectKernels else { return Tensor.convolution(input, weight, bias: bias, geometry: geometry).relu() }
    return Tensor.convolution(input, weight, bias: bias, geometry: geometry, relu: true)
}

extension Tensor {
    /// The convolution primitive, optionally with a ReLU fused into its output pass (direct
    /// kernels only). First-order pullbacks run fused kernels (the ReLU mask applied while the
    /// kernels copy g, the bias gradient summed by the weight-gradient kernel); higher orders
    /// use the differentiable primitives below, with the mask as a constant.
    static func convolution(_ x: Tensor, _ w: Tensor, bias: Tensor?, geometry: ConvolutionGeometry, relu: Bool = false) -> Tensor {
        let output = convolutionValue(x, w, bias: bias, geometry: geometry, relu: relu)
        let inputs = bias.map { [x, w, $0] } ?? [x, w]
        return record(relu ? "convReLU" : "conv", output: output, inputs: inputs) { g, c in
            let hasBias = c.inputs.count == 3
            if geometry.usesDirectKernels && !g.isTracked && !c.inputs.contains(where: \.isTracked) {
                let mask = relu ? c.output : nil
                let dx = c.needs[0] ? inputGradientValue(g, c.inputs[1], geometry: geometry, mask: mask) : nil
                var dw: Tensor?, db: Tensor?
                if c.needs[1] || (hasBias && c.needs[2]) {
                    (dw, db) = weightGradientValue(g, c.inputs[0], geometry: geometry, mask: mask, biasGradient: hasBias && c.needs[2])
                }
                return [dx, c.needs[1] ? dw : nil] + (hasBias ? [db] : [])
            }
            let gm = relu ? g * (c.output.detached() .> Tensor(0)) : g
            return [c.needs[0] ? convolutionInputGradient(gm, c.inputs[1], geometry: geometry) : nil,
                    c.needs[1] ? convolutionWeightGradient(gm, c.inputs[0], geometry: geometry) : nil]
                + (hasBias ? [c.needs[2] ? gm.sum(alongAxes: [0, 2, 3]) : nil] : [])
        }
    }

    /// Aᵀ g for the convolution operator A of weight `w` (the input cotangent). Bilinear in
    /// (g, w); its pullbacks are the convolution (for g) and the weight gradient (for w).
    static func convolutionInputGradient(_ g: Tensor, _ w: Tensor, geometry: ConvolutionGeometry) -> Tensor {
        let output = inputGradientValue(g, w, geometry: geometry)
        return record("convInputGradient", output: output, g, w) { h, c in
            [c.needs[0] ? convolution(h, c.inputs[1], bias: nil, geometry: geometry) : nil,
             c.needs[1] ? convolutionWeightGradient(c.inputs[0], h, geometry: geometry) : nil]
        }
    }

    /// Σ_n g[n] ⊗ patches(x[n]) (the weight cotangent, zero at inactive taps). Bilinear in
    /// (g, x); its pullbacks are the convolution of x (for g) and the input gradient (for x).
    static func convolutionWeightGradient(_ g: Tensor, _ x: Tensor, geometry: ConvolutionGeometry) -> Tensor {
        let output = weightGradientValue(g, x, geometry: geometry).weight
        return record("convWeightGradient", output: output, g, x) { h, c in
            [c.needs[0] ? convolution(c.inputs[1], h, bias: nil, geometry: geometry) : nil,
             c.needs[1] ? convolutionInputGradient(c.inputs[0], h, geometry: geometry) : nil]
        }
    }
}
