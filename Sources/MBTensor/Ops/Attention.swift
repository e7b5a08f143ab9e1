import CKernels

/// Scaled dot-product attention (Vaswani et al. 2017): softmax(q kᵀ / √d + mask) v.
///
/// - Parameters:
///   - query: [..., T, d] (typically [batch, heads, T, d]).
///   - key: [..., S, d].
///   - value: [..., S, dᵥ].
///   - mask: an additive mask broadcastable to [..., T, S] (0 to keep, −∞ or a large negative
///     number to block), or nil.
/// - Returns: [..., T, dᵥ].
///
/// Without a mask, and with equal leading shapes, this is one fused primitive: per leading
/// index, blocks of query rows run through scores, softmax and the product with v in cache,
/// and the T×S weights are never stored (the pullback recomputes them from the saved log-sum-exp
/// of each row). With a mask it is composed of batched matmul and softmax.
public func scaledDotProductAttention<Scalar>(
    _ query: Tensor<Scalar>, _ key: Tensor<Scalar>, _ value: Tensor<Scalar>, mask: Tensor<Scalar>? = nil
) -> Tensor<Scalar> {
    precondition(query.rank >= 2 && key.rank >= 2 && value.rank >= 2,
                 "attention needs rank ≥ 2 query, key, value; got \(query.shape), \(key.shape), \(value.shape)")
    let d = query.shape[query.rank - 1]
    precondition(key.shape[key.rank - 1] == d, "query \(query.shape) and key \(key.shape) differ in feature size")
    precondition(key.shape[key.rank - 2] == value.shape[value.rank - 2],
                 "key \(key.shape) and value \(value.shape) differ in sequence length")
    let batch = Array(query.shape.dropLast(2))
    if mask == nil, Array(key.shape.dropLast(2)) == batch, Array(value.shape.dropLast(2)) == batch {
        return Tensor.fusedAttention(query, key, value)
    }
    // Scaling q (T·d elements) is cheaper than scaling the T·S scores.
    let scaled = query * Scalar(1 / Double(d).squareRoot())
    var scores = scaled.matmul(key, transposeOther: true)
    if let mask { scores = scores + mask }
    return scores.softmax(alongAxis: -1).matmul(value)
}

extension Tensor {
    /// The attention core of multi-head self-attention, read from the packed projection.
    ///
    /// `self` is [B, T, 3·H·dₕ], the output of one `Linear(d, 3d)`: along the last axis the
    /// query, key and value blocks (H·dₕ each, in that order), each split head-major into H
    /// heads of dₕ. Per batch element and head, o = softmax(q kᵀ/√dₕ) v; the result is
    /// [B, T, H·dₕ] with the heads concatenated in order. Equivalent to reshaping to
    /// [B, T, 3, H, dₕ], permuting to q, k, v of [B, H, T, dₕ], `scaledDotProductAttention`,
    /// and merging the heads back, but the kernel reads q, k, v in place and writes the merged
    /// output directly, with no permuted copies.
    public func packedSelfAttention(heads: Int) -> Tensor {
        precondition(rank == 3 && heads > 0 && shape[2] % (3 * heads) == 0,
                     "packed self-attention needs [batch, tokens, 3·heads·headDimensions] with \(heads) heads, got \(shape)")
        let (b, t, width) = (shape[0], shape[1], shape[2] / 3)
        let dh = width / heads
        let geometry = AttentionGeometry(
            batch: b, heads: heads, queries: t, keys: t, keyFeatures: dh, valueFeatures: dh,
            query: [t * 3 * width, dh, 3 * width], key: [t * 3 * width, dh, 3 * width], value: [t * 3 * width, dh, 3 * width],
            output: [t * width, dh, width], keyOffset: width, valueOffset: 2 * width)
        let (output, logSumExp) = Tensor.attentionForward(self, self, self, geometry: geometry,
                                                          outputShape: [b, t, width], keepLogSumExp: isTracked)
        return Tensor.record("packedSelfAttention", output: output, input: self) { g, c in
            let x = c.inputs[0]
            if !g.isTracked && !x.isTracked, let logSumExp {
                let gradient = Tensor(uninitializedShape: x.shape)
                Tensor.attentionBackward(x, x, x, g, logSumExp, geometry: geometry,
                                         gradients: (gradient, gradient, gradient), needs: (true, true, true))
                return [gradient]
            }
            // Differentiable form: split the heads out, the composite pullback, merge back.
            let parts = x.reshaped(to: [b, t, 3, heads, dh]).permuted([2, 0, 3, 1, 4])
            func part(_ i: Int) -> Tensor { parts.sliced(alongAxis: 0, i..<(i + 1)).reshaped(to: [b, heads, t, dh]) }
            let (q, k, v) = (part(0), part(1), part(2))
            let gh = g.reshaped(to: [b, t, heads, dh]).permuted([0, 2, 1, 3])
            let (dq, dk, dv) = Tensor.attentionPullback(q, k, v, gh, needs: (true, true, true))
            return [Tensor.stacked([dq!, dk!, dv!]).permuted([1, 3, 0, 2, 4]).reshaped(to: [b, t, 3 * width])]
        }
    }

    /// `scaledDotProductAttention` without a mask, on operands with equal leading shapes.
    static func fusedAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor) -> Tensor {
        let n = q.shape.dropLast(2).reduce(1, *)
        let (t, dh) = (q.shape[q.rank - 2], q.shape[q.rank - 1])
        let (s, dv) = (v.shape[v.rank - 2], v.shape[v.rank - 1])
        let geometry = AttentionGeometry(
            batch: n, heads: 1, queries: t, keys: s, keyFeatures: dh, valueFeatures: dv,
            query: [t * dh, 0, dh], key: [s * dh, 0, dh], value: [s * dv, 0, dv], output: [t * dv, 0, dv],
            keyOffset: 0, valueOffset: 0)
        let tracked = q.isTracked || k.isTracked || v.isTracked
        let (output, logSumExp) = attentionForward(q, k, v, geometry: geometry, outputShape: Array(q.shape.dropLast()) + [dv],
                                                   keepLogSumExp: tracked)
        return record("attention", output: output, inputs: [q, k, v]) { g, c in
            let (q, k, v) = (c.inputs[0], c.inputs[1], c.inputs[2])
            if !g.isTracked && !q.isTracked && !k.isTracked && !v.isTracked, let logSumExp {
                let gradients = (c.needs[0] ? Tensor(uninitializedShape: q.shape) : nil,
                                 c.needs[1] ? Tensor(uninitializedShape: k.shape) : nil,
                                 c.needs[2] ? Tensor(uninitializedShape: v.shape) : nil)
                attentionBackward(q, k, v, g, logSumExp, geometry: geometry, gradients: gradients,
                                  needs: (c.needs[0], c.needs[1], c.needs[2]))
                return [gradients.0, gradients.1, gradients.2]
            }
            let (dq, dk, dv) = attentionPullback(q, k, v, g, needs: (c.needs[0], c.needs[1], c.needs[2]))
            return [dq, dk, dv]
        }
    }

    /// The attention pullback in differentiable tensor operations, for q [..., T, d],
    /// k [..., S, d], v [..., S, dᵥ] and the output cotangent g [..., T, dᵥ]:
    /// P = softmax(q kᵀ/√d), dv = Pᵀ g, dS = P ⊙ (g vᵀ − rowsum(P ⊙ g vᵀ)), dq = dS k/√d,
    /// dk = dSᵀ q/√d.
    static func attentionPullback(
        _ q: Tensor, _ k: Tensor, _ v: Tensor, _ g: Tensor, needs: (Bool, Bool, Bool)
    ) -> (Tensor?, Tensor?, Tensor?) {
        let scale = Scalar(1 / Double(q.shape[q.rank - 1]).squareRoot())
        let p = (q * scale).matmul(k, transposeOther: true).softmax(alongAxis: -1)
        let dv = needs.2 ? p.matmul(g, transposeSelf: true) : nil
        guard needs.0 || needs.1 else { return (nil, nil, dv) }
        let dp = g.matmul(v, transposeOther: true)
        let ds = p * (dp - (dp * p).sum(alongAxis: -1, keepingDimensions: true)) * scale
        return (needs.0 ? ds.matmul(k) : nil, needs.1 ? ds.matmul(q, transposeSelf: true) : nil, dv)
    }
}

/// Where the heads of the attention operands live (see `mb_attention.h`): head (b, h) of an
/// operand starts at b·strides[0] + h·strides[1] and its rows are strides[2] apart. Key and
/// value start `keyOffset` and `valueOffset` elements into their tensors.
struct AttentionGeometry: Sendable {
    let batch: Int, heads: Int, queries: Int, keys: Int, keyFeatures: Int, valueFeatures: Int
    let query: [Int], key: [Int], value: [Int], output: [Int]
    let keyOffset: Int, valueOffset: Int

    var scale: Double { 1 / Double(keyFeatures).squareRoot() }

    /// Heads per parallel chunk: enough work (about 2¹⁶ multiply–adds) to pay for a hand-off.
    var minimumChunk: Int { Swift.max(1, (1 << 16) / Swift.max(1, queries * keys * (keyFeatures + valueFeatures))) }
}

extension Tensor {
    /// The fused forward pass over all heads, split over the workers by whole heads (so the
    /// result does not depend on the thread count). Also returns the per-row log-sum-exp
    /// [batch·heads·queries] when asked (for the pullback).
    static func attentionForward(
        _ q: Tensor, _ k: Tensor, _ v: Tensor, geometry a: AttentionGeometry, outputShape: [Int], keepLogSumExp: Bool
    ) -> (Tensor, Tensor?) {
        let output = Tensor(uninitializedShape: outputShape)
        let logSumExp = keepLogSumExp ? Tensor(uninitializedShape: [a.batch * a.heads * a.queries]) : nil
        guard output.count > 0 else { return (output, logSumExp) }
        precondition(a.keys > 0, "attention over an empty key sequence")
        ComputeThreads.parallelFor(a.batch * a.heads, minimumChunk: a.minimumChunk) { range in
            if isSinglePrecision {
                mb_attention_forward_f32(q.floatPointer, a.query, k.floatPointer + a.keyOffset, a.key,
                                         v.floatPointer + a.valueOffset, a.value, output.floatPointer, a.output,
                                         logSumExp?.floatPointer, a.heads, range.lowerBound, range.count,
                                         a.queries, a.keys, a.keyFeatures, a.valueFeatures, Float(a.scale))
            } else {
                mb_attention_forward_f64(q.doublePointer, a.query, k.doublePointer + a.keyOffset, a.key,
                                         v.doublePointer + a.valueOffset, a.value, output.doublePointer, a.output,
                                         logSumExp?.doublePointer, a.heads, range.lowerBound, range.count,
                                         a.queries, a.keys, a.keyFeatures, a.valueFeatures, a.scale)
            }
        }
        return (output, logSumExp)
    }

    /// The fused pullback: writes dq, dk, dv (where `needs`) into `gradients`, laid out as q,
    /// k, v (they may be one packed tensor, whose key and value blocks start at the
    /// geometry's offsets).
    static func attentionBackward(
        _ q: Tensor, _ k: Tensor, _ v: Tensor, _ g: Tensor, _ logSumExp: Tensor, geometry a: AttentionGeometry,
        gradients: (Tensor?, Tensor?, Tensor?), needs: (Bool, Bool, Bool)
    ) {
        guard g.count > 0 else { return }
        let dq = needs.0 ? gradients.0 : nil, dk = needs.1 ? gradients.1 : nil, dv = needs.2 ? gradients.2 : nil
        ComputeThreads.parallelFor(a.batch * a.heads, minimumChunk: a.minimumChunk) { range in
            if isSinglePrecision {
                mb_attention_backward_f32(q.floatPointer, a.query, k.floatPointer + a.keyOffset, a.key,
                                          v.floatPointer + a.valueOffset, a.value, g.floatPointer, a.output,
                                          logSumExp.floatPointer, dq?.floatPointer, dk.map { $0.floatPointer + a.keyOffset },
                                          dv.map { $0.floatPointer + a.valueOffset }, a.heads, range.lowerBound, range.count,
                                          a.queries, a.keys, a.keyFeatures, a.valueFeatures, Float(a.scale))
            } else {
                mb_attention_backward_f64(q.doublePointer, a.query, k.doublePointer + a.keyOffset, a.key,
                                          v.doublePointer + a.valueOffset, a.value, g.doublePointer, a.output,
                                          logSumExp.doublePointer, dq?.doublePointer, dk.map { $0.doublePointer + a.keyOffset },
                                          dv.map { $0.doublePointer + a.valueOffset }, a.heads, range.lowerBound, range.count,
                                          a.queries, a.keys, a.keyFeatures, a.valueFeatures, a.scale)
            }
        }
    }
}
