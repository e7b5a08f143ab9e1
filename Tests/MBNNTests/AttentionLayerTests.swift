import Testing
@testable import MBNN
@testable import MBTensor

@Suite("LayerNorm and multi-head self-attention layers")
struct AttentionLayerTests {
    @Test func attentionBlockParameterCounts() {
        var generator = RandomGenerator(seed: 1)
        let norm = LayerNorm<Float>(features: 64)
        let attention = MultiHeadSelfAttention<Float>(modelDimensions: 64, heads: 4, generator: &generator)
        #expect(norm.parameterCount(of: Float.self) == 128)
        #expect(attention.queryKeyValue.parameterCount(of: Float.self) == 12_480)
        #expect(attention.projection.parameterCount(of: Float.self) == 4_160)
        #expect(attention.namedParameters(of: Float.self).map(\.path)
                == ["queryKeyValue.weight", "queryKeyValue.bias", "projection.weight", "projection.bias"])
        #expect(norm.namedParameters(of: Float.self).map(\.path) == ["weight", "bias"])
        let x: Tensor<Float> = generator.normal(shape: [2, 200, 64])
        #expect(attention(norm(x)).shape == [2, 200, 64])
    }

    @Test func layerNormStartsAsPlainNormalisation() {
        let norm = LayerNorm<Double>(features: 4)
        let y = norm(Tensor(shape: [1, 4], scalars: [1, 2, 3, 4]))
        let s = (1.25 + 1e-5).squareRoot()
        let expected: [Double] = [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]
        for (a, b) in zip(y.scalars, expected) { #expect(Swift.abs(a - b) < 1e-15) }
    }

    @Test func attentionMatchesPerHeadComputation() {
        var generator = RandomGenerator(seed: 2)
        let (d, heads, tokens) = (8, 2, 5)
        let layer = MultiHeadSelfAttention<Double>(modelDimensions: d, heads: heads, generator: &generator)
        let x: Tensor<Double> = generator.normal(shape: [2, tokens, d])
        let y = layer(x)
        // Reference: per batch element and head, with explicit column slices of the projections.
        let dh = d / heads
        let wq = layer.queryKeyValue.weight
        // Read through the parameter list: works whether `Linear.bias` is optional or not.
        let bq = layer.queryKeyValue.namedParameters(of: Double.self).first { $0.path == "bias" }!.parameter.wrappedValue
        var headOutputs: [Tensor<Double>] = []
        for b in 0..<2 {
            let xb = x.sliced([b..<(b + 1)]).reshaped(to: [tokens, d])
            var perHead: [Tensor<Double>] = []
            for h in 0..<heads {
                func project(_ part: Int) -> Tensor<Double> {
                    let rows = (part * d + h * dh)..<(part * d + (h + 1) * dh)
                    return xb.matmul(wq.sliced([rows]), transposeOther: true) + bq.sliced([rows])
                }
                let scores = project(0).matmul(project(1), transposeOther: true) / Double(dh).squareRoot()
                let weights = (scores - scores.max(alongAxis: 1, keepingDimensions: true)).exp()
                perHead.append((weights / weights.sum(alongAxis: 1, keepingDimensions: true)).matmul(project(2)))
            }
            headOutputs.append(Tensor.concatenated(perHead, alongAxis: 1).expandingShape(at: 0))
        }
        let reference = layer.projection(Tensor.concatenated(headOutputs, alongAxis: 0))
        #expect(y.shape == reference.shape)
        let diff = zip(y.scalars, reference.scalars).map { Swift.abs($0 - $1) }.max()!
        #expect(diff < 1e-13)
    }

    @Test func attentionGradientMatchesFiniteDifferences() {
        var generator = RandomGenerator(seed: 3)
        let layer = MultiHeadSelfAttention<Double>(modelDimensions: 6, heads: 3, generator: &generator)
        let norm = LayerNorm<Double>(features: 6)
        let x: Tensor<Double> = generator.normal(shape: [2, 4, 6])
        let error = GradientCheck.maximumError(at: [x]) { xs in layer(norm(xs[0])) }
        #expect(error < 1e-7)
        let (_, grads) = valueAndGradient(of: layer) { m in m(x).square().mean() }
        #expect(grads.paths.count == 4 && grads.values.allSatisfy { $0.abs().max().scalar > 0 })
    }
}
