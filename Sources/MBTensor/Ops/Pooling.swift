import CKernels

/// Window geometry of 2-d pooling over [N, C, H, W] without padding (1-d: height 1).
struct PoolingGeometry: Sendable {
    let planes: Int, height: Int, width: Int
    let kernelHeight: Int, kernelWidth: Int, strideHeight: Int, strideWidth: Int
    let outputHeight: Int, outputWidth: Int
    let inputShape: [Int], outputShape: [Int]

    init(shape: [Int], kernel: (Int, Int), stride: (Int, Int)) {
        precondition(shape.count == 4, "2-d pooling needs [N, C, H, W], got \(shape)")
        precondition(kernel.0 >= 1 && kernel.1 >= 1 && stride.0 >= 1 && stride.1 >= 1,
                     "pooling kernel \(kernel) and stride \(stride) must be ≥ 1")
        precondition(kernel.0 <= shape[2] && kernel.1 <= shape[3], "pooling kernel \(kernel) larger than input \(shape)")
        planes = shape[0] * shape[1]
        (height, width) = (shape[2], shape[3])
        (kernelHeight, kernelWidth) = kernel
        (strideHeight, strideWidth) = stride
        outputHeight = (height - kernelHeight) / strideHeight + 1
        outputWidth = (width - kernelWidth) / strideWidth + 1
        inputShape = shape
        outputShape = [shape[0], shape[1], outputHeight, outputWidth]
    }

    /// Planes split over threads when there is enough work.
    func parallelPlanes(_ body: (Range<Int>) -> Void) {
        let perPlane = Swift.max(1, outputHeight * outputWidth * kernelHeight * kernelWidth)
        ComputeThreads.parallelFor(planes, minimumChunk: Swift.max(1, 65_536 / perPlane), body)
    }
}

/// Arg-max offsets of one max pooling (within each input plane, [planes, Ho, Wo]); shared,
/// read-only, by its pullbacks.
final class PoolingIndices: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>
    init(count: Int) { pointer = .allocate(capacity: Swift.max(count, 1)) }
    deinit { pointer.deallocate() }
}

extension Tensor {
    /// Max pooling of [N, C, H, W] over `kernel` windows moved by `stride` (default: the
    /// kernel), no padding; NaN propagates. The pullback scatters the cotangent to the recorded
    /// arg-max positions (a primitive whose pullback is the matching gather, and back).
    public func maxPooled2d(kernel: (Int, Int), stride: (Int, Int)? = nil) -> Tensor {
        let q = PoolingGeometry(shape: shape, kernel: kernel, stride: stride ?? kernel)
        precondition(q.height * q.width <= Int(Int32.max), "max pooling planes of \(q.height) × \(q.width) exceed 32-bit offsets")
        let result = Tensor(uninitializedShape: q.outputShape)
        let indices = PoolingIndices(count: result.count)
        let planeOut = q.outputHeight * q.outputWidth, planeIn = q.height * q.width
        q.parallelPlanes { range in
            let (p0, np) = (range.lowerBound, range.count)
            if Tensor.isSinglePrecision {
                mb_max_pool_f32(floatPointer + p0 * planeIn, result.floatPointer + p0 * planeOut, indices.pointer + p0 * planeOut, np,
                                q.height, q.width, q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth,
                                q.outputHeight, q.outputWidth)
            } else {
                mb_max_pool_f64(doublePointer + p0 * planeIn, result.doublePointer + p0 * planeOut, indices.pointer + p0 * planeOut, np,
                                q.height, q.width, q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth,
                                q.outputHeight, q.outputWidth)
            }
        }
        return Tensor.record("maxPool", output: result, input: self) { g, _ in [g.maxPoolScatter(q, indices)] }
    }

    /// [N, C, Ho, Wo] → [N, C, H, W]: each value added at its window's arg-max, zeros elsewhere.
    func maxPoolScatter(_ q: PoolingGeometry, _ indices: PoolingIndices) -> Tensor {
        precondition(shape == q.outputShape, "max-pool cotangent shape \(shape) should be \(q.outputShape)")
        let result = Tensor(uninitializedShape: q.inputShape)
        let planeOut = q.outputHeight * q.outputWidth, planeIn = q.height * q.width
        q.parallelPlanes { range in
            let (p0, np) = (range.lowerBound, range.count)
            if Tensor.isSinglePrecision {
                mb_max_pool_scatter_f32(floatPointer + p0 * planeOut, indices.pointer + p0 * planeOut, result.floatPointer + p0 * planeIn,
                                        np, planeIn, planeOut)
            } else {
                mb_max_pool_scatter_f64(doublePointer + p0 * planeOut, indices.pointer + p0 * planeOut, result.doublePointer + p0 * planeIn,
                                        np, planeIn, planeOut)
            }
        }
        return Tensor.record("maxPoolScatter", output: result, input: self) { g, _ in [g.maxPoolGather(q, indices)] }
    }

    /// [N, C, H, W] → [N, C, Ho, Wo]: the value at each window's arg-max (adjoint of the scatter).
    func maxPoolGather(_ q: PoolingGeometry, _ indices: PoolingIndices) -> Tensor {
        precondition(shape == q.inputShape, "max-pool gather input shape \(shape) should be \(q.inputShape)")
        let result = Tensor(uninitializedShape: q.outputShape)
        let planeOut = q.outputHeight * q.outputWidth, planeIn = q.height * q.width
        q.parallelPlanes { range in
            let (p0, np) = (range.lowerBound, range.count)
            if Tensor.isSinglePrecision {
                mb_max_pool_gather_f32(floatPointer + p0 * planeIn, indices.pointer + p0 * planeOut, result.floatPointer + p0 * planeOut,
                                       np, planeIn, planeOut)
            } else {
                mb_max_pool_gather_f64(doublePointer + p0 * planeIn, indices.pointer + p0 * planeOut, result.doublePointer + p0 * planeOut,
                                       np, planeIn, planeOut)
            }
        }
        return Tensor.record("maxPoolGather", output: result, input: self) { g, _ in [g.maxPoolScatter(q, indices)] }
    }

    /// Max pooling of [N, C, L] (kernel and stride along L; stride defaults to the kernel).
    public func maxPooled1d(kernel: Int, stride: Int? = nil) -> Tensor {
        precondition(rank == 3, "1-d pooling needs [N, C, L], got \(shape)")
        let y = reshaped(to: [shape[0], shape[1], 1, shape[2]]).maxPooled2d(kernel: (1, kernel), stride: (1, stride ?? kernel))
        return y.reshaped(to: [shape[0], shape[1], y.shape[3]])
    }

    /// Average pooling of [N, C, H, W] over `kernel` windows moved by `stride` (default: the
    /// kernel), no padding. Linear; the pullback spreads g/(kh·kw) over each window.
    public func averagePooled2d(kernel: (Int, Int), stride: (Int, Int)? = nil) -> Tensor {
        let q = PoolingGeometry(shape: shape, kernel: kernel, stride: stride ?? kernel)
        return averagePoolPrimitive(q)
    }

    /// Average pooling of [N, C, L].
    public func averagePooled1d(kernel: Int, stride: Int? = nil) -> Tensor {
        precondition(rank == 3, "1-d pooling needs [N, C, L], got \(shape)")
        let y = reshaped(to: [shape[0], shape[1], 1, shape[2]]).averagePooled2d(kernel: (1, kernel), stride: (1, stride ?? kernel))
        return y.reshaped(to: [shape[0], shape[1], y.shape[3]])
    }

    func averagePoolPrimitive(_ q: PoolingGeometry) -> Tensor {
        let result = Tensor(uninitializedShape: q.outputShape)
        let planeOut = q.outputHeight * q.outputWidth, planeIn = q.height * q.width
        q.parallelPlanes { range in
            let (p0, np) = (range.lowerBound, range.count)
            if Tensor.isSinglePrecision {
                mb_avg_pool_f32(floatPointer + p0 * planeIn, result.floatPointer + p0 * planeOut, np, q.height, q.width,
                                q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth, q.outputHeight, q.outputWidth)
            } else {
                mb_avg_pool_f64(doublePointer + p0 * planeIn, result.doublePointer + p0 * planeOut, np, q.height, q.width,
                                q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth, q.outputHeight, q.outputWidth)
            }
        }
        return Tensor.record("averagePool", output: result, input: self) { g, _ in [g.averagePoolAdjoint(q)] }
    }

    /// The adjoint of average pooling: g/(kh·kw) added over each window. Its pullback is the pooling.
    func averagePoolAdjoint(_ q: PoolingGeometry) -> Tensor {
        precondition(shape == q.outputShape, "average-pool cotangent shape \(shape) should be \(q.outputShape)")
        let result = Tensor(uninitializedShape: q.inputShape)
        let planeOut = q.outputHeight * q.outputWidth, planeIn = q.height * q.width
        q.parallelPlanes { range in
            let (p0, np) = (range.lowerBound, range.count)
            if Tensor.isSinglePrecision {
                mb_avg_pool_backward_f32(floatPointer + p0 * planeOut, result.floatPointer + p0 * planeIn, np, q.height, q.width,
                                         q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth, q.outputHeight, q.outputWidth)
            } else {
                mb_avg_pool_backward_f64(doublePointer + p0 * planeOut, result.doublePointer + p0 * planeIn, np, q.height, q.width,
                                         q.kernelHeight, q.kernelWidth, q.strideHeight, q.strideWidth, q.outputHeight, q.outputWidth)
            }
        }
        return Tensor.record("averagePoolAdjoint", output: result, input: self) { g, _ in [g.averagePoolPrimitive(q)] }
    }
}
