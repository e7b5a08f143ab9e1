import MBTensor

/// The parameters of a model, discovered once, in path order. Training loops keep one and
/// reuse it, so reflection stays out of the hot path.
public struct ParameterSet<Scalar: TensorScalar>: @unchecked Sendable {
    public let paths: [String]
    public let boxes: [Parameter<Scalar>]

    public init(_ module: Module) {
        let named = module.namedParameters(of: Scalar.self)
        paths = named.map(\.path)
        boxes = named.map(\.parameter)
    }

    public var values: [Tensor<Scalar>] { boxes.map(\.wrappedValue) }
    public var count: Int { paths.count }
    public var scalarCount: Int { boxes.reduce(0) { $0 + $1.wrappedValue.count } }
}

/// Gradients keyed by parameter path, in the order of the `ParameterSet` they came from.
public struct Gradients<Scalar: TensorScalar>: @unchecked Sendable {
    public let paths: [String]
    public var values: [Tensor<Scalar>]

    public init(paths: [String], values: [Tensor<Scalar>]) {
        precondition(paths.count == values.count, "\(paths.count) paths for \(values.count) gradients")
        self.paths = paths
        self.values = values
    }

    public subscript(path: String) -> Tensor<Scalar>? {
        paths.firstIndex(of: path).map { values[$0] }
    }

    /// √(Σ g²) over all gradients, accumulated in Double.
    public var globalNorm: Double {
        var total = 0.0
        for g in values { total += g.sumOfSquares }
        return total.squareRoot()
    }

    /// Element-wise sum (gradient accumulation over micro-batches).
    public static func + (a: Gradients, b: Gradients) -> Gradients {
        precondition(a.paths == b.paths, "gradients of different parameter sets cannot be added")
        return Gradients(paths: a.paths, values: zip(a.values, b.values).map { $0 + $1 })
    }

    public func scaled(by factor: Scalar) -> Gradients {
        Gradients(paths: paths, values: values.map { $0 * factor })
    }
}

/// Value of `f(model)` and its gradient with respect to every parameter of `model`.
///
/// For the duration of the call the model's parameters are replaced by differentiation
/// variables; the model must not be used concurrently from another thread meanwhile.
public func valueAndGradient<M: Module, Scalar>(
    of model: M, parameters: ParameterSet<Scalar>? = nil, _ f: (M) throws -> Tensor<Scalar>
) rethrows -> (value: Tensor<Scalar>, gradients: Gradients<Scalar>) {
    let set = parameters ?? ParameterSet<Scalar>(model)
    let originals = set.values
    defer { for (box, value) in zip(set.boxes, originals) { box.wrappedValue = value } }
    let (value, grads) = try valueAndGradient(at: originals) { variables in
        for (box, v) in zip(set.boxes, variables) { box.wrappedValue = v }
        return try f(model)
    }
    return (value, Gradients(paths: set.paths, values: grads))
}
