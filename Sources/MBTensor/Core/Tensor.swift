/// A dense, contiguous, row-major n-dimensional array of `Float` or `Double`.
///
/// `Tensor` is a value type: storage is shared copy-on-write. It is also the unit of
/// reverse-mode differentiation: a tensor produced inside `valueAndGradient` carries a
/// reference to the graph node that made it (`isTracked`); outside such a call tensors carry
/// nothing and operations record nothing. Gradients are returned by the differentiation
/// functions, never stored on tensors.
public struct Tensor<Scalar: TensorScalar>: @unchecked Sendable {
    /// Extent of each axis; `[]` for a scalar.
    public let shape: [Int]
    @usableFromInline var storage: TensorStorage<Scalar>
    @usableFromInline var node: GraphNode<Scalar>?

    @usableFromInline
    init(shape: [Int], storage: TensorStorage<Scalar>, node: GraphNode<Scalar>? = nil) {
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// A tensor with uninitialised elements, for kernels that write every element.
    @inlinable
    public init(uninitializedShape shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: shape.reduce(1, *)))
    }

    public init(shape: [Int], scalars: [Scalar]) {
        let count = shape.reduce(1, *)
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(count == scalars.count, "shape \(shape) needs \(count) scalars, got \(scalars.count)")
        let storage = scalars.withUnsafeBufferPointer { TensorStorage(copying: $0.baseAddress!, count: count) }
        self.init(shape: shape, storage: storage)
    }

    public init(repeating value: Scalar, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: shape.reduce(1, *)))
    }

    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }
    public init(ones shape: [Int]) { self.init(repeating: 1, shape: shape) }

    /// A rank-0 tensor.
    public init(_ value: Scalar) { self.init(repeating: value, shape: []) }

    /// A rank-1 tensor.
    public init(_ scalars: [Scalar]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// Converts between precisions (not differentiable).
    public init<Other: TensorScalar>(converting other: Tensor<Other>) {
        self.init(uninitializedShape: other.shape)
        let n = count
        if Other.self == Scalar.self {
            storage.pointer.update(from: UnsafeRawPointer(other.storage.pointer).assumingMemoryBound(to: Scalar.self), count: n)
        } else {
            let tmp = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(n, 1))
            defer { tmp.deallocate() }
            Other.toDouble(other.storage.pointer, tmp, n)
            Scalar.fromDouble(tmp, storage.pointer, n)
        }
    }

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    @inlinable public var rank: Int { shape.count }

    /// The elements in row-major order.
    public var scalars: [Scalar] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// The single element of a one-element tensor.
    public var scalar: Scalar {
        precondition(count == 1, "scalar requires exactly one element, shape is \(shape)")
        return storage.pointer[0]
    }

    /// Element at a multi-index (slow path, for tests and small tables).
    public subscript(indices: Int...) -> Scalar {
        precondition(indices.count == rank, "index \(indices) has rank \(indices.count), tensor shape \(shape)")
        var offset = 0
        for (axis, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(indices) out of range for shape \(shape)")
            offset = offset * shape[axis] + i
        }
        return storage.pointer[offset]
    }

    /// True when this tensor depends on a variable of an active differentiation.
    public var isTracked: Bool { node != nil }

    /// The same values, cut from any differentiation (a constant).
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Mutable access to the elements; copies first if the storage is shared. The result is
    /// a new constant: mutation is never recorded for differentiation.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(copying: storage.pointer, count: count)
        }
        node = nil
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// True if any element is NaN or infinite.
    public var hasNonFinite: Bool { Scalar.hasNonFiniteKernel(storage.pointer, count) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(12).map { "\($0)" }.joined(separator: ", ")
        return "Tensor<\(Scalar.self)>(shape: \(shape), [\(shown)\(count > 12 ? ", …" : "")])"
    }
}

extension Tensor: Equatable {
    /// Exact equality of shape and elements (ignores differentiation state).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}
