extension Tensor {
    /// Same storage, new shape (no differentiation).
    @usableFromInline
    func reshapedValue(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// Reinterprets the elements with a new shape of equal count; one extent may be −1.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var target = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            target[inferred] = count / known
        }
        precondition(target.reduce(1, *) == count && target.allSatisfy { $0 >= 0 },
                     "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        if target == shape { return self }
        let inputShape = shape
        return Tensor.record("reshape", output: reshapedValue(target), input: self) { g, _ in
            [g.reshaped(to: inputShape)]
        }
    }

    /// Inserts an axis of extent 1.
    public func expandingShape(at axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        var s = shape
        s.insert(1, at: a)
        return reshaped(to: s)
    }

    /// Removes axes of extent 1 (all of them when `axes` is empty).
    public func squeezingShape(at axes: [Int] = []) -> Tensor {
        let resolved = Set(axes.map { Shape.axis($0, rank: rank) })
        let s = shape.enumerated().filter { !(($0.element == 1) && (resolved.isEmpty || resolved.contains($0.offset))) }.map(\.element)
        return reshaped(to: s)
    }

    /// Reorders the axes: result axis i is input axis `permutation[i]`.
    public func permuted(_ permutation: [Int]) -> Tensor {
        precondition(permutation.sorted() == Array(0..<rank), "permutation \(permutation) invalid for shape \(shape)")
        if permutation == Array(0..<rank) { return self }
        let own = Shape.strides(shape)
        let newShape = permutation.map { shape[$0] }
        let strides = permutation.map { own[$0] }
        var result = Tensor(uninitializedShape: newShape)
        Scalar.stridedCopyKernel(storage.pointer, strides, result.storage.pointer, newShape, rank)
        result.node = nil
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return Tensor.record("permute", output: result, input: self) { g, _ in [g.permuted(inverse)] }
    }

    /// Swaps two axes (default: the last two).
    public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) -> Tensor {
        var p = Array(0..<rank)
        p.swapAt(Shape.axis(axis0, rank: rank), Shape.axis(axis1, rank: rank))
        return permuted(p)
    }

    /// Materialises a broadcast to `target` shape.
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let strides = Shape.broadcastStrides(shape, to: target)
        var result = Tensor(uninitializedShape: target)
        Scalar.stridedCopyKernel(storage.pointer, strides, result.storage.pointer, target, target.count)
        result.node = nil
        let inputShape = shape
        return Tensor.record("broadcast", output: result, input: self) { g, _ in [g.summed(toShape: inputShape)] }
    }
}
