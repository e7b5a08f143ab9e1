import CKernels

/// `condition ? a : b` element-wise, with broadcasting of all three operands.
///
/// `condition` is read as a mask (nonzero = true) and is a constant for differentiation. The
/// unselected branch is never combined arithmetically with the result, so an infinite or NaN
/// element there does not leak into the output (unlike `mask * a + (1 - mask) * b`). The
/// pullback routes the cotangent to `a` where the mask is set and to `b` elsewhere, with
/// `select` itself, so it can be differentiated to any order.
public func select<Scalar>(_ condition: Tensor<Scalar>, _ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
    let mask = condition.detached()
    let output = Tensor.selectValue(mask, a, b)
    return Tensor.record("select", output: output, a, b) { g, c in
        let zero = Tensor<Scalar>(0)
        return [c.needs[0] ? select(mask, g, zero).summed(toShape: c.inputs[0].shape) : nil,
                c.needs[1] ? select(mask, zero, g).summed(toShape: c.inputs[1].shape) : nil]
    }
}

extension Tensor {
    /// The select kernel with broadcasting (no differentiation).
    static func selectValue(_ c: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Shape.broadcast(Shape.broadcast(c.shape, a.shape), b.shape)
        let result = Tensor(uninitializedShape: shape)
        if shape.count > 16 { preconditionFailure("select supports rank ≤ 16, got shape \(shape)") }
        let cs = Shape.broadcastStrides(c.shape, to: shape)
        let as_ = Shape.broadcastStrides(a.shape, to: shape)
        let bs = Shape.broadcastStrides(b.shape, to: shape)
        if isSinglePrecision {
            mb_where_f32(c.floatPointer, cs, a.floatPointer, as_, b.floatPointer, bs, result.floatPointer, shape, Int32(shape.count))
        } else {
            mb_where_f64(c.doublePointer, cs, a.doublePointer, as_, b.doublePointer, bs, result.doublePointer, shape, Int32(shape.count))
        }
        return result
    }
}
