import CKernels

/// Shape bookkeeping of a 2-d convolution in NCHW layout (a 1-d one has height 1).
public struct ConvolutionGeometry: Sendable, Equatable {
    public let batch: Int, inputChannels: Int, outputChannels: Int
    public let height: Int, width: Int
    public let kernelHeight: Int, kernelWidth: Int
    public let strideHeight: Int, strideWidth: Int
    public let paddingHeight: Int, paddingWidth: Int
    public let outputHeight: Int, outputWidth: Int

    /// Geometry of input [N, C, H, W] with weight [O, C, kh, kw]; output extent
    /// ⌊(H + 2p − kh) / s⌋ + 1 per spatial axis.
    public init(input: [Int], weight: [Int], stride: (Int, Int), padding: (Int, Int)) {
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
    }

    public var inputShape: [Int] { [batch, inputChannels, height, width] }
    public var weightShape: [Int] { [outputChannels, inputChannels, kernelHeight, kernelWidth] }
    public var outputShape: [Int] { [batch, outputChannels, outputHeight, outputWidth] }
    /// Rows of the im2col matrix: C · kh · kw.
    var patch: Int { inputChannels * kernelHeight * kernelWidth }
    /// Output positions per sample: Ho · Wo.
    var positions: Int { outputHeight * outputWidth }
}

/// 1-d convolution (cross-correlation, as PyTorch's `conv1d`).
///
/// - Parameters:
///   - input: [N, C, L].
///   - weight: [O, C, k].
///   - bias: [O] or nil.
///   - stride, padding: zero padding of `padding` on both ends.
/// - Returns: [N, O, ⌊(L + 2p − k)/s⌋ + 1]; y[n, o, t] = b[o] + Σ_{c,j} w[o, c, j] x[n, c, t·s − p + j].
public func conv1d<Scalar>(
    _ input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil, stride: Int = 1, padding: Int = 0
) -> Tensor<Scalar> {
    precondition(input.rank == 3 && weight.rank == 3, "conv1d needs input [N, C, L] and weight [O, C, k]; got \(input.shape) and \(weight.shape)")
    let (n, c, l) = (input.shape[0], input.shape[1], input.shape[2])
    let (o, k) = (weight.shape[0], weight.shape[2])
    let y = conv2d(input.reshaped(to: [n, c, 1, l]), weight: weight.reshaped(to: [o, weight.shape[1], 1, k]), bias: bias,
                   stride: (1, stride), padding: (0, padding))
    return y.reshaped(to: [n, o, y.shape[3]])
}

/// 2-d convolution (cross-correlation, as PyTorch's `conv2d`), NCHW.
///
/// - Parameters:
///   - input: [N, C, H, W].
///   - weight: [O, C, kh, kw].
///   - bias: [O] or nil.
///   - stride, padding: per spatial axis (height, width); zero padding on both sides.
/// - Returns: [N, O, Ho, Wo]. Computed by im2col + one GEMM over the whole batch on BLAS.
///   The pullbacks (with respect to input and weight) are themselves primitives whose
///   pullbacks are the convolution and each other, so convolutions differentiate to any order.
public func conv2d<Scalar>(
    _ input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil,
    stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)
) -> Tensor<Scalar> {
    let geometry = ConvolutionGeometry(input: input.shape, weight: weight.shape, stride: stride, padding: padding)
    if let bias { precondition(bias.shape == [geometry.outputChannels], "conv bias shape \(bias.shape) should be [\(geometry.outputChannels)]") }
    return Tensor.convolution(input, weight, bias: bias, geometry: geometry)
}

extension Tensor {
    /// The convolution primitive.
    static func convolution(_ x: Tensor, _ w: Tensor, bias: Tensor?, geometry: ConvolutionGeometry) -> Tensor {
        let cols = patches(x, geometry: geometry)
        let output = convolutionValue(cols: cols, w, bias: bias, geometry: geometry)
        let inputs = bias.map { [x, w, $0] } ?? [x, w]
        return record("conv", output: output, inputs: inputs) { g, c in
            var dw: Tensor?
            if c.needs[1] {
                // First order: reuse the forward pass's patch matrix instead of rebuilding it.
                dw = !g.isTracked && !c.inputs[0].isTracked
                    ? weightGradientValue(g, cols: cols, geometry: geometry)
                    : convolutionWeightGradient(g, c.inputs[0], geometry: geometry)
            }
            return [c.needs[0] ? convolutionInputGradient(g, c.inputs[1], geometry: geometry) : nil, dw]
                + (c.inputs.count == 3 ? [c.needs[2] ? g.sum(alongAxes: [0, 2, 3]) : nil] : [])
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

    /// Σ_n g[n] ⊗ patches(x[n]) (the weight cotangent). Bilinear in (g, x); its pullbacks are
    /// the convolution of x (for g) and the input gradient (for x).
    static func convolutionWeightGradient(_ g: Tensor, _ x: Tensor, geometry: ConvolutionGeometry) -> Tensor {
        let output = weightGradientValue(g, cols: patches(x, geometry: geometry), geometry: geometry)
        return record("convWeightGradient", output: output, g, x) { h, c in
            [c.needs[0] ? convolution(c.inputs[1], h, bias: nil, geometry: geometry) : nil,
             c.needs[1] ? convolutionInputGradient(c.inputs[0], h, geometry: geometry) : nil]
        }
    }

    // MARK: kernels (no differentiation)

    /// The patch matrix of the whole batch, [C·kh·kw, N·Ho·Wo]; samples in parallel.
    static func patches(_ x: Tensor, geometry q: ConvolutionGeometry) -> Tensor {
        let columns = q.batch * q.positions
        let cols = Tensor(uninitializedShape: [q.patch, columns])
        let sampleSize = q.inputChannels * q.height * q.width
        ComputeThreads.parallelFor(q.batch, minimumChunk: Swift.max(1, 16_384 / Swift.max(q.patch * q.positions, 1))) { range in
            for n in range {
                if isSinglePrecision {
                    mb_im2col_f32(x.floatPointer + n * sampleSize, cols.floatPointer + n * q.positions, columns,
                                  q.inputChannels, q.height, q.width, q.kernelHeight, q.kernelWidth,
                                  q.strideHeight, q.strideWidth, q.paddingHeight, q.paddingWidth, q.outputHeight, q.outputWidth)
                } else {
                    mb_im2col_f64(x.doublePointer + n * sampleSize, cols.doublePointer + n * q.positions, columns,
                                  q.inputChannels, q.height, q.width, q.kernelHeight, q.kernelWidth,
                                  q.strideHeight, q.strideWidth, q.paddingHeight, q.paddingWidth, q.outputHeight, q.outputWidth)
                }
            }
        }
        return cols
    }

    /// [N, O, P] ⇄ [O, N, P] reordering of a per-position array (P = Ho·Wo).
    static func swapLeadingAxes(_ x: Tensor, _ a: Int, _ b: Int, _ p: Int) -> Tensor {
        let result = Tensor(uninitializedShape: [b, a, p])
        Scalar.stridedCopyKernel(x.storage.pointer, [p, b * p, 1], result.storage.pointer, [b, a, p], 3)
        return result
    }

    static func convolutionValue(cols: Tensor, _ w: Tensor, bias: Tensor?, geometry q: ConvolutionGeometry) -> Tensor {
        let columns = q.batch * q.positions
        // [O, N·P] = W [O, C·kh·kw] · cols, started from the bias when there is one.
        let product = Tensor(uninitializedShape: [q.outputChannels, columns])
        if let bias {
            Scalar.stridedCopyKernel(bias.storage.pointer, [1, 0], product.storage.pointer, [q.outputChannels, columns], 2)
        }
        Scalar.parallelGemm(transposeA: false, transposeB: false, m: q.outputChannels, n: columns, k: q.patch, alpha: 1,
                            a: w.storage.pointer, lda: q.patch, b: cols.storage.pointer, ldb: columns, beta: bias == nil ? 0 : 1,
                            c: product.storage.pointer, ldc: columns)
        let y = q.batch == 1 ? product : swapLeadingAxes(product, q.outputChannels, q.batch, q.positions)
        return y.reshapedValue(q.outputShape)
    }

    static func inputGradientValue(_ g: Tensor, _ w: Tensor, geometry q: ConvolutionGeometry) -> Tensor {
        let columns = q.batch * q.positions
        let gathered = q.batch == 1 ? g : swapLeadingAxes(g, q.batch, q.outputChannels, q.positions)
        let cols = Tensor(uninitializedShape: [q.patch, columns])
        Scalar.parallelGemm(transposeA: true, transposeB: false, m: q.patch, n: columns, k: q.outputChannels, alpha: 1,
                    a: w.storage.pointer, lda: q.patch, b: gathered.storage.pointer, ldb: columns, beta: 0,
                    c: cols.storage.pointer, ldc: columns)
        let dx = Tensor(uninitializedShape: q.inputShape)
        let sampleSize = q.inputChannels * q.height * q.width
        ComputeThreads.parallelFor(q.batch, minimumChunk: Swift.max(1, 16_384 / Swift.max(q.patch * q.positions, 1))) { range in
            for n in range {
                if isSinglePrecision {
                    mb_col2im_f32(cols.floatPointer + n * q.positions, columns, dx.floatPointer + n * sampleSize,
                                  q.inputChannels, q.height, q.width, q.kernelHeight, q.kernelWidth,
                                  q.strideHeight, q.strideWidth, q.paddingHeight, q.paddingWidth, q.outputHeight, q.outputWidth)
                } else {
                    mb_col2im_f64(cols.doublePointer + n * q.positions, columns, dx.doublePointer + n * sampleSize,
                                  q.inputChannels, q.height, q.width, q.kernelHeight, q.kernelWidth,
                                  q.strideHeight, q.strideWidth, q.paddingHeight, q.paddingWidth, q.outputHeight, q.outputWidth)
                }
            }
        }
        return dx
    }

    static func weightGradientValue(_ g: Tensor, cols: Tensor, geometry q: ConvolutionGeometry) -> Tensor {
        let columns = q.batch * q.positions
        let gathered = q.batch == 1 ? g : swapLeadingAxes(g, q.batch, q.outputChannels, q.positions)
        let dw = Tensor(uninitializedShape: q.weightShape)
        Scalar.parallelGemm(transposeA: false, transposeB: true, m: q.outputChannels, n: q.patch, k: columns, alpha: 1,
                    a: gathered.storage.pointer, lda: columns, b: cols.storage.pointer, ldb: columns, beta: 0,
                    c: dw.storage.pointer, ldc: q.patch)
        return dw
    }
}
