extension Tensor {
    /// True when the element type is `Float`: kernels outside `TensorScalar`'s requirements
    /// come in `_f32`/`_f64` pairs and are chosen by this test, once per operation.
    @inlinable static var isSinglePrecision: Bool { Scalar.self == Float.self }

    /// The elements as `Float` (only valid when `isSinglePrecision`).
    @inlinable var floatPointer: UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(storage.pointer).assumingMemoryBound(to: Float.self)
    }

    /// The elements as `Double` (only valid when `!isSinglePrecision`).
    @inlinable var doublePointer: UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer(storage.pointer).assumingMemoryBound(to: Double.self)
    }

    /// A scalar as `Float` or `Double` for a kernel argument.
    @inlinable static func floatValue(_ x: Scalar) -> Float { Float(x) }
    @inlinable static func doubleValue(_ x: Scalar) -> Double { Double(x) }
}
