/// Scaled dot-product attention (Vaswani et al. 2017): softmax(q kᵀ / √d + mask) v.
///
/// - Parameters:
///   - query: [..., T, d] (typically [batch, heads, T, d]).
///   - key: [..., S, d].
///   - value: [..., S, dᵥ].
///   - mask: an additive mask broadcastable to [..., T, S] (0 to keep, −∞ or a large negative
///     number to block), or nil.
/// - Returns: [..., T, dᵥ]. Composed of differentiable primitives (batched matmul, softmax).
public func scaledDotProductAttention<Scalar>(
    _ query: Tensor<Scalar>, _ key: Tensor<Scalar>, _ value: Tensor<Scalar>, mask: Tensor<Scalar>? = nil
) -> Tensor<Scalar> {
    precondition(query.rank >= 2 && key.rank >= 2 && value.rank >= 2,
                 "attention needs rank ≥ 2 query, key, value; got \(query.shape), \(key.shape), \(value.shape)")
    let d = query.shape[query.rank - 1]
    precondition(key.shape[key.rank - 1] == d, "query \(query.shape) and key \(key.shape) differ in feature size")
    precondition(key.shape[key.rank - 2] == value.shape[value.rank - 2],
                 "key \(key.shape) and value \(value.shape) differ in sequence length")
    // Scaling q (T·d elements) is cheaper than scaling the T·S scores.
    let scaled = query * Scalar(1 / Double(d).squareRoot())
    var scores = scaled.matmul(key, transposeOther: true)
    if let mask { scores = scores + mask }
    return scores.softmax(alongAxis: -1).matmul(value)
}
