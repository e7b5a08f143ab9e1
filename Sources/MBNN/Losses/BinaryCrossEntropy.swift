import MBTensor

/// Binary cross-entropy on probabilities, as PyTorch's `F.binary_cross_entropy`:
/// ℓ = −[t·max(log p, −100) + (1 − t)·max(log(1 − p), −100)], p ∈ [0, 1].
///
/// The logarithms are clamped at −100 so that p = 0 or 1 gives a finite loss, and the
/// gradient is PyTorch's g·(p − t)/max(p(1 − p), 10⁻¹²), finite everywhere. Prefer the logits
/// form when the probabilities come from a sigmoid.
public func binaryCrossEntropy<Scalar>(probabilities p: Tensor<Scalar>, targets t: Tensor<Scalar>,
                                       reduction: LossReduction = .mean) -> Tensor<Scalar> {
    requireSameShape(p.shape, t.shape, "binaryCrossEntropy")
    let floor = Tensor<Scalar>(-100)
    func clampedLogs(_ p: Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>) {
        (p.log().maximum(floor), (1 - p).log().maximum(floor))
    }
    let (logP, logOneMinusP) = clampedLogs(p.detached())
    let td = t.detached()
    let value = -(td * logP + (1 - td) * logOneMinusP)
    let terms = Tensor.record("binaryCrossEntropy", output: value, p, t) { g, c in
        let (p, t) = (c.inputs[0], c.inputs[1])
        var dp: Tensor<Scalar>?, dt: Tensor<Scalar>?
        if c.needs[0] { dp = g * (p - t) / (p * (1 - p)).maximum(Tensor(Scalar(1e-12))) }
        if c.needs[1] {
            let (lp, l1p) = clampedLogs(p)
            dt = g * (l1p - lp)
        }
        return [dp, dt]
    }
    return terms.reduced(reduction)
}

/// Binary cross-entropy with ε inside the logarithms, the VAN code's form:
/// ℓ = −[t·log(p + ε) + (1 − t)·log(1 − p + ε)].
public func binaryCrossEntropy<Scalar>(probabilities p: Tensor<Scalar>, targets t: Tensor<Scalar>, epsilon: Scalar,
                                       reduction: LossReduction = .mean) -> Tensor<Scalar> {
    requireSameShape(p.shape, t.shape, "binaryCrossEntropy")
    return (-(t * (p + epsilon).log() + (1 - t) * (1 - p + epsilon).log())).reduced(reduction)
}

/// Binary cross-entropy on logits x (PyTorch `BCEWithLogitsLoss`), computed stably as
/// ℓ = softplus(x) − t·x = max(x, 0) − t·x + log(1 + e^(−|x|)); gradient σ(x) − t.
public func binaryCrossEntropy<Scalar>(logits x: Tensor<Scalar>, targets t: Tensor<Scalar>,
                                       reduction: LossReduction = .mean) -> Tensor<Scalar> {
    requireSameShape(x.shape, t.shape, "binaryCrossEntropy")
    return (x.softplus() - t * x).reduced(reduction)
}
