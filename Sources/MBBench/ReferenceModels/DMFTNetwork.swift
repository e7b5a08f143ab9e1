import MBNN
import MBTensor

/// The KCL ML-DMFT network of `shared/perf/architectures.md` §3:
/// Linear(201, 51) + tanh, Linear(51, 51) + tanh, Linear(51, 51); 15,606 parameters.
public final class DMFTNetwork<Scalar: TensorScalar>: Module {
    public let hidden1: Linear<Scalar>, hidden2: Linear<Scalar>, output: Linear<Scalar>

    public init(inputs: Int = 201, hidden: Int = 51, outputs: Int = 51, generator: inout RandomGenerator) {
        hidden1 = Linear(inputDimensions: inputs, outputDimensions: hidden, generator: &generator)
        hidden2 = Linear(inputDimensions: hidden, outputDimensions: hidden, generator: &generator)
        output = Linear(inputDimensions: hidden, outputDimensions: outputs, generator: &generator)
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        output(hidden2(hidden1(x).tanh()).tanh())
    }
}
