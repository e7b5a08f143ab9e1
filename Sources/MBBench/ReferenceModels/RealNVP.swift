import Foundation
import MBNN
import MBTensor

/// The RealNVP flow of `shared/perf/architectures.md` §4: 8 affine couplings on 32 dimensions,
/// 58,624 parameters. Coupling l conditions on one half (x[:16] for even l, x[16:] for odd l)
/// and transforms the other: y_t = x_t·exp(s) + t with (s, t) from a 16-64-64-32 tanh network.
public final class RealNVP<Scalar: TensorScalar>: Module {
    public final class Coupling: Module {
        let hidden1: Linear<Scalar>, hidden2: Linear<Scalar>, output: Linear<Scalar>

        init(half: Int, width: Int, generator: inout RandomGenerator) {
            hidden1 = Linear(inputDimensions: half, outputDimensions: width, generator: &generator)
            hidden2 = Linear(inputDimensions: width, outputDimensions: width, generator: &generator)
            output = Linear(inputDimensions: width, outputDimensions: 2 * half, generator: &generator)
        }

        /// (s, t), each [batch, half].
        func scaleAndShift(_ conditioner: Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>) {
            let out = output(hidden2(hidden1(conditioner).tanh()).tanh())
            let half = out.shape[1] / 2
            return (out.sliced(alongAxis: 1, 0..<half).tanh(), out.sliced(alongAxis: 1, half..<(2 * half)))
        }
    }

    public let couplings: [Coupling]
    public let dimensions: Int

    public init(dimensions: Int = 32, couplingCount: Int = 8, width: Int = 64, generator: inout RandomGenerator) {
        self.dimensions = dimensions
        var layers: [Coupling] = []
        for _ in 0..<couplingCount { layers.append(Coupling(half: dimensions / 2, width: width, generator: &generator)) }
        couplings = layers
    }

    /// log p(x) under the flow with a standard normal base, [batch].
    public func logProbability(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let half = dimensions / 2
        var first = x.sliced(alongAxis: 1, 0..<half), second = x.sliced(alongAxis: 1, half..<dimensions)
        var logDeterminant: Tensor<Scalar>?
        for (l, coupling) in couplings.enumerated() {
            let even = l % 2 == 0
            let (s, t) = coupling.scaleAndShift(even ? first : second)
            let transformed = (even ? second : first) * s.exp() + t
            if even { second = transformed } else { first = transformed }
            let contribution = s.sum(alongAxis: 1)
            logDeterminant = logDeterminant.map { $0 + contribution } ?? contribution
        }
        let squaredNorm = first.square().sum(alongAxis: 1) + second.square().sum(alongAxis: 1)
        let normalisation = Scalar(Double(dimensions) / 2 * Foundation.log(2 * Double.pi))
        return (squaredNorm * -0.5 - normalisation) + logDeterminant!
    }
}
