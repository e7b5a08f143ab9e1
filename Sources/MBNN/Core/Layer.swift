import MBTensor

/// A module that maps one tensor to one tensor, so that it can be chained in a `Sequential`.
///
/// Layers whose call needs more than the input (dropout: a generator and a training flag;
/// attention: a mask) are plain modules with their own `callAsFunction` and are composed by
/// hand in a model's own `callAsFunction`.
public protocol Layer<Scalar>: Module {
    associatedtype Scalar: TensorScalar
    func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar>
}

/// Layers applied in order: `y = layers[n-1](…layers[1](layers[0](x)))`.
///
/// Parameter paths are `layers.<index>.<name>` (`layers.0.weight`), as PyTorch's
/// `nn.Sequential` gives `<index>.<name>` under its attribute name.
public final class Sequential<Scalar: TensorScalar>: Layer {
    public let layers: [any Layer<Scalar>]

    public init(_ layers: [any Layer<Scalar>]) { self.layers = layers }
    public convenience init(_ layers: any Layer<Scalar>...) { self.init(layers) }

    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        var x = input
        for layer in layers { x = layer(x) }
        return x
    }
}
