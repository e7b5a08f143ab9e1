extension Tensor {
    /// Sum over one axis (raw kernel, no differentiation).
    func sumValue(axis: Int) -> Tensor {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var newShape = shape
        newShape.remove(at: axis)
        var result = Tensor(uninitializedShape: newShape)
        Scalar.sumAxisKernel(storage.pointer, result.storage.pointer, outer, shape[axis], inner)
        result.node = nil
        return result
    }

    /// Sum over the given axes (all axes when empty is not intended: use `sum()`).
    /// With `keepingDimensions` the reduced axes stay with extent 1.
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let resolved = Set(axes.map { Shape.axis($0, rank: rank) }).sorted(by: >)
        guard !resolved.isEmpty else { return self }
        var value = detached()
        for axis in resolved { value = value.sumValue(axis: axis) }
        let keptShape = shape.enumerated().map { resolved.contains($0.offset) ? 1 : $0.element }
        let output = keepingDimensions ? value.reshapedValue(keptShape) : value
        let inputShape = shape
        return Tensor.record("sum", output: output, input: self) { g, _ in
            [g.reshaped(to: keptShape).broadcast(to: inputShape)]
        }
    }

    public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// Sum of all elements (rank 0).
    public func sum() -> Tensor {
        rank == 0 ? self : sum(alongAxes: Array(0..<rank)).reshaped(to: [])
    }

    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let n = axes.map { shape[Shape.axis($0, rank: rank)] }.reduce(1, *)
        return sum(alongAxes: axes, keepingDimensions: keepingDimensions) / Scalar(n)
    }

    public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    public func mean() -> Tensor { sum() / Scalar(Swift.max(count, 1)) }

    /// Maximum along an axis; the cotangent goes to the first maximal element.
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        let outer = shape[..<a].reduce(1, *), n = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        precondition(n > 0, "max along empty axis \(axis) of shape \(shape)")
        var keptShape = shape
        keptShape[a] = 1
        var value = Tensor(uninitializedShape: keptShape)
        var indices = [Int64](repeating: 0, count: outer * inner)
        Scalar.maxAxisKernel(storage.pointer, value.storage.pointer, &indices, outer, n, inner)
        value.node = nil
        var reducedShape = shape
        reducedShape.remove(at: a)
        // One-hot selector of the arg-max, a constant of the forward pass.
        var selector = Tensor(zeros: shape)
        selector.withUnsafeMutableBufferPointer { p in
            for o in 0..<outer {
                for j in 0..<inner { p[(o * n + Int(indices[o * inner + j])) * inner + j] = 1 }
            }
        }
        let output = keepingDimensions ? value : value.reshapedValue(reducedShape)
        return Tensor.record("max", output: output, input: self) { g, _ in
            [g.reshaped(to: keptShape) * selector]
        }
    }

    /// Largest element (rank 0).
    public func max() -> Tensor { reshaped(to: [count]).max(alongAxis: 0) }

    /// log Σ exp along an axis, stabilised by the maximum.
    public func logSumExp(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let m = max(alongAxis: axis, keepingDimensions: true).detached()
        let result = (self - m).exp().sum(alongAxis: axis, keepingDimensions: true).log() + m
        if keepingDimensions { return result }
        var reduced = shape
        reduced.remove(at: Shape.axis(axis, rank: rank))
        return result.reshaped(to: reduced)
    }

    /// Population variance (divides by n) along axes.
    public func variance(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let centred = self - mean(alongAxes: axes, keepingDimensions: true)
        return centred.square().mean(alongAxes: axes, keepingDimensions: keepingDimensions)
    }
}
