import Testing
@testable import MBNN
@testable import MBTensor

@Suite("PixelCNN masked convolution")
struct MaskedConv2dTests {
    @Test func masksMatchVANDefinition() {
        let exclusive = MaskedConv2d<Float>.autoregressiveMask(kernelSize: (7, 7), exclusive: true)
        let inclusive = MaskedConv2d<Float>.autoregressiveMask(kernelSize: (7, 7), exclusive: false)
        #expect(exclusive.sum().scalar == 24 && inclusive.sum().scalar == 25)
        #expect(exclusive[3, 3] == 0 && inclusive[3, 3] == 1 && inclusive[3, 4] == 0 && exclusive[3, 2] == 1)
        #expect(exclusive[2, 6] == 1 && exclusive[4, 0] == 0)
        let small = MaskedConv2d<Double>.autoregressiveMask(kernelSize: (3, 3), exclusive: true)
        #expect(small.scalars == [1, 1, 1, 1, 0, 0, 0, 0, 0])
    }

    @Test func pixelCNNParameterCounts() {
        var generator = RandomGenerator(seed: 1)
        let layers = [MaskedConv2d<Float>(inputChannels: 1, outputChannels: 16, kernelSize: 7, exclusive: true, generator: &generator),
                      MaskedConv2d<Float>(inputChannels: 16, outputChannels: 16, kernelSize: 7, exclusive: false, generator: &generator),
                      MaskedConv2d<Float>(inputChannels: 16, outputChannels: 1, kernelSize: 7, exclusive: false, generator: &generator)]
        #expect(layers.map { $0.parameterCount(of: Float.self) } == [800, 12560, 785])
        // Unmasked (effective) counts of architectures.md 2(ii): 384+16, 6400+16, 400+1.
        #expect(layers.map { Int(($0.weight * $0.mask).abs().sign().sum().scalar) } == [384, 6400, 400])
        #expect(layers[0].namedParameters(of: Float.self).map(\.path) == ["weight", "bias"])
        #expect(layers[0].namedBuffers(of: Float.self).map(\.path) == ["mask"])
        let s: Tensor<Float> = generator.uniform(shape: [4, 1, 16, 16])
        #expect(layers[2](layers[1](layers[0](s))).shape == [4, 1, 16, 16])
    }

    @Test func initialisationIsMaskedAndRescaled() {
        var generator = RandomGenerator(seed: 2)
        let layer = MaskedConv2d<Double>(inputChannels: 16, outputChannels: 16, kernelSize: 7, exclusive: true, generator: &generator)
        let bound = 1 / (16.0 * 49).squareRoot() * (49.0 / 24).squareRoot()
        #expect((layer.weight * (1 - layer.mask)).abs().max().scalar == 0)
        #expect(layer.weight.abs().max().scalar <= bound)
        #expect(layer.weight.abs().max().scalar > 0.9 * bound)
    }

    @Test func outputsRespectRasterOrder() {
        // Output at site (i, j) of an exclusive layer depends only on sites before it in raster
        // order; an inclusive layer also sees the site itself.
        var generator = RandomGenerator(seed: 3)
        for exclusive in [true, false] {
            let layer = MaskedConv2d<Double>(inputChannels: 1, outputChannels: 2, kernelSize: 5, exclusive: exclusive, generator: &generator)
            let x: Tensor<Double> = generator.normal(shape: [1, 1, 6, 6])
            let site = (2, 3)
            let g = gradient(at: x) { layer($0).sliced([0..<1, 0..<2, site.0..<(site.0 + 1), site.1..<(site.1 + 1)]).sum() }
            for i in 0..<6 {
                for j in 0..<6 {
                    let before = i < site.0 || (i == site.0 && j < site.1)
                    let allowed = before || (!exclusive && i == site.0 && j == site.1)
                    if !allowed { #expect(g[0, 0, i, j] == 0, "site (\(i), \(j)) leaks into \(site)") }
                }
            }
            #expect(g[0, 0, site.0, site.1] == 0 || !exclusive)
            #expect(g[0, 0, site.0, site.1 - 1] != 0)
        }
    }

    @Test func maskedWeightsGetZeroGradient() {
        var generator = RandomGenerator(seed: 4)
        let layer = MaskedConv2d<Double>(inputChannels: 2, outputChannels: 2, kernelSize: 3, exclusive: false, generator: &generator)
        let x: Tensor<Double> = generator.normal(shape: [2, 2, 4, 4])
        let (_, grads) = valueAndGradient(of: layer) { m in m(x).tanh().sum() }
        #expect((grads["weight"]! * (1 - layer.mask)).abs().max().scalar == 0)
        #expect(grads["weight"]!.abs().max().scalar > 0)
        #expect(grads["mask"] == nil)
    }

    @Test func tapListEqualsMaskedWeights() {
        // A 0/1 mask runs as a tap list; values and gradients equal the explicit W ⊙ mask form,
        // also when the stored weight is nonzero at masked taps. Other masks multiply the weights.
        var generator = RandomGenerator(seed: 5)
        let layer = MaskedConv2d<Double>(inputChannels: 2, outputChannels: 3, kernelSize: 5, exclusive: false, generator: &generator)
        layer.weight = generator.normal(shape: [3, 2, 5, 5])
        #expect(layer.activeTaps() == (0..<13).map { $0 })
        let x: Tensor<Double> = generator.normal(shape: [2, 2, 6, 6])
        let explicit = { (w: Tensor<Double>, b: Tensor<Double>, x: Tensor<Double>) in conv2d(x, weight: w * layer.mask, bias: b, padding: (2, 2)) }
        #expect(largestDifference(layer(x), explicit(layer.weight, layer.bias!, x)) < 1e-13)
        let (_, grads) = valueAndGradient(of: layer) { m in m(x).tanh().sum() }
        let reference = gradient(at: [layer.weight, layer.bias!]) { explicit($0[0], $0[1], x).tanh().sum() }
        #expect(largestDifference(grads["weight"]!, reference[0]) < 1e-12 && largestDifference(grads["bias"]!, reference[1]) < 1e-12)
        layer.mask = layer.mask * 0.5
        #expect(layer.activeTaps() == nil)
        #expect(largestDifference(layer(x), explicit(layer.weight, layer.bias!, x)) < 1e-13)
    }
}
