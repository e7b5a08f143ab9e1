import CKernels

/// An owned plan of the stride-1 direct convolution kernels (`mb_direct_conv`, conv_direct.c)
/// for one sample geometry [C, H, W] → [O, Ho, Wo].
final class DirectConvolutionPlan: @unchecked Sendable {
    let pointer: OpaquePointer

    init(channels: Int, height: Int, width: Int, outputChannels: Int, kernel: (Int, Int), padding: (Int, Int),
         taps: [Int], lanes: Int) {
        guard let plan = taps.withUnsafeBufferPointer({
            mb_direct_conv_create(channels, height, width, outputChannels, kernel.0, kernel.1, padding.0, padding.1,
                                  $0.baseAddress, taps.count, lanes)
        }) else { fatalError("out of memory creating a convolution plan") }
        pointer = plan
    }

    deinit { mb_direct_conv_destroy(pointer) }
}

// MARK: values of the three convolution primitives (no differentiation)

extension Tensor {
    /// Elements per SIMD vector of the direct kernels (32-byte vectors).
    static var convolutionLanes: Int { isSinglePrecision ? 8 : 4 }

    /// Plan of the forward convolution of one sample.
    static func forwardPlan(_ q: ConvolutionGeometry) -> DirectConvolutionPlan {
        DirectConvolutionPlan(channels: q.inputChannels, height: q.height, width: q.width, outputChannels: q.outputChannels,
                              kernel: (q.kernelHeight, q.kernelWidth), padding: (q.paddingHeight, q.paddingWidth),
                              taps: q.taps, lanes: convolutionLanes)
    }

    /// Weights [O, C, kh, kw] → [C·T, O] (row c·T + t: the active taps of channel c).
    static func packedForwardWeights(_ w: Tensor, _ q: ConvolutionGeometry) -> Tensor {
        let packed = Tensor(uninitializedShape: [q.patch, q.outputChannels])
        q.taps.withUnsafeBufferPointer { taps in
            let extent = q.kernelHeight * q.kernelWidth
            if isSinglePrecision {
                mb_direct_pack_forward_f32(w.floatPointer, q.outputChannels, q.inputChannels, extent, taps.baseAddress, taps.count, packed.floatPointer)
            } else {
                mb_direct_pack_forward_f64(w.doublePointer, q.outputChannels, q.inputChannels, extent, taps.baseAddress, taps.count, packed.doublePointer)
            }
        }
        return packed
    }

    /// Weights [O, C, kh, kw] → [O·T, C], the forward weights of the input gradient seen as a
    /// convolution of g (channels O) with the flipped taps.
    static func packedTransposedWeights(_ w: Tensor, _ q: ConvolutionGeometry) -> Tensor {
        let packed = Tensor(uninitializedShape: [q.outputChannels * q.taps.count, q.inputChannels])
        q.taps.withUnsafeBufferPointer { taps in
            let extent = q.kernelHeight * q.kernelWidth
            if isSinglePrecision {
                mb_direct_pack_transposed_f32(w.floatPointer, q.outputChannels, q.inputChannels, extent, taps.baseAddress, taps.count, packed.floatPointer)
            } else {
                mb_direct_pack_transposed_f64(w.doublePointer, q.outputChannels, q.inputChannels, extent, taps.baseAddress, taps.count, packed.doublePointer)
            }
        }
        return packed
    }

    /// Runs a direct-convolution plan over the batch: output[n] = act(bias + conv(input[n] ⊙ [mask > 0])).
    static func runDirect(_ plan: DirectConvolutionPlan, input: Tensor, mask: Tensor? = nil, packed: Tensor, bias: Tensor?,
                          relu: Bool = false, output: Tensor, batch: Int, minimumChunk: Int) {
        ComputeThreads.parallelFor(batch, minimumChunk: minimumChunk) { range in
            if isSinglePrecision {
                mb_direct_conv_forward_f32(plan.pointer, input.floatPointer, mask.map { UnsafePointer($0.floatPointer) }, packed.floatPointer,
                                           bias.map { UnsafePointer($0.floatPointer) }, relu ? 1 : 0, output.floatPointer,
                                           range.lowerBound, range.upperBound)
            } else {
                mb_direct_conv_forward_f64(plan.pointer, input.doublePointer, mask.map { UnsafePointer($0.doublePointer) }, packed.doublePointer,
                                           bias.map { UnsafePointer($0.doublePointer) }, relu ? 1 : 0, output.doublePointer,
                                           range.lowerBound, range.upperBound)
            }
        }
    }

    /// im2col of sample `n` of x into `cols` [C·T, Ho·Wo].
    static func patches(_ x: Tensor, sample n: Int, into cols: UnsafeMutablePointer<Scalar>, geometry q: ConvolutionGeometry) {
        let offset = n * q.inputChannels * q.height * q.width
        q.taps.withUnsafeBufferPointer { taps in
            if isSinglePrecision {
                mb_im2col_f32(x.floatPointer + offset, UnsafeMutableRawPointer(cols).assumingMemoryBound(to: Float.self), q.positions,
                              q.inputChannels, q.height, q.width, q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth,
                              q.paddingHeight, q.paddingWidth, q.outputHeight, q.outputWidth, taps.baseAddress, taps.count)
            } else {
                mb_im2col_f64(x.doublePointer + offset, UnsafeMutableRawPointer(cols).assumingMemoryBound(to: Double.self), q.positions,
                              q.inputChannels, q.height, q.width, q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth,
                              q.paddingHeight, q.paddingWidth, q.outputHeight, q.outputWidth, taps.baseAddress, taps.count)
            }
        }
    }

    /// The forward value [N, O, Ho, Wo] (ReLU of it when `relu`; direct kernels only).
    static func convolutionValue(_ x: Tensor, _ w: Tensor, bias: Tensor?, geometry q: ConvolutionGeometry, relu: Bool = false) -> Tensor {
        precondition(!relu || q.usesDirectKernels, "fused ReLU needs the direct kernels")
        let y = Tensor(uninitializedShape: q.outputShape)
        let packed = packedForwardWeights(w, q)
        if q.usesDirectKernels {
            runDirect(forwardPlan(q), input: x, packed: packed, bias: bias, relu: relu, output: y, batch: q.batch,
                      minimumChunk: q.minimumChunk)
            return y
        }
        // Per sample: y[n] [O, P] = packedᵀ [O, C·T] · cols [C·T, P], started from the bias.
        let (o, k, p) = (q.outputChannels, q.patch, q.positions)
        ComputeThreads.parallelFor(q.batch, minimumChunk: q.minimumChunk) { range in
            let cols = UnsafeMutablePointer<Scalar>.allocate(capacity: Swift.max(1, k * p))
            defer { cols.deallocate() }
            for n in range {
                patches(x, sample: n, into: cols, geometry: q)
                let yn = y.storage.pointer + n * o * p
                if let bias { Scalar.stridedCopyKernel(bias.storage.pointer, [1, 0], yn, [o, p], 2) }
                Scalar.gemm(transposeA: true, transposeB: false, m: o, n: p, k: k, alpha: 1, a: packed.storage.pointer, lda: o,
                            b: cols, ldb: p, beta: bias == nil ? 0 : 1, c: yn, ldc: p)
            }
        }
        return y
    }

    /// The input cotangent [N, C, H, W] of cotangent g [N, O, Ho, Wo] (g zeroed where mask ≤ 0
    /// when a mask of g's shape is given; direct kernels only).
    static func inputGradientValue(_ g: Tensor, _ w: Tensor, geometry q: ConvolutionGeometry, mask: Tensor? = nil) -> Tensor {
        precondition(mask == nil || q.usesDirectKernels, "masked cotangents need the direct kernels")
        let dx = Tensor(uninitializedShape: q.inputShape)
        if q.usesDirectKernels {
            // A stride-1 convolution of g with the kernel rotated by 180° and channels swapped.
            let plan = DirectConvolutionPlan(channels: q.outputChannels, height: q.outputHeight, width: q.outputWidth,
                                             outputChannels: q.inputChannels, kernel: (q.kernelHeight, q.kernelWidth),
                                             padding: (q.kernelHeight - 1 - q.paddingHeight, q.kernelWidth - 1 - q.paddingWidth),
                                             taps: q.flippedTaps, lanes: convolutionLanes)
            runDirect(plan, input: g, mask: mask, packed: packedTransposedWeights(w, q), bias: nil, output: dx, batch: q.batch,
                      minimumChunk: q.minimumChunk)
            return dx
        }
        // Per sample: cols [C·T, P] = packed [C·T, O] · g[n] [O, P], then col2im.
        let packed = packedForwardWeights(w, q)
        let (o, k, p) = (q.outputChannels, q.patch, q.positions)
        let sampleSize = q.inputChannels * q.height * q.width
        ComputeThreads.parallelFor(q.batch, minimumChunk: q.minimumChunk) { range in
            let cols = UnsafeMutablePointer<Scalar>.allocate(capacity: Swift.max(1, k * p))
            defer { cols.deallocate() }
            for n in range {
                Scalar.gemm(transposeA: false, transposeB: false, m: k, n: p, k: o, alpha: 1, a: packed.storage.pointer, lda: o,
                            b: g.storage.pointer + n * o * p, ldb: p, beta: 0, c: cols, ldc: p)
                q.taps.withUnsafeBufferPointer { taps in
                    if isSinglePrecision {
                        mb_col2im_f32(UnsafeMutableRawPointer(cols).assumingMemoryBound(to: Float.self), p, dx.floatPointer + n * sampleSize,
                                      q.inputChannels, q.height, q.width, q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth,
                                      q.paddingHeight, q.paddingWidth, q.outputHeight, q.outputWidth, taps.baseAddress, taps.count)
                    } else {
                        mb_col2im_f64(UnsafeMutableRawPointer(cols).assumingMemoryBound(to: Double.self), p, dx.doublePointer + n * sampleSize,
                                      q.inputChannels, q.height, q.width, q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth,
                                      q.paddingHeight, q.paddingWidth, q.outputHeight, q.outputWidth, taps.baseAddress, taps.count)
                    }
                }
            }
        }
        return dx
    }

    /// The weight cotangent [O, C, kh, kw] (zero at inactive taps) of cotangent g and input x,
    /// and with `biasGradient` (direct kernels only) the bias cotangent Σ g over samples and
    /// positions; g is zeroed where mask ≤ 0 when a mask of g's shape is given (direct only).
    /// The batch is cut into one chunk per thread; each chunk's sum is formed on its own and the
    /// chunk sums are added in chunk order, so the result depends only on the thread count.
    static func weightGradientValue(_ g: Tensor, _ x: Tensor, geometry q: ConvolutionGeometry, mask: Tensor? = nil,
                                    biasGradient: Bool = false) -> (weight: Tensor, bias: Tensor?) {
        precondition((mask == nil && !biasGradient) || q.usesDirectKernels, "masked or bias gradients need the direct kernels")
        let (o, k, p) = (q.outputChannels, q.patch, q.positions)
        let chunks = Swift.max(1, Swift.min(ComputeThreads.count, q.batch / q.minimumChunk))
        // Each chunk's row: the weight sums [O·K], then the bias sums [O].
        let row = o * k + (biasGradient ? o : 0)
        let partials = Tensor(uninitializedShape: [chunks, row])
        let plan = q.usesDirectKernels ? forwardPlan(q) : nil
        ComputeThreads.parallelFor(chunks) { range in
            for chunk in range {
                let (start, end) = (q.batch * chunk / chunks, q.batch * (chunk + 1) / chunks)
                let sum = partials.storage.pointer + chunk * row
                if let plan {
                    let biasSum = biasGradient ? sum + o * k : nil
                    if isSinglePrecision {
                        mb_direct_conv_weight_gradient_f32(plan.pointer, x.floatPointer, g.floatPointer, mask.map { UnsafePointer($0.floatPointer) },
                                                           UnsafeMutableRawPointer(sum).assumingMemoryBound(to: Float.self),
                                                           biasSum.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) }, start, end)
                    } else {
                        mb_direct_conv_weight_gradient_f64(plan.pointer, x.doublePointer, g.doublePointer, mask.map { UnsafePointer($0.doublePointer) },
                                                           UnsafeMutableRawPointer(sum).assumingMemoryBound(to: Double.self),
                                                           biasSum.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Double.self) }, start, end)
                    }
                    continue
                }
                // Per sample: sum [O, C·T] += g[n] [O, P] · cols[n]ᵀ.
                if start == end { sum.initialize(repeating: 0, count: o * k) }
                let cols = UnsafeMutablePointer<Scalar>.allocate(capacity: Swift.max(1, k * p))
                defer { cols.deallocate() }
                for n in start..<end {
                    patches(x, sample: n, into: cols, geometry: q)
                    Scalar.gemm(transposeA: false, transposeB: true, m: o, n: k, k: p, alpha: 1, a: g.storage.pointer + n * o * p, lda: p,
                                b: cols, ldb: p, beta: n == start ? 0 : 1, c: sum, ldc: k)
                }
            }
        }
        var total = partials
        if chunks > 1 {
            total = Tensor(uninitializedShape: [1, row])
            Scalar.sumAxisKernel(partials.storage.pointer, total.storage.pointer, 1, chunks, row)
        }
        let dw = Tensor(uninitializedShape: q.weightShape)
        q.taps.withUnsafeBufferPointer { taps in
            let extent = q.kernelHeight * q.kernelWidth
            if isSinglePrecision {
                mb_direct_unpack_weights_f32(total.floatPointer, o, q.inputChannels, extent, taps.baseAddress, taps.count, dw.floatPointer)
            } else {
                mb_direct_unpack_weights_f64(total.doublePointer, o, q.inputChannels, extent, taps.baseAddress, taps.count, dw.doublePointer)
            }
        }
        var db: Tensor?
        if biasGradient {
            let bias = Tensor(uninitializedShape: [o])
            bias.storage.pointer.update(from: total.storage.pointer + o * k, count: o)
            db = bias
        }
        return (dw, db)
    }
}
