// Log-densities of the sampled distributions as composite tensor functions: differentiable
// (to any order the element-wise primitives allow) in the variate and in the parameters, and
// broadcasting like the arithmetic they are made of.

/// log of the Beta(a, b) density on (0, 1):
/// (a − 1) log x + (b − 1) log(1 − x) − [log Γ(a) + log Γ(b) − log Γ(a + b)].
public func betaLogProbability<Scalar>(_ x: Tensor<Scalar>, alpha a: Tensor<Scalar>, beta b: Tensor<Scalar>) -> Tensor<Scalar> {
    let logBetaFunction = a.lgamma() + b.lgamma() - (a + b).lgamma()
    return (a - 1) * x.log() + (b - 1) * (-x).log1p() - logBetaFunction
}

/// log of the Gamma(α, θ) density on (0, ∞) (θ the scale):
/// (α − 1) log x − x/θ − log Γ(α) − α log θ.
public func gammaLogProbability<Scalar>(_ x: Tensor<Scalar>, concentration alpha: Tensor<Scalar>, scale: Tensor<Scalar>) -> Tensor<Scalar> {
    (alpha - 1) * x.log() - x / scale - alpha.lgamma() - alpha * scale.log()
}

/// log of the normal density: −(x − μ)² / (2σ²) − log σ − ½ log 2π.
public func normalLogProbability<Scalar>(_ x: Tensor<Scalar>, mean: Tensor<Scalar>, standardDeviation sigma: Tensor<Scalar>) -> Tensor<Scalar> {
    ((x - mean) / sigma).square() * -0.5 - sigma.log() - Scalar(0.91893853320467274178)
}
