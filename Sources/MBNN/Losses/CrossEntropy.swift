import MBTensor

/// Cross-entropy of integer class labels under logits (PyTorch `F.cross_entropy`):
/// ℓ = −log softmax(x)[y] = logΣ_c exp x_c − x_y.
///
/// Classes are on axis 1: logits `[batch, classes]` or `[batch, classes, d₁, …]`; `labels`
/// holds one class index in 0..<classes per element of `[batch, d₁, …]`, in row-major order.
/// `.mean` averages over those elements, `.none` returns them with shape `[batch, d₁, …]`.
public func crossEntropy<Scalar>(logits: Tensor<Scalar>, labels: [Int], reduction: LossReduction = .mean) -> Tensor<Scalar> {
    precondition(logits.rank >= 2, "crossEntropy needs logits [batch, classes, …], got \(logits.shape)")
    return negativeLogLikelihood(logProbabilities: logSoftmax(logits, alongAxis: 1), labels: labels, reduction: reduction)
}

/// Cross-entropy with target probabilities p (soft labels) on axis 1:
/// ℓ = −Σ_c p_c log softmax(x)_c per element of `[batch, d₁, …]`.
public func crossEntropy<Scalar>(logits: Tensor<Scalar>, targetProbabilities p: Tensor<Scalar>,
                                 reduction: LossReduction = .mean) -> Tensor<Scalar> {
    precondition(logits.rank >= 2, "crossEntropy needs logits [batch, classes, …], got \(logits.shape)")
    requireSameShape(logits.shape, p.shape, "crossEntropy")
    return (-(p * logSoftmax(logits, alongAxis: 1)).sum(alongAxis: 1)).reduced(reduction)
}

/// Negative log-likelihood of integer labels under log-probabilities (PyTorch `F.nll_loss`):
/// ℓ = −log p[y]. Layout and reductions as `crossEntropy(logits:labels:)`.
public func negativeLogLikelihood<Scalar>(logProbabilities: Tensor<Scalar>, labels: [Int],
                                          reduction: LossReduction = .mean) -> Tensor<Scalar> {
    let shape = logProbabilities.shape
    precondition(shape.count >= 2, "negativeLogLikelihood needs log-probabilities [batch, classes, …], got \(shape)")
    let classes = shape[1]
    var elementShape = shape
    elementShape.remove(at: 1)
    let elements = elementShape.reduce(1, *)
    precondition(labels.count == elements,
                 "\(labels.count) labels for log-probabilities of shape \(shape) (\(elements) elements of shape \(elementShape))")
    // Classes last, so that element e's classes are the contiguous row e.
    let rows = shape.count == 2 ? logProbabilities
        : logProbabilities.permuted([0] + Array(2..<shape.count) + [1]).reshaped(to: [elements, classes])
    var oneHot = [Double](repeating: 0, count: elements * classes)
    for (e, label) in labels.enumerated() {
        precondition(label >= 0 && label < classes, "label \(label) at position \(e) is outside 0..<\(classes)")
        oneHot[e * classes + label] = 1
    }
    let selector = Tensor<Scalar>(converting: Tensor<Double>(shape: [elements, classes], scalars: oneHot))
    let terms = -(rows * selector).sum(alongAxis: 1).reshaped(to: elementShape)
    return terms.reduced(reduction)
}

/// log softmax(x) = x − logΣexp(x) along an axis, stabilised by the maximum.
func logSoftmax<Scalar>(_ x: Tensor<Scalar>, alongAxis axis: Int) -> Tensor<Scalar> {
    x - x.logSumExp(alongAxis: axis, keepingDimensions: true)
}
