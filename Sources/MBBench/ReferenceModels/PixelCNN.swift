import MBNN
import MBTensor

/// The VAN PixelCNN of `shared/perf/architectures.md` §2(ii) (Wu, Wang & Zhang, PRL 122,
/// 080602 (2019), `src_ising/pixelcnn.py` with depth 3, width 16, 7×7 kernels): masked
/// convolutions (exclusive, then inclusive) with PReLU between them and a sigmoid at the end;
/// x̂[0, 0] is forced to ½. Input and output [batch, 1, L, L]; 14,177 parameters.
public final class PixelCNN<Scalar: TensorScalar>: Module {
    public let layers: [MaskedConv2d<Scalar>]
    public let activations: [PReLU<Scalar>]
    @Buffer var firstSiteMask: Tensor<Scalar>
    @Buffer var firstSiteValue: Tensor<Scalar>

    public init(side: Int, depth: Int = 3, width: Int = 16, kernelSize: Int = 7, generator: inout RandomGenerator) {
        var layers: [MaskedConv2d<Scalar>] = []
        var activations: [PReLU<Scalar>] = []
        for l in 0..<depth {
            layers.append(MaskedConv2d(inputChannels: l == 0 ? 1 : width, outputChannels: l == depth - 1 ? 1 : width,
                                       kernelSize: kernelSize, exclusive: l == 0, generator: &generator))
            if l < depth - 1 { activations.append(PReLU(channels: width, initialSlope: 0.5)) }
        }
        self.layers = layers
        self.activations = activations
        var mask = Tensor<Scalar>(ones: [1, 1, side, side]), value = Tensor<Scalar>(zeros: [1, 1, side, side])
        mask.withUnsafeMutableBufferPointer { $0[0] = 0 }
        value.withUnsafeMutableBufferPointer { $0[0] = 0.5 }
        firstSiteMask = mask
        firstSiteValue = value
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var h = x
        for (l, layer) in layers.enumerated() {
            h = layer(h)
            if l < activations.count { h = activations[l](h) }
        }
        return h.sigmoid() * firstSiteMask + firstSiteValue
    }
}
