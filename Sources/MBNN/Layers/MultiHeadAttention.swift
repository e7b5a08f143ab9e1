import MBTensor

/// Multi-head self-attention over [batch, tokens, modelDimensions] (Vaswani et al. 2017), as
/// the attention block of the analytic-continuation transformer: one fused projection
/// `queryKeyValue = Linear(d, 3d)` whose output splits into q, k, v (d each, in that order),
/// each reshaped to `heads` heads of d/heads; softmax(q kᵀ/√(d/heads) + mask) v per head; the
/// heads concatenated back to d and mapped by `projection = Linear(d, d)`. No dropout.
public final class MultiHeadSelfAttention<Scalar: TensorScalar>: Layer {
    public let queryKeyValue: Linear<Scalar>
    public let projection: Linear<Scalar>
    public let modelDimensions: Int
    public let heads: Int

    public init(modelDimensions: Int, heads: Int, generator: inout RandomGenerator) {
        precondition(heads > 0 && modelDimensions % heads == 0,
                     "model dimensions \(modelDimensions) must be a positive multiple of the head count \(heads)")
        queryKeyValue = Linear(inputDimensions: modelDimensions, outputDimensions: 3 * modelDimensions, generator: &generator)
        projection = Linear(inputDimensions: modelDimensions, outputDimensions: modelDimensions, generator: &generator)
        self.modelDimensions = modelDimensions
        self.heads = heads
    }

    /// - Parameters:
    ///   - x: [batch, tokens, modelDimensions].
    ///   - mask: additive attention mask broadcastable to [batch, heads, tokens, tokens], or nil.
    /// - Returns: [batch, tokens, modelDimensions].
    public func callAsFunction(_ x: Tensor<Scalar>, mask: Tensor<Scalar>?) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == modelDimensions,
                     "self-attention input must be [batch, tokens, \(modelDimensions)], got \(x.shape)")
        let (batch, tokens) = (x.shape[0], x.shape[1])
        let headDimensions = modelDimensions / heads
        if mask == nil {
            // Fused: heads read in place from the projection, output written with heads merged.
            return projection(queryKeyValue(x).packedSelfAttention(heads: heads))
        }
        // [B, T, 3, H, dh] → [3, B, H, T, dh]: one copy, then q, k, v are contiguous slices.
        let qkv = queryKeyValue(x).reshaped(to: [batch, tokens, 3, heads, headDimensions]).permuted([2, 0, 3, 1, 4])
        let parts = (0..<3).map { qkv.sliced(alongAxis: 0, $0..<($0 + 1)).reshaped(to: [batch, heads, tokens, headDimensions]) }
        let attended = scaledDotProductAttention(parts[0], parts[1], parts[2], mask: mask)
        return projection(attended.permuted([0, 2, 1, 3]).reshaped(to: [batch, tokens, modelDimensions]))
    }

    /// Unmasked self-attention (every token attends to every token).
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { callAsFunction(x, mask: nil) }
}
