import MBTensor
import Testing
@testable import MBNN

/// A two-layer tanh network in Double for gradient and trainer tests.
final class TinyNetwork: Module {
    let hidden: Linear<Double>, output: Linear<Double>
    init(inputs: Int, hidden width: Int, outputs: Int, generator: inout RandomGenerator) {
        hidden = Linear(inputDimensions: inputs, outputDimensions: width, generator: &generator)
        output = Linear(inputDimensions: width, outputDimensions: outputs, generator: &generator)
    }
    func callAsFunction(_ x: Tensor<Double>) -> Tensor<Double> { output(hidden(x).tanh()) }
}

@Suite("Layers")
struct LayerTests {
    @Test func sequentialPathsAndOrder() {
        var generator = RandomGenerator(seed: 1)
        let model = Sequential<Double>(
            Linear(inputDimensions: 3, outputDimensions: 4, generator: &generator), Tanh(),
            Linear(inputDimensions: 4, outputDimensions: 2, bias: false, generator: &generator))
        #expect(ParameterSet<Double>(model).paths == ["layers.0.weight", "layers.0.bias", "layers.2.weight"])
        #expect(model.parameterCount(of: Double.self) == 3 * 4 + 4 + 4 * 2)
        let x = deterministicTensor([5, 3])
        let first = model.layers[0] as! Linear<Double>, last = model.layers[2] as! Linear<Double>
        let hidden = (x.matmul(first.weight, transposeOther: true) + first.bias!).tanh()
        let expected = hidden.matmul(last.weight, transposeOther: true)
        #expect(model(x) == expected)
    }

    @Test func linearInitialisationIsPyTorchDefaultAndBiasFreeLayerHasNoBias() {
        var generator = RandomGenerator(seed: 7)
        let layer = Linear<Float>(inputDimensions: 16, outputDimensions: 8, generator: &generator)
        let bound: Float = 0.25
        #expect(layer.weight.scalars.allSatisfy { abs($0) <= bound })
        #expect(layer.bias!.scalars.allSatisfy { abs($0) <= bound })
        // Same stream as drawing W then b with RandomGenerator.uniform.
        var reference = RandomGenerator(seed: 7)
        let w: Tensor<Float> = reference.uniform(shape: [8, 16], in: -0.25...0.25)
        let b: Tensor<Float> = reference.uniform(shape: [8], in: -0.25...0.25)
        #expect(layer.weight == w && layer.bias! == b)
        let plain = Linear<Float>(inputDimensions: 16, outputDimensions: 8, bias: false, generator: &generator)
        #expect(plain.namedParameters(of: Float.self).map(\.path) == ["weight"])
        #expect(plain.bias == nil)
    }

    @Test func linearHandlesLeadingAxes() {
        var generator = RandomGenerator(seed: 2)
        let layer = Linear<Double>(inputDimensions: 3, outputDimensions: 2, generator: &generator)
        let x = deterministicTensor([2, 4, 3])
        let flat = layer(x.reshaped(to: [8, 3])).reshaped(to: [2, 4, 2])
        #expect(layer(x) == flat)
    }

    @Test func referenceMADEMaskCountsMatchArchitectureTable() {
        let masks: [Tensor<Float>] = MADEMasks.deterministic(siteCount: 256, hiddenSizes: [512])
        #expect(masks[0].shape == [512, 256] && masks[1].shape == [256, 512])
        #expect(masks[0].scalars.reduce(0, +) == 65_283)
        #expect(masks[1].scalars.reduce(0, +) == 65_789)
        // Spot entries of M1[k, d−1] = [m_k ≥ d] and M2[d−1, k] = [d > m_k], m_k = k mod 255 + 1.
        #expect(masks[0][0, 0] == 1 && masks[0][0, 1] == 0)       // m₀ = 1 sees only site 0
        #expect(masks[0][254, 254] == 1 && masks[0][254, 255] == 0) // m₂₅₄ = 255 never sees site 255
        #expect(masks[0][255, 0] == 1 && masks[0][255, 1] == 0)   // m₂₅₅ = 1 again
        #expect(masks[1][0, 0] == 0 && masks[1][1, 0] == 1)       // output 0 sees nothing
        #expect((0..<512).allSatisfy { masks[1][0, $0] == 0 })
        var generator = RandomGenerator(seed: 0)
        let made = MADE<Float>(siteCount: 256, hiddenSizes: [512], generator: &generator)
        #expect(made.parameterCount(of: Float.self) == 262_912)
        #expect(ParameterSet<Float>(made).paths == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
        #expect(made.namedBuffers(of: Float.self).map(\.path) == ["layers.0.mask", "layers.1.mask"])
    }

    @Test func generalMasksFromDegreeVectors() {
        // inputs degrees [1,2,3], hidden [2,1]: M1[k,j] = h_k ≥ d_j; output M[i,k] = d_i > h_k.
        let masks: [Tensor<Double>] = MADEMasks.masks(degrees: [[1, 2, 3], [2, 1]])
        #expect(masks[0].scalars == [1, 1, 0,  1, 0, 0])
        #expect(masks[1].scalars == [0, 0,  0, 1,  1, 1])
    }

    /// ∂ logitᵢ / ∂ x_j must vanish for j ≥ i, and the masks must connect every j < i.
    @Test(arguments: [[9], [7, 6], [4]])
    func madeIsAutoregressiveByJacobian(hidden: [Int]) {
        let n = 5
        var generator = RandomGenerator(seed: 11)
        let made = MADE<Double>(siteCount: n, hiddenSizes: hidden, generator: &generator)
        let x = deterministicTensor([1, n], seed: 3)
        for i in 0..<n {
            var selector = [Double](repeating: 0, count: n)
            selector[i] = 1
            let row = gradient(at: x) { (made.logits($0) * Tensor(shape: [1, n], scalars: selector)).sum() }
            for j in i..<n { #expect(row[0, j] == 0, "output \(i) depends on input \(j)") }
        }
        // Connectivity: the product of the masks counts paths from input j to output i.
        var paths = made.layers[0].mask
        for layer in made.layers.dropFirst() { paths = layer.mask.matmul(paths) }
        for i in 0..<n {
            for j in 0..<n { #expect((paths[i, j] > 0) == (j < i), "path count \(paths[i, j]) from input \(j) to output \(i)") }
        }
        // Output 0 is its bias, whatever the input.
        let y = made.logits(deterministicTensor([3, n], seed: 9, in: -5...5))
        for b in 0..<3 { #expect(y[b, 0] == made.layers.last!.bias![0]) }
    }

    @Test func maskedWeightsGetZeroGradient() {
        var generator = RandomGenerator(seed: 5)
        let masks: [Tensor<Double>] = MADEMasks.deterministic(siteCount: 4, hiddenSizes: [6])
        let layer = MaskedLinear(mask: masks[0], generator: &generator)
        let x = deterministicTensor([3, 4])
        let (_, g) = valueAndGradient(of: layer) { l in l(x).square().sum() }
        let gw = g["weight"]!
        for (grad, m) in zip(gw.scalars, masks[0].scalars) where m == 0 { #expect(grad == 0) }
        #expect(gw.scalars.contains { $0 != 0 })
        let expected = x.matmul(layer.weight * masks[0], transposeOther: true) + layer.bias!
        #expect(layer(x) == expected)
        let error = GradientCheck.maximumError(at: [layer.weight, x]) { v in
            Linear.affine(v[1], weight: v[0] * masks[0], bias: layer.bias)
        }
        #expect(error < 1e-8)
    }

    @Test func preluValuesAndGradients() {
        let prelu = PReLU<Double>(channels: 2, initialSlope: 0.5)
        #expect(prelu.weight.scalars == [0.5, 0.5])
        prelu.weight = Tensor([0.5, 0.25])
        // [batch 1, channels 2, length 2]
        let x = Tensor<Double>(shape: [1, 2, 2], scalars: [-2, 3, -4, 5])
        #expect(prelu(x).scalars == [-1, 3, -1, 5])
        let x2 = Tensor<Double>(shape: [2, 2], scalars: [-2, -2, 1, -8])
        #expect(prelu(x2).scalars == [-1, -0.5, 1, -2])
        let input = deterministicTensor([2, 2, 3])
        let error = GradientCheck.maximumError(at: [input, prelu.weight]) { v in
            let p = PReLU<Double>(channels: 2)
            p.weight = v[1]
            return p(v[0])
        }
        #expect(error < 1e-8)
    }

    @Test func dropoutIsExplicitInverted() {
        let dropout = Dropout(rate: 0.25)
        var generator = RandomGenerator(seed: 3)
        let x = Tensor<Double>(ones: [100, 100])
        #expect(dropout(x, training: false, generator: &generator) == x)
        let before = generator
        let y = dropout(x, training: true, generator: &generator)
        let kept = y.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { $0 == 1 / 0.75 })
        // Seeded statistical check: kept fraction ~ Binomial(10⁴, 0.75)/10⁴, σ ≈ 0.0043; 6σ band
        // (false-failure rate < 10⁻⁸).
        let fraction = Double(kept.count) / 10_000
        #expect(abs(fraction - 0.75) < 0.026)
        var again = before
        #expect(dropout(x, training: true, generator: &again) == y)
        // The gradient is the same mask.
        let g = gradient(at: x) { v in
            var replay = before
            return dropout(v, training: true, generator: &replay).sum()
        }
        #expect(g == y)
        #expect(Dropout(rate: 1)(x, training: true, generator: &generator).scalars.allSatisfy { $0 == 0 })
    }

    @Test func positionalEmbeddingAddsRows() {
        var generator = RandomGenerator(seed: 4)
        let embedding = LearnedPositionalEmbedding<Double>(maximumLength: 4, dimensions: 3, generator: &generator)
        #expect(embedding.weight.shape == [4, 3])
        let x = deterministicTensor([2, 4, 3])
        #expect(embedding(x) == x + embedding.weight)
        let short = deterministicTensor([2, 3, 3], seed: 2)
        let y = embedding(short)
        for b in 0..<2 {
            for t in 0..<3 {
                for d in 0..<3 { #expect(y[b, t, d] == short[b, t, d] + embedding.weight[t, d]) }
            }
        }
        let (_, g) = valueAndGradient(of: embedding) { e in e(short).sum() }
        #expect(g["weight"]!.scalars == [2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0])
    }

    @Test func activationLayers() {
        let x = deterministicTensor([3, 4], in: -3...3)
        #expect(Tanh<Double>()(x) == x.tanh())
        #expect(ReLU<Double>()(x) == x.relu())
        #expect(Sigmoid<Double>()(x) == x.sigmoid())
        #expect(Softplus<Double>()(x) == x.softplus())
    }
}

