import MBTensor

/// How a loss turns its element-wise terms into the returned tensor.
public enum LossReduction: Sendable, Equatable {
    /// Mean over every element (PyTorch `"mean"`).
    case mean
    /// Sum over every element divided by the batch size, the extent of axis 0
    /// (PyTorch `"batchmean"`, the mathematically correct mean KL divergence).
    case batchMean
    /// Sum over every element.
    case sum
    /// The element-wise terms, unreduced.
    case none
}

extension Tensor {
    /// Applies a loss reduction to element-wise loss terms.
    func reduced(_ reduction: LossReduction) -> Tensor {
        switch reduction {
        case .mean: mean()
        case .sum: sum()
        case .batchMean: sum() / Scalar(Swift.max(rank == 0 ? 1 : shape[0], 1))
        case .none: self
        }
    }
}

@inline(__always)
func requireSameShape(_ a: [Int], _ b: [Int], _ what: String) {
    precondition(a == b, "\(what): prediction shape \(a) and target shape \(b) must be equal")
}
