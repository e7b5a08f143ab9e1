import Foundation
import MBTensor
import Testing
@testable import MBNN

@Suite("Initialisers")
struct InitializerTests {
    @Test func fansOfLinearAndConvolutionShapes() {
        #expect(Fans(shape: [8, 3]) == Fans(fanIn: 3, fanOut: 8))
        #expect(Fans(shape: [32, 10, 5]) == Fans(fanIn: 50, fanOut: 160))
        #expect(Fans(shape: [16, 1, 7, 7]) == Fans(fanIn: 49, fanOut: 784))
        #expect(Fans.convolution(inputChannels: 1, outputChannels: 16, kernelSize: [7, 7]) == Fans(shape: [16, 1, 7, 7]))
        #expect(Fans.linear(inputs: 3, outputs: 8) == Fans(shape: [8, 3]))
    }

    @Test func gainsMatchPyTorch() {
        #expect(Nonlinearity.linear.gain == 1)
        #expect(abs(Nonlinearity.tanh.gain - 5.0 / 3) < 1e-15)
        #expect(abs(Nonlinearity.relu.gain - sqrt(2)) < 1e-15)
        #expect(abs(Nonlinearity.leakyReLU(negativeSlope: sqrt(5)).gain - sqrt(1.0 / 3)) < 1e-15)
    }

    func bound(_ t: Tensor<Double>) -> Double { t.scalars.map(abs).max()! }

    /// Standard deviation of the elements.
    func spread(_ t: Tensor<Double>) -> Double {
        let m = t.scalars.reduce(0, +) / Double(t.count)
        return (t.scalars.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(t.count)).squareRoot()
    }

    @Test func uniformBounds() {
        var generator = RandomGenerator(seed: 1)
        let shape = [64, 100]
        let pytorch: Tensor<Double> = PyTorchDefaultWeight().initialValue(shape: shape, generator: &generator)
        let b = 1 / sqrt(100.0)
        #expect(bound(pytorch) <= b && bound(pytorch) > 0.98 * b)
        let xavier: Tensor<Double> = XavierUniform(gain: 2).initialValue(shape: shape, generator: &generator)
        let xb = 2 * sqrt(6.0 / 164)
        #expect(bound(xavier) <= xb && bound(xavier) > 0.98 * xb)
        let kaiming: Tensor<Double> = KaimingUniform(nonlinearity: .relu, mode: .fanOut).initialValue(shape: shape, generator: &generator)
        let kb = sqrt(2.0) * sqrt(3.0 / 64)
        #expect(bound(kaiming) <= kb && bound(kaiming) > 0.98 * kb)
        let bias: Tensor<Double> = PyTorchDefaultBias(fanIn: 25).initialValue(shape: [1000], generator: &generator)
        #expect(bound(bias) <= 0.2 && bound(bias) > 0.19)
    }

    /// Seeded statistical test: the sample standard deviation of 10⁴ normals has relative
    /// error ≈ 1/√(2·10⁴) = 0.7%; a 5% band fails with probability < 10⁻¹².
    @Test func normalSpreads() {
        var generator = RandomGenerator(seed: 2)
        let shape = [100, 100]
        let xavier: Tensor<Double> = XavierNormal().initialValue(shape: shape, generator: &generator)
        #expect(abs(spread(xavier) / sqrt(2.0 / 200) - 1) < 0.05)
        let kaiming: Tensor<Double> = KaimingNormal(nonlinearity: .tanh).initialValue(shape: [100, 4, 25], generator: &generator)
        #expect(abs(spread(kaiming) / (5.0 / 3 / sqrt(100.0)) - 1) < 0.05)
        let normal: Tensor<Double> = Normal(mean: 3, standardDeviation: 0.5).initialValue(shape: shape, generator: &generator)
        #expect(abs(normal.scalars.reduce(0, +) / 1e4 - 3) < 0.05 && abs(spread(normal) / 0.5 - 1) < 0.05)
    }

    @Test func constantsAndDeterminism() {
        var generator = RandomGenerator(seed: 3)
        let zeros: Tensor<Float> = Zeros().initialValue(shape: [2, 3], generator: &generator)
        #expect(zeros.scalars == [0, 0, 0, 0, 0, 0])
        let sevens: Tensor<Float> = Constant(7).initialValue(shape: [4], generator: &generator)
        #expect(sevens.scalars == [7, 7, 7, 7])
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        let x: Tensor<Float> = XavierNormal().initialValue(shape: [5, 5], generator: &a)
        let y: Tensor<Float> = XavierNormal().initialValue(shape: [5, 5], generator: &b)
        #expect(x == y)
        // A layer built with a chosen initialiser.
        let layer = Linear<Double>(inputDimensions: 4, outputDimensions: 3, weightInitializer: .xavierUniform(),
                                   biasInitializer: .constant(0.5), generator: &generator)
        #expect(layer.bias!.scalars == [0.5, 0.5, 0.5])
        #expect(bound(layer.weight) <= sqrt(6.0 / 7))
    }
}
