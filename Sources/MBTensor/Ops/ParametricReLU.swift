import CKernels

extension Tensor {
    /// Parametric ReLU (He et al. 2015): y = x > 0 ? x : a_c · x, one slope a_c per channel.
    ///
    /// - Parameter slopes: [C] with C = shape[1] (channels on axis 1, `[N, C, …]`), or C =
    ///   shape[0] for a rank-1 input `[C]`, or [1] (one slope shared by every element).
    /// - Returns: the shape of `self`. One fused pass; the first-order pullback is one fused
    ///   pass as well (dx = x > 0 ? g : a·g, da_c = Σ_{x ≤ 0} g·x), higher orders use
    ///   differentiable tensor ops.
    public func parametricReLU(slopes: Tensor) -> Tensor {
        precondition(slopes.rank == 1 && rank >= 1, "parametricReLU needs slopes [C] and an input of rank ≥ 1; got \(slopes.shape) and \(shape)")
        let channels = slopes.count
        let axis = rank >= 2 ? 1 : 0
        precondition(channels == 1 || shape[axis] == channels,
                     "parametricReLU with \(channels) slopes needs \(channels) channels on axis \(axis), got input shape \(shape)")
        // [outer, channels, inner] view of the input.
        let outer = channels == 1 ? (rank >= 1 ? shape[0] : 1) : (rank >= 2 ? shape[0] : 1)
        let inner = outer == 0 ? 0 : count / (outer * channels)
        let result = Tensor(uninitializedShape: shape)
        let minimumChunk = Swift.max(1, 32_768 / Swift.max(1, channels * inner))
        ComputeThreads.parallelFor(outer, minimumChunk: minimumChunk) { range in
            if Tensor.isSinglePrecision {
                mb_prelu_f32(floatPointer, slopes.floatPointer, result.floatPointer, range.lowerBound, range.upperBound, channels, inner)
            } else {
                mb_prelu_f64(doublePointer, slopes.doublePointer, result.doublePointer, range.lowerBound, range.upperBound, channels, inner)
            }
        }
        let inputRank = rank
        return Tensor.record("prelu", output: result, self, slopes) { g, c in
            let (x, a) = (c.inputs[0], c.inputs[1])
            if !g.isTracked && !x.isTracked && !a.isTracked {
                return Tensor.parametricReLUPullback(g, x, a, outer: outer, inner: inner, needs: (c.needs[0], c.needs[1]))
            }
            // Higher orders: the same pullback from differentiable ops (the mask is constant).
            let positive = x .> Tensor(0)
            let negative = 1 - positive
            let broadcastSlopes = channels > 1 && inputRank > 2
                ? a.reshaped(to: [channels] + Array(repeating: 1, count: inputRank - 2)) : a
            let dx = c.needs[0] ? g * (positive + negative * broadcastSlopes) : nil
            var da: Tensor?
            if c.needs[1] {
                let terms = g * x * negative
                if channels == 1 {
                    da = terms.sum().reshaped(to: [1])
                } else {
                    let axes = (0..<inputRank).filter { $0 != axis }
                    da = axes.isEmpty ? terms : terms.sum(alongAxes: axes)
                }
            }
            return [dx, da]
        }
    }

    /// The fused first-order pullback: chunks of the outer axis per thread, the slope
    /// gradients of the chunks added in chunk order (results depend only on the thread count).
    static func parametricReLUPullback(_ g: Tensor, _ x: Tensor, _ a: Tensor, outer: Int, inner: Int,
                                       needs: (Bool, Bool)) -> [Tensor?] {
        let channels = a.count
        let dx = needs.0 ? Tensor(uninitializedShape: x.shape) : nil
        let chunks = Swift.max(1, Swift.min(ComputeThreads.count, outer / Swift.max(1, 32_768 / Swift.max(1, channels * inner))))
        let partials = needs.1 ? Tensor(uninitializedShape: [chunks, channels]) : nil
        ComputeThreads.parallelFor(chunks) { range in
            for chunk in range {
                let (start, end) = (outer * chunk / chunks, outer * (chunk + 1) / chunks)
                if isSinglePrecision {
                    mb_prelu_backward_f32(g.floatPointer, x.floatPointer, a.floatPointer, dx?.floatPointer,
                                          partials.map { $0.floatPointer + chunk * channels }, start, end, channels, inner)
                } else {
                    mb_prelu_backward_f64(g.doublePointer, x.doublePointer, a.doublePointer, dx?.doublePointer,
                                          partials.map { $0.doublePointer + chunk * channels }, start, end, channels, inner)
                }
            }
        }
        var da: Tensor?
        if let partials {
            let sum = Tensor(uninitializedShape: [channels])
            Scalar.sumAxisKernel(partials.storage.pointer, sum.storage.pointer, 1, chunks, channels)
            da = sum
        }
        return [dx, da]
    }
}
