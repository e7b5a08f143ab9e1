import CKernels

extension Tensor {
    /// A strided sub-array: along axis i the elements `ranges[i].lowerBound`, `+ steps[i]`, …
    /// below `ranges[i].upperBound`. Axes beyond `ranges.count` are kept whole; `steps`
    /// defaults to 1 everywhere. The pullback embeds the cotangent into zeros (`embedded`).
    public func sliced(_ ranges: [Range<Int>], steps: [Int]? = nil) -> Tensor {
        precondition(ranges.count <= rank, "\(ranges.count) slice ranges for shape \(shape)")
        let steps = steps ?? [Int](repeating: 1, count: ranges.count)
        precondition(steps.count == ranges.count, "\(steps.count) steps for \(ranges.count) slice ranges")
        var starts = [Int](repeating: 0, count: rank), fullSteps = [Int](repeating: 1, count: rank)
        var newShape = shape
        for (axis, range) in ranges.enumerated() {
            precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                         "slice \(range) out of bounds for axis \(axis) of shape \(shape)")
            precondition(steps[axis] >= 1, "slice step \(steps[axis]) must be ≥ 1")
            starts[axis] = range.lowerBound
            fullSteps[axis] = steps[axis]
            newShape[axis] = (range.count + steps[axis] - 1) / steps[axis]
        }
        return slicedPrimitive(starts: starts, steps: fullSteps, shape: newShape)
    }

    /// Slice along one axis: `range` with `step` there, everything elsewhere.
    public func sliced(alongAxis axis: Int, _ range: Range<Int>, step: Int = 1) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        var ranges = shape.map { 0..<$0 }
        ranges[a] = range
        var steps = [Int](repeating: 1, count: rank)
        steps[a] = step
        return sliced(ranges, steps: steps)
    }

    /// Zero padding: `padding[i]` elements before and after along axis i (one pair per axis).
    /// The pullback is the slice of the interior.
    public func padded(_ padding: [(before: Int, after: Int)]) -> Tensor {
        precondition(padding.count == rank, "\(padding.count) padding pairs for shape \(shape)")
        precondition(padding.allSatisfy { $0.before >= 0 && $0.after >= 0 }, "negative padding \(padding)")
        let newShape = zip(shape, padding).map { $0 + $1.before + $1.after }
        return embedded(into: newShape, starts: padding.map(\.before), steps: [Int](repeating: 1, count: rank))
    }

    /// Zero padding along one axis.
    public func padded(alongAxis axis: Int, before: Int, after: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        var padding = [(before: Int, after: Int)](repeating: (0, 0), count: rank)
        padding[a] = (before, after)
        return padded(padding)
    }

    /// The slice primitive over all axes: `starts`, `steps` and the result `shape` per axis.
    func slicedPrimitive(starts: [Int], steps: [Int], shape newShape: [Int]) -> Tensor {
        if newShape == shape { return self }
        let own = Shape.strides(shape)
        let offset = zip(starts, own).reduce(0) { $0 + $1.0 * $1.1 }
        let strides = zip(own, steps).map { $0 * $1 }
        let result = Tensor(uninitializedShape: newShape)
        if result.count > 0 {
            Scalar.stridedCopyKernel(storage.pointer + offset, strides, result.storage.pointer, newShape, rank)
        }
        let inputShape = shape
        return Tensor.record("slice", output: result, input: self) { g, _ in
            [g.embedded(into: inputShape, starts: starts, steps: steps)]
        }
    }

    /// The adjoint of slicing: zeros of `target` shape with `self` written at
    /// `starts[i] + k · steps[i]` along each axis. Its pullback is the slice.
    func embedded(into target: [Int], starts: [Int], steps: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(target.count == rank, "cannot embed shape \(shape) into \(target)")
        for axis in 0..<rank {
            precondition(starts[axis] >= 0 && starts[axis] + (shape[axis] - 1) * steps[axis] < target[axis] || shape[axis] == 0,
                         "cannot embed shape \(shape) into \(target) at \(starts) step \(steps)")
        }
        let result = Tensor(zeros: target)
        let own = Shape.strides(target)
        let offset = zip(starts, own).reduce(0) { $0 + $1.0 * $1.1 }
        let strides = zip(own, steps).map { $0 * $1 }
        if count > 0 {
            if Tensor.isSinglePrecision {
                mb_strided_store_f32(floatPointer, result.floatPointer + offset, strides, shape, Int32(rank))
            } else {
                mb_strided_store_f64(doublePointer, result.doublePointer + offset, strides, shape, Int32(rank))
            }
        }
        let ownShape = shape
        return Tensor.record("embed", output: result, input: self) { g, _ in
            [g.slicedPrimitive(starts: starts, steps: steps, shape: ownShape)]
        }
    }
}
