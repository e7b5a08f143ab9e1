import MBTensor

/// A trainable tensor of a module. Declare as `@Parameter var weight: Tensor<Float>`; the
/// module's dotted path to it (`encoder.layers.0.weight`) is its key in gradients and checkpoints.
///
/// It is a reference box so that parameter discovery, done once, can later read and replace
/// the value (the optimizer's update, loading a checkpoint, differentiation's variables).
@propertyWrapper
public final class Parameter<Scalar: TensorScalar>: @unchecked Sendable {
    public var wrappedValue: Tensor<Scalar>
    public init(wrappedValue: Tensor<Scalar>) { self.wrappedValue = wrappedValue }
}

/// A non-trainable tensor of a module (a mask, a lattice table): saved in checkpoints,
/// never differentiated or updated by optimizers.
@propertyWrapper
public final class Buffer<Scalar: TensorScalar>: @unchecked Sendable {
    public var wrappedValue: Tensor<Scalar>
    public init(wrappedValue: Tensor<Scalar>) { self.wrappedValue = wrappedValue }
}
