import Testing
@testable import MBNN
@testable import MBTensor

@Suite("Convolution and pooling layers")
struct ConvolutionLayerTests {
    @Test func cnn1dParameterCountsMatchArchitectures() {
        var generator = RandomGenerator(seed: 1)
        let convs = [Conv1d<Float>(inputChannels: 10, outputChannels: 32, kernelSize: 5, padding: 2, generator: &generator),
                     Conv1d<Float>(inputChannels: 32, outputChannels: 64, kernelSize: 5, padding: 2, generator: &generator),
                     Conv1d<Float>(inputChannels: 64, outputChannels: 64, kernelSize: 5, padding: 2, generator: &generator)]
        #expect(convs.map { $0.parameterCount(of: Float.self) } == [1632, 10304, 20544])
        #expect(convs[0].namedParameters(of: Float.self).map(\.path) == ["weight", "bias"])
        // The cnn1d backbone's shapes: (B, 10, 200) → (B, 32, 200) → (B, 64, 200) → pool → (B, 64, 100) → (B, 64, 100).
        let x: Tensor<Float> = generator.normal(shape: [2, 10, 200])
        let h = MaxPool1d<Float>(kernelSize: 2)(convs[1](convs[0](x).relu()).relu())
        #expect(h.shape == [2, 64, 100])
        #expect(convs[2](h).shape == [2, 64, 100])
    }

    @Test func cnn2dParameterCountsMatchArchitectures() {
        var generator = RandomGenerator(seed: 2)
        let c1 = Conv2d<Float>(inputChannels: 1, outputChannels: 16, kernelSize: 3, padding: 1, generator: &generator)
        let c2 = Conv2d<Float>(inputChannels: 16, outputChannels: 32, kernelSize: 3, padding: 1, generator: &generator)
        #expect(c1.parameterCount(of: Float.self) == 160 && c2.parameterCount(of: Float.self) == 4640)
        let x: Tensor<Float> = generator.normal(shape: [2, 1, 10, 200])
        let y = MaxPool2d<Float>(kernelSize: (1, 2), stride: (1, 2))(c2(c1(x)))
        #expect(y.shape == [2, 32, 10, 100])
    }

    @Test func defaultInitialisationBounds() {
        var generator = RandomGenerator(seed: 3)
        let conv = Conv2d<Double>(inputChannels: 4, outputChannels: 8, kernelSize: (3, 2), generator: &generator)
        let bound = 1 / 24.0.squareRoot()
        #expect(conv.weight.scalars.allSatisfy { Swift.abs($0) <= bound })
        #expect(conv.bias!.scalars.allSatisfy { Swift.abs($0) <= bound })
        // Not degenerate: the spread fills the bound.
        #expect(conv.weight.scalars.map(Swift.abs).max()! > 0.8 * bound)
        let noBias = Conv1d<Double>(inputChannels: 2, outputChannels: 3, kernelSize: 3, bias: false, generator: &generator)
        #expect(noBias.namedParameters(of: Double.self).map(\.path) == ["weight"])
        #expect(noBias.parameterCount(of: Double.self) == 18)
    }

    @Test func layersMatchFunctionalOps() {
        var generator = RandomGenerator(seed: 4)
        let conv = Conv1d<Double>(inputChannels: 3, outputChannels: 2, kernelSize: 3, stride: 2, padding: 1, generator: &generator)
        let x: Tensor<Double> = generator.normal(shape: [2, 3, 9])
        #expect(conv(x) == conv1d(x, weight: conv.weight, bias: conv.bias, stride: 2, padding: 1))
        let x2: Tensor<Double> = generator.normal(shape: [1, 2, 4, 6])
        #expect(AveragePool2d<Double>(kernelSize: 2)(x2) == x2.averagePooled2d(kernel: (2, 2)))
        #expect(AveragePool1d<Double>(kernelSize: 3, stride: 1)(x) == x.averagePooled1d(kernel: 3, stride: 1))
        #expect(MaxPool2d<Double>(kernelSize: 2, stride: 1)(x2) == x2.maxPooled2d(kernel: (2, 2), stride: (1, 1)))
    }

    @Test func fusedReLUActivationMatchesSeparateReLU() {
        var generator = RandomGenerator(seed: 7)
        let plain = Conv1d<Double>(inputChannels: 3, outputChannels: 4, kernelSize: 5, padding: 2, generator: &generator)
        let fused = Conv1d<Double>(inputChannels: 3, outputChannels: 4, kernelSize: 5, padding: 2, activation: .relu, generator: &generator)
        fused.weight = plain.weight
        fused._bias?.wrappedValue = plain.bias!
        let x: Tensor<Double> = generator.normal(shape: [3, 3, 12])
        #expect(fused.activation == .relu && plain.activation == .identity)
        #expect(largestDifference(fused(x), plain(x).relu()) < 1e-14)
        let (_, a) = valueAndGradient(of: fused) { m in m(x).square().sum() }
        let (_, e) = valueAndGradient(of: plain) { m in m(x).relu().square().sum() }
        #expect(largestDifference(a["weight"]!, e["weight"]!) < 1e-12 && largestDifference(a["bias"]!, e["bias"]!) < 1e-12)
        let plain2 = Conv2d<Float>(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, generator: &generator)
        let fused2 = Conv2d<Float>(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, activation: .relu, generator: &generator)
        fused2.weight = plain2.weight
        fused2._bias?.wrappedValue = plain2.bias!
        let x2: Tensor<Float> = generator.normal(shape: [2, 2, 5, 7])
        #expect(largestDifference(fused2(x2), plain2(x2).relu()) < 1e-6)
    }

    @Test func gradientsReachEveryParameter() {
        var generator = RandomGenerator(seed: 5)
        let conv = Conv2d<Double>(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, generator: &generator)
        let x: Tensor<Double> = generator.normal(shape: [2, 2, 4, 4])
        let (_, grads) = valueAndGradient(of: conv) { m in m(x).square().mean() }
        #expect(grads["weight"]!.shape == [3, 2, 3, 3] && grads["bias"]!.shape == [3])
        // Central difference on one weight element.
        let h = 1e-6
        var plus = conv.weight, minus = conv.weight
        plus.withUnsafeMutableBufferPointer { $0[5] += h }
        minus.withUnsafeMutableBufferPointer { $0[5] -= h }
        let f = { (w: Tensor<Double>) in conv2d(x, weight: w, bias: conv.bias, padding: (1, 1)).square().mean().scalar }
        #expect(Swift.abs((f(plus) - f(minus)) / (2 * h) - grads["weight"]!.scalars[5]) < 1e-8)
    }

    @Test func layersChainInSequential() {
        var generator = RandomGenerator(seed: 6)
        let backbone = Sequential<Float>(
            Conv1d(inputChannels: 10, outputChannels: 32, kernelSize: 5, padding: 2, generator: &generator), ReLU(),
            Conv1d(inputChannels: 32, outputChannels: 64, kernelSize: 5, padding: 2, generator: &generator), ReLU(),
            MaxPool1d(kernelSize: 2),
            Conv1d(inputChannels: 64, outputChannels: 64, kernelSize: 5, padding: 2, generator: &generator), ReLU())
        #expect(backbone.parameterCount(of: Float.self) == 1632 + 10304 + 20544)
        #expect(backbone.namedParameters(of: Float.self).map(\.path).prefix(3) == ["layers.0.weight", "layers.0.bias", "layers.2.weight"])
        let x: Tensor<Float> = generator.normal(shape: [2, 10, 200])
        #expect(backbone(x).shape == [2, 64, 100])
    }
}
