import CKernels
import MBTensor

/// Stochastic gradient descent with momentum, as PyTorch's `SGD`:
///
///     g ← g + λp;  b ← μb + (1 − τ)g  (b ← g on the first step);
///     g ← g + μb (Nesterov) or g ← b;  p ← p − lr·g,
///
/// with momentum μ, dampening τ and weight decay λ. Without momentum it is plain SGD.
/// State tensors: `optimizer.step` and, with momentum, `optimizer.momentum_buffer.<path>`.
public final class SGD<Scalar: TensorScalar>: Optimizer {
    public var learningRate: Double
    public let momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool
    public private(set) var step = 0
    var slots = OptimizerSlots<Scalar>(names: ["momentum_buffer"])
    /// True until the first update after the buffers were created fresh (PyTorch starts b = g).
    var freshBuffers = true

    public init(learningRate: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                nesterov: Bool = false) {
        precondition(learningRate >= 0 && momentum >= 0 && weightDecay >= 0,
                     "SGD needs lr, momentum, weight decay ≥ 0, got \(learningRate), \(momentum), \(weightDecay)")
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum requires momentum > 0 and zero dampening")
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    /// Momentum buffers by parameter index (empty without momentum or before the first update).
    public var momentumBuffers: [Tensor<Scalar>] { slots.values.map { $0[0] } }

    public func update(_ parameters: ParameterSet<Scalar>, with gradients: Gradients<Scalar>) {
        precondition(gradients.paths == parameters.paths, "gradients do not belong to this parameter set")
        let first: Bool
        if momentum != 0 {
            if slots.prepareForUpdate(parameters, prefix: "optimizer.") { freshBuffers = true }
            first = freshBuffers
            freshBuffers = false
        } else {
            first = false
        }
        step += 1
        let placeholder = Tensor<Scalar>(zeros: [])
        var none: [Tensor<Scalar>] = []
        for (i, box) in parameters.boxes.enumerated() {
            var p = box.wrappedValue
            box.wrappedValue = placeholder  // drop the box's reference so `p` is unique
            let body: (UnsafeMutableRawPointer, UnsafeRawPointer, [UnsafeMutableRawPointer], Int) -> Void = { p, g, s, n in
                let buffer = s.first
                if Scalar.self == Float.self {
                    mb_sgd_f32(p.assumingMemoryBound(to: Float.self), g.assumingMemoryBound(to: Float.self),
                               buffer?.assumingMemoryBound(to: Float.self), n, Float(self.learningRate), Float(self.momentum),
                               Float(self.dampening), Float(self.weightDecay), self.nesterov ? 1 : 0, first ? 1 : 0)
                } else {
                    mb_sgd_f64(p.assumingMemoryBound(to: Double.self), g.assumingMemoryBound(to: Double.self),
                               buffer?.assumingMemoryBound(to: Double.self), n, self.learningRate, self.momentum,
                               self.dampening, self.weightDecay, self.nesterov ? 1 : 0, first ? 1 : 0)
                }
            }
            if momentum != 0 {
                KernelBuffers.withPointers(&p, gradients.values[i], &slots.values[i], body)
            } else {
                KernelBuffers.withPointers(&p, gradients.values[i], &none, body)
            }
            box.wrappedValue = p
        }
    }

    public func stateTensors() -> [(String, Tensor<Scalar>)] { slots.exportedState(step: step) }

    public func loadState(_ tensors: [(String, Tensor<Scalar>)]) throws(OptimizerStateError) {
        (step, slots) = try slots.loadingState(tensors)
        // A state saved after at least one momentum step carries its buffers' history.
        freshBuffers = slots.pendingIsEmpty
    }

    public func prepareState(for parameters: ParameterSet<Scalar>) throws(OptimizerStateError) {
        guard momentum != 0 else { return }
        if try slots.prepare(for: parameters, prefix: "optimizer.") { freshBuffers = true }
    }
}
