import MBTensor

/// The gradient of a loss for each example separately, stacked along a new leading axis:
/// for a parameter of shape S the result has shape [count] + S, and row i is ∇θ loss(model, i).
///
/// Examples are processed one after another with the model's shared parameters (the loop
/// is sequential because differentiation swaps the model's parameters in place). For a
/// loss that is a mean over a batch, the mean of the per-example gradients of the
/// single-example losses equals the batch gradient.
public func perSampleGradients<M: Module, Scalar: TensorScalar>(
    of model: M, parameters: ParameterSet<Scalar>? = nil, count: Int, loss: (M, Int) throws -> Tensor<Scalar>
) rethrows -> Gradients<Scalar> {
    let set = parameters ?? ParameterSet<Scalar>(model)
    var stacked = set.boxes.map { Tensor<Scalar>(zeros: [count] + $0.wrappedValue.shape) }
    for i in 0..<count {
        let (_, gradients) = try valueAndGradient(of: model, parameters: set) { m in try loss(m, i) }
        for (k, g) in gradients.values.enumerated() {
            let rowScalars = g.count
            g.withUnsafeBufferPointer { source in
                stacked[k].withUnsafeMutableBufferPointer { destination in
                    guard rowScalars > 0 else { return }
                    UnsafeMutableRawPointer(destination.baseAddress! + i * rowScalars)
                        .copyMemory(from: UnsafeRawPointer(source.baseAddress!), byteCount: rowScalars * MemoryLayout<Scalar>.stride)
                }
            }
        }
    }
    return Gradients(paths: set.paths, values: stacked)
}

/// Per-example gradients over the examples of a batch of inputs and targets (batch-first):
/// example i is the batch `inputs[i ..< i+1]`, `targets[i ..< i+1]` (axis 0 kept, extent 1).
public func perSampleGradients<M: Module, Scalar: TensorScalar>(
    of model: M, parameters: ParameterSet<Scalar>? = nil, inputs: Tensor<Scalar>, targets: Tensor<Scalar>,
    loss: (M, Tensor<Scalar>, Tensor<Scalar>) throws -> Tensor<Scalar>
) rethrows -> Gradients<Scalar> {
    precondition(inputs.rank >= 1 && targets.rank >= 1 && inputs.shape[0] == targets.shape[0],
                 "inputs \(inputs.shape) and targets \(targets.shape) must have the same extent on axis 0")
    return try perSampleGradients(of: model, parameters: parameters, count: inputs.shape[0]) { m, i in
        try loss(m, RowGather.rows(inputs, [i]), RowGather.rows(targets, [i]))
    }
}
