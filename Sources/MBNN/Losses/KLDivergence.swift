import MBTensor

/// Kullback–Leibler divergence KL(p ‖ q) = Σ p (log p − log q), with PyTorch's
/// `F.kl_div(logQ, p, reduction:)` conventions: the first argument is log q (for example a
/// log-softmax), the second the target probabilities p, and terms with p = 0 contribute 0
/// (0·log 0 = 0). The default `batchMean` divides the total by the batch size (axis 0).
///
/// Differentiable in both arguments; the gradient in log q is −p/B (batch mean).
public func klDivergence<Scalar>(logPredicted logQ: Tensor<Scalar>, target p: Tensor<Scalar>,
                                 reduction: LossReduction = .batchMean) -> Tensor<Scalar> {
    requireSameShape(logQ.shape, p.shape, "klDivergence")
    return (xLogX(p) - p * logQ).reduced(reduction)
}

/// x log x with the limit 0 at x = 0 (and 0 for x < 0, outside a distribution's range);
/// the derivative log x + 1 is taken as 0 there.
func xLogX<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
    let positive = x .> Tensor(0)
    let safe = select(positive, x, Tensor(1))
    return x * safe.log() * positive
}
