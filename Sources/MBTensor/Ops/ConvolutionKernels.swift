import CKernels
import Synchronization

/// A batch cut into a fixed number of chunks of consecutive samples, handed to the workers of
/// the thread budget one chunk at a time: a worker that finishes early takes the next chunk, so
/// a thread descheduled by other load delays only its current chunk, not half the batch. The
/// boundaries depend only on the batch size and the thread count (results that are summed per
/// chunk repeat bit for bit); which worker runs a chunk does not matter.
struct SampleChunks {
    let batch: Int, count: Int

    /// About four chunks per thread, each of at least `minimumChunk` samples (one chunk when
    /// the budget is one thread).
    init(batch: Int, minimumChunk: Int) {
        self.batch = batch
        let threads = ComputeThreads.count
        count = threads > 1 ? Swift.max(1, Swift.min(batch / Swift.max(minimumChunk, 1), 4 * threads)) : 1
    }

    func samples(_ chunk: Int) -> Range<Int> { (batch * chunk / count)..<(batch * (chunk + 1) / count) }

    /// Calls `body(chunk, samples)` once for every chunk.
    func run(_ body: (_ chunk: Int, _ samples: Range<Int>) -> Void) {
        let workers = Swift.min(ComputeThreads.count, count)
        guard workers > 1 else {
            for chunk in 0..<count { body(chunk, samples(chunk)) }
            return
        }
        let next = Atomic<Int>(0)
        ComputeThreads.parallelFor(workers) { range in
            for _ in range {
                while true {
                    let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if chunk >= count { break }
                    body(chunk, samples(chunk))
                }
            }
        }
    }
}

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

    /// Runs a direct-convolution plan over the batch: output[n] = act(bias + conv(input[n] ⊙ [mask > 0]))
    /// with weights `packed` [K, O] (blocked once here for all chunks).
    static func runDirect(_ plan: DirectConvolutionPlan, input: Tensor, mask: Tensor? = nil, packed: Tensor, bias: Tensor?,
                          relu: Bool = false, output: Tensor, batch: Int, minimumChunk: Int) {
        let blocked = Tensor(uninitializedShape: [mb_direct_conv_blocked_weights(plan.pointer)])
        if isSinglePrecision {
            mb_direct_conv_block_weights_f32(plan.pointer, packed.floatPointer, blocked.floatPointer)
        } else {
            mb_direct_conv_block_weights_f64(plan.pointer, packed.doublePointer, blocked.doublePointer)
        }
        SampleChunks(batch: batch, minimumChunk: minimumChunk).run { _, range in
            if isSinglePrecision {
                mb_direct_conv_forward_f32(plan.pointer, input.floatPointer, mask.map { UnsafePointer($0.floatPointer) }, blocked.floatPointer,
                                           bias.map { UnsafePointer($0.floatPointer) }, relu ? 1 : 0, output.floatPointer,
                                           range.lowerBound, range.upperBound)
            } else {
                mb_direct_conv_forward_f64(plan.pointer, input.doublePointer, mask.map { UnsafePointer($0.doublePointer) }, blocked.doublePointer,
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
        SampleChunks(batch: q.batch, minimumChunk: q.minimumChunk).run { _, range in
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
        SampleChunks(batch: q.batch, minimumChunk: q.minimumChunk).run { _, range in
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
    /// Each chunk of the batch (`SampleChunks`) forms its own sum; the chunk sums are added in
    /// chunk order, so the result depends only on the thread count.
    static func weightGradientValue(_ g: Tensor, _ x: Tensor, geometry q: ConvolutionGeometry, mask: Tensor? = nil,
                                    biasGradient: Bool = false) -> (weight: Tensor, bias: Tensor?) {
        precondition((mask == nil && !biasGradient) || q.usesDirectKernels, "masked or bias gradients need the direct kernels")
        let (o, k, p) = (q.outputChannels, q.patch, q.positions)
        let chunks = SampleChunks(batch: q.batch, minimumChunk: q.minimumChunk)
        // Each chunk's row: the weight sums [O·K], then the bias sums [O].
        let row = o * k + (biasGradient ? o : 0)
        let partials = Tensor(uninitializedShape: [chunks.count, row])
        let plan = q.usesDirectKernels ? forwardPlan(q) : nil
        chunks.run { chunk, samples in
            let (start, end) = (samples.lowerBound, samples.upperBound)
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
                return
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
        var total = partials
        if chunks.count > 1 {
            total = Tensor(uninitializedShape: [1, row])
            Scalar.sumAxisKernel(partials.storage.pointer, total.storage.pointer, 1, chunks.count, row)
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
