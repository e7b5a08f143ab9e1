import CKernels

extension Tensor {
    /// Joins tensors along an existing axis; all other extents must agree. The pullback hands
    /// each input its slice of the cotangent.
    public static func concatenated(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenation of an empty list")
        let first = tensors[0]
        let a = Shape.axis(axis, rank: first.rank)
        for t in tensors {
            precondition(t.rank == first.rank && (0..<first.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
                         "cannot concatenate shapes \(first.shape) and \(t.shape) along axis \(axis)")
        }
        if tensors.count == 1 { return first }
        var shape = first.shape
        shape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let result = Tensor(uninitializedShape: shape)
        let outStrides = Shape.strides(shape)
        var offsets: [Int] = []
        var position = 0
        for t in tensors {
            offsets.append(position)
            if t.count > 0 {
                let start = position * outStrides[a]
                if isSinglePrecision {
                    mb_strided_store_f32(t.floatPointer, result.floatPointer + start, outStrides, t.shape, Int32(t.rank))
                } else {
                    mb_strided_store_f64(t.doublePointer, result.doublePointer + start, outStrides, t.shape, Int32(t.rank))
                }
            }
            position += t.shape[a]
        }
        let extents = tensors.map { $0.shape[a] }
        return record("concatenate", output: result, inputs: tensors) { g, c in
            (0..<extents.count).map { i in
                c.needs[i] ? g.sliced(alongAxis: a, offsets[i]..<(offsets[i] + extents[i])) : nil
            }
        }
    }

    /// Stacks equally shaped tensors along a new axis at position `axis` (0...rank).
    public static func stacked(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stacking an empty list")
        let shape = tensors[0].shape
        for t in tensors { precondition(t.shape == shape, "cannot stack shapes \(shape) and \(t.shape)") }
        let a = axis < 0 ? axis + shape.count + 1 : axis
        precondition(a >= 0 && a <= shape.count, "stack axis \(axis) out of range for shape \(shape)")
        return concatenated(tensors.map { $0.expandingShape(at: a) }, alongAxis: a)
    }
}
