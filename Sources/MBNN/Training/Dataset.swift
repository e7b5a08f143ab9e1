import MBTensor

/// A finite, indexable collection of examples that a `Trainer` draws batches from.
///
/// `batch(indices:)` assembles the examples at the given positions (in that order) into one
/// batch, batch-first. Index order is chosen by the trainer (a fresh permutation per epoch).
public protocol Dataset<Batch> {
    associatedtype Batch
    var count: Int { get }
    func batch(indices: [Int]) -> Batch
}

/// Inputs and targets of a batch, both batch-first (axis 0 = example).
public struct TensorBatch<Scalar: TensorScalar>: @unchecked Sendable {
    public let inputs: Tensor<Scalar>
    public let targets: Tensor<Scalar>
    public var count: Int { inputs.shape[0] }

    public init(inputs: Tensor<Scalar>, targets: Tensor<Scalar>) {
        self.inputs = inputs
        self.targets = targets
    }
}

/// An in-memory dataset of input and target tensors, batch-first: example i is
/// `inputs[i, ...]` with `targets[i, ...]`. Batches are gathered with one memory copy per row.
public struct TensorDataset<Scalar: TensorScalar>: Dataset, @unchecked Sendable {
    public let inputs: Tensor<Scalar>
    public let targets: Tensor<Scalar>

    public init(inputs: Tensor<Scalar>, targets: Tensor<Scalar>) {
        precondition(inputs.rank >= 1 && targets.rank >= 1 && inputs.shape[0] == targets.shape[0],
                     "inputs \(inputs.shape) and targets \(targets.shape) must have the same extent on axis 0 (examples)")
        self.inputs = inputs.detached()
        self.targets = targets.detached()
    }

    public var count: Int { inputs.shape[0] }

    public func batch(indices: [Int]) -> TensorBatch<Scalar> {
        TensorBatch(inputs: RowGather.rows(inputs, indices), targets: RowGather.rows(targets, indices))
    }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> TensorDataset {
        TensorDataset(inputs: RowGather.rows(inputs, indices), targets: RowGather.rows(targets, indices))
    }

    /// A random split: `validationFraction` of the examples (rounded down) go to the
    /// validation set, chosen by a permutation from `generator`; both keep permutation order.
    public func split(validationFraction: Double, generator: inout RandomGenerator)
        -> (training: TensorDataset, validation: TensorDataset) {
        precondition(validationFraction >= 0 && validationFraction < 1,
                     "validation fraction must lie in [0, 1), got \(validationFraction)")
        let order = generator.permutation(count)
        let validationCount = Int(Double(count) * validationFraction)
        return (subset(Array(order[validationCount...])), subset(Array(order[..<validationCount])))
    }
}

/// Gathers rows (slices along axis 0) of a contiguous tensor with one `memcpy` per row.
public enum RowGather {
    /// `result[k, ...] = tensor[indices[k], ...]` (not differentiable).
    public static func rows<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>, _ indices: [Int]) -> Tensor<Scalar> {
        precondition(tensor.rank >= 1, "gathering rows needs a tensor of rank ≥ 1, got shape \(tensor.shape)")
        let rowCount = tensor.shape[0]
        let rowScalars = rowCount == 0 ? 0 : tensor.count / rowCount
        let rowBytes = rowScalars * MemoryLayout<Scalar>.stride
        var result = Tensor<Scalar>(uninitializedShape: [indices.count] + tensor.shape.dropFirst())
        tensor.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { destination in
                guard rowBytes > 0 else { return }
                let from = UnsafeRawPointer(source.baseAddress!)
                let to = UnsafeMutableRawPointer(destination.baseAddress!)
                for (k, row) in indices.enumerated() {
                    precondition(row >= 0 && row < rowCount, "row index \(row) out of range 0..<\(rowCount)")
                    (to + k * rowBytes).copyMemory(from: from + row * rowBytes, byteCount: rowBytes)
                }
            }
        }
        return result
    }
}
