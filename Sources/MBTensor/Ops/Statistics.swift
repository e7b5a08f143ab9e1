import CKernels

extension Tensor {
    /// Σ x², accumulated in Double (not differentiable; for norms and diagnostics).
    public var sumOfSquares: Double {
        Scalar.self == Float.self
            ? mb_sum_squares_f32(UnsafeRawPointer(storage.pointer).assumingMemoryBound(to: Float.self), count)
            : mb_sum_squares_f64(UnsafeRawPointer(storage.pointer).assumingMemoryBound(to: Double.self), count)
    }
}
