import MBNN
import MBTensor

/// A backbone of the analytic-continuation study (`shared/perf/architectures.md` §1): maps
/// Λ [batch, 10 temperatures, 200 τ] to a 256-d embedding.
public protocol ContinuationBackbone: Module {
    func embedding(_ x: Tensor<Float>) -> Tensor<Float>
}

/// §1(i): the temperatures are channels of a 1-d convolution over τ. 1,671,136 parameters.
public final class ConvolutionalBackbone1D: ContinuationBackbone {
    let conv1: Conv1d<Float>, conv2: Conv1d<Float>, conv3: Conv1d<Float>
    let pool = MaxPool1d<Float>(kernelSize: 2)
    let dense: Linear<Float>

    public init(temperatures: Int = 10, times: Int = 200, generator: inout RandomGenerator) {
        // Each convolution's ReLU runs in the convolution's own output pass.
        conv1 = Conv1d(inputChannels: temperatures, outputChannels: 32, kernelSize: 5, padding: 2, activation: .relu, generator: &generator)
        conv2 = Conv1d(inputChannels: 32, outputChannels: 64, kernelSize: 5, padding: 2, activation: .relu, generator: &generator)
        conv3 = Conv1d(inputChannels: 64, outputChannels: 64, kernelSize: 5, padding: 2, activation: .relu, generator: &generator)
        dense = Linear(inputDimensions: 64 * (times / 2), outputDimensions: 256, generator: &generator)
    }

    public func embedding(_ x: Tensor<Float>) -> Tensor<Float> {
        let h = conv3(pool(conv2(conv1(x))))
        return dense(h.reshaped(to: [x.shape[0], -1])).relu()
    }
}

/// §1(ii): Λ as a 1×10×200 image. 8,197,056 parameters.
public final class ConvolutionalBackbone2D: ContinuationBackbone {
    let conv1: Conv2d<Float>, conv2: Conv2d<Float>
    let pool = MaxPool2d<Float>(kernelSize: (1, 2))
    let dense: Linear<Float>

    public init(temperatures: Int = 10, times: Int = 200, generator: inout RandomGenerator) {
        conv1 = Conv2d(inputChannels: 1, outputChannels: 16, kernelSize: 3, padding: 1, activation: .relu, generator: &generator)
        conv2 = Conv2d(inputChannels: 16, outputChannels: 32, kernelSize: 3, padding: 1, activation: .relu, generator: &generator)
        dense = Linear(inputDimensions: 32 * temperatures * (times / 2), outputDimensions: 256, generator: &generator)
    }

    public func embedding(_ x: Tensor<Float>) -> Tensor<Float> {
        let image = x.expandingShape(at: 1)
        let h = pool(conv2(conv1(image)))
        return dense(h.reshaped(to: [x.shape[0], -1])).relu()
    }
}

/// §1(iii): a pre-LayerNorm transformer over the 200 τ columns (tokens of 10 temperatures),
/// width 64, 4 heads, MLP 128, two blocks, mean-pooled. 97,216 parameters.
public final class AttentionBackbone: ContinuationBackbone {
    public final class Block: Module {
        let norm1: LayerNorm<Float>, attention: MultiHeadSelfAttention<Float>
        let norm2: LayerNorm<Float>, fc1: Linear<Float>, fc2: Linear<Float>

        init(width: Int, heads: Int, hidden: Int, generator: inout RandomGenerator) {
            norm1 = LayerNorm(features: width)
            attention = MultiHeadSelfAttention(modelDimensions: width, heads: heads, generator: &generator)
            norm2 = LayerNorm(features: width)
            fc1 = Linear(inputDimensions: width, outputDimensions: hidden, generator: &generator)
            fc2 = Linear(inputDimensions: hidden, outputDimensions: width, generator: &generator)
        }

        func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
            let h = x + attention(norm1(x))
            return h + fc2(fc1(norm2(h)).relu())
        }
    }

    let embed: Linear<Float>
    @Parameter var positions: Tensor<Float>
    let blocks: [Block]
    let finalNorm: LayerNorm<Float>
    let dense: Linear<Float>

    public init(temperatures: Int = 10, times: Int = 200, width: Int = 64, heads: Int = 4, hidden: Int = 128,
                blockCount: Int = 2, generator: inout RandomGenerator) {
        embed = Linear(inputDimensions: temperatures, outputDimensions: width, generator: &generator)
        positions = generator.normal(shape: [times, width], standardDeviation: 0.02)
        var blocks: [Block] = []
        for _ in 0..<blockCount { blocks.append(Block(width: width, heads: heads, hidden: hidden, generator: &generator)) }
        self.blocks = blocks
        finalNorm = LayerNorm(features: width)
        dense = Linear(inputDimensions: width, outputDimensions: 256, generator: &generator)
    }

    public func embedding(_ x: Tensor<Float>) -> Tensor<Float> {
        var h = embed(x.transposed()) + positions
        for block in blocks { h = block(h) }
        return dense(finalNorm(h).mean(alongAxis: 1)).relu()
    }
}
