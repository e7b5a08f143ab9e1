import MBTensor

extension Gradients {
    /// Scales all gradients together so that their global norm √(Σ g²) is at most `maximumNorm`,
    /// as PyTorch's `clip_grad_norm_`: factor = maximumNorm / (norm + 10⁻⁶) when that is < 1.
    /// Returns the norm before clipping (non-finite norms leave the gradients unchanged).
    @discardableResult
    public mutating func clipByGlobalNorm(_ maximumNorm: Double) -> Double {
        precondition(maximumNorm > 0, "maximum gradient norm must be positive, got \(maximumNorm)")
        let norm = globalNorm
        let factor = maximumNorm / (norm + 1e-6)
        if norm.isFinite && factor < 1 { values = values.map { $0 * Scalar(factor) } }
        return norm
    }

    /// The gradients scaled to a global norm of at most `maximumNorm`, and the norm before.
    public func clippedByGlobalNorm(_ maximumNorm: Double) -> (gradients: Gradients, norm: Double) {
        var copy = self
        let norm = copy.clipByGlobalNorm(maximumNorm)
        return (copy, norm)
    }

    /// Clamps every element to [−limit, limit], as PyTorch's `clip_grad_value_`.
    public mutating func clipByValue(_ limit: Double) {
        precondition(limit > 0, "gradient clipping limit must be positive, got \(limit)")
        let bound = Scalar(limit)
        values = values.map { $0.clamped(to: -bound...bound) }
    }

    public func clippedByValue(_ limit: Double) -> Gradients {
        var copy = self
        copy.clipByValue(limit)
        return copy
    }

    /// True if any gradient element is NaN or infinite.
    public var hasNonFinite: Bool { values.contains { $0.hasNonFinite } }
}

/// Gradient clipping applied by the `Trainer` before each optimizer step.
public enum GradientClipping: Sendable, Equatable {
    /// Scale so that the global norm is at most the value (`clipByGlobalNorm`).
    case globalNorm(Double)
    /// Clamp each element to ±value (`clipByValue`).
    case value(Double)

    func apply<Scalar>(to gradients: inout Gradients<Scalar>) {
        switch self {
        case .globalNorm(let maximum): gradients.clipByGlobalNorm(maximum)
        case .value(let limit): gradients.clipByValue(limit)
        }
    }
}
