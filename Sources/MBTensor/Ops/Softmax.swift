import CKernels

extension Tensor {
    /// softmax(x)ᵢ = e^{xᵢ − m} / Σⱼ e^{xⱼ − m} along `axis` (m the maximum, for stability).
    ///
    /// Fused kernel; the pullback y ⊙ (g − Σ g ⊙ y) runs as a fused kernel when no higher-order
    /// graph is being built and as tensor operations otherwise.
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        softmaxFamily(alongAxis: axis, logarithmic: false)
    }

    /// log softmax(x) = x − m − log Σ e^{x − m} along `axis`; pullback g − softmax(x) Σ g.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        softmaxFamily(alongAxis: axis, logarithmic: true)
    }

    private func softmaxFamily(alongAxis axis: Int, logarithmic: Bool) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        let geometry = RowGeometry(shape: shape, axis: a)
        let result = Tensor(uninitializedShape: shape)
        let log: Int32 = logarithmic ? 1 : 0
        geometry.parallelRows { range, offset in
            if Tensor.isSinglePrecision {
                mb_softmax_f32(floatPointer + offset, result.floatPointer + offset, range.count, geometry.extent, geometry.inner, log)
            } else {
                mb_softmax_f64(doublePointer + offset, result.doublePointer + offset, range.count, geometry.extent, geometry.inner, log)
            }
        }
        let name: StaticString = logarithmic ? "logSoftmax" : "softmax"
        return Tensor.record(name, output: result, input: self) { g, c in
            let y = c.output
            if !g.isTracked && !y.isTracked {
                return [Tensor.softmaxBackwardValue(g, y, geometry: geometry, logarithmic: logarithmic)]
            }
            if logarithmic {
                return [g - y.exp() * g.sum(alongAxis: a, keepingDimensions: true)]
            }
            return [y * (g - (g * y).sum(alongAxis: a, keepingDimensions: true))]
        }
    }

    /// The fused softmax / log-softmax pullback (no differentiation).
    static func softmaxBackwardValue(_ g: Tensor, _ y: Tensor, geometry: RowGeometry, logarithmic: Bool) -> Tensor {
        let result = Tensor(uninitializedShape: y.shape)
        let log: Int32 = logarithmic ? 1 : 0
        geometry.parallelRows { range, offset in
            if isSinglePrecision {
                mb_softmax_backward_f32(g.floatPointer + offset, y.floatPointer + offset, result.floatPointer + offset,
                                        range.count, geometry.extent, geometry.inner, log)
            } else {
                mb_softmax_backward_f64(g.doublePointer + offset, y.doublePointer + offset, result.doublePointer + offset,
                                        range.count, geometry.extent, geometry.inner, log)
            }
        }
        return result
    }
}

/// A tensor seen as [outer, extent, inner] around one axis, for row-wise kernels.
struct RowGeometry: Sendable {
    let outer: Int
    let extent: Int
    let inner: Int

    init(shape: [Int], axis: Int) {
        outer = shape[..<axis].reduce(1, *)
        extent = shape[axis]
        inner = shape[(axis + 1)...].reduce(1, *)
    }

    /// Splits the `outer` blocks over the thread budget when the work is large enough to pay
    /// for it; `body` gets a block range and the element offset of its first block.
    func parallelRows(_ body: (Range<Int>, Int) -> Void) {
        let block = extent * inner
        let minimumChunk = Swift.max(1, 32_768 / Swift.max(block, 1))
        ComputeThreads.parallelFor(outer, minimumChunk: minimumChunk) { range in
            body(range, range.lowerBound * block)
        }
    }
}
