import CKernels
import Foundation
import MBTensor

/// Adam (Kingma & Ba 2015) as PyTorch implements it (single-tensor form), with bias correction:
///
///     m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
///     p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
///
/// `weightDecay` is an L2 term added to the gradient (g ← g + λp). `AdamW` decouples it.
/// State tensors: `optimizer.step`, `optimizer.m.<path>`, `optimizer.v.<path>`.
public final class Adam<Scalar: TensorScalar>: Optimizer {
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double
    let decoupledDecay: Bool
    public private(set) var step = 0
    var slots = OptimizerSlots<Scalar>(names: ["m", "v"])

    /// First and second moments by parameter index of the `ParameterSet` (empty before the first update).
    public var moments: [[Tensor<Scalar>]] { slots.values }

    public convenience init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                            weightDecay: Double = 0) {
        self.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                  decoupled: false)
    }

    init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, decoupled: Bool) {
        precondition(learningRate >= 0 && epsilon >= 0 && weightDecay >= 0,
                     "Adam needs lr, ε, weight decay ≥ 0, got \(learningRate), \(epsilon), \(weightDecay)")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam betas must lie in [0, 1), got \(beta1), \(beta2)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledDecay = decoupled
    }

    public func update(_ parameters: ParameterSet<Scalar>, with gradients: Gradients<Scalar>) {
        precondition(gradients.paths == parameters.paths, "gradients do not belong to this parameter set")
        slots.prepareForUpdate(parameters, prefix: "optimizer.")
        step += 1
        let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
        let placeholder = Tensor<Scalar>(zeros: [])
        for (i, box) in parameters.boxes.enumerated() {
            var p = box.wrappedValue
            box.wrappedValue = placeholder  // drop the box's reference so `p` is unique
            KernelBuffers.withPointers(&p, gradients.values[i], &slots.values[i]) { p, g, s, n in
                // Element-wise and memory-bound: large tensors are updated in parallel chunks.
                ComputeThreads.parallelFor(n, minimumChunk: 1 << 16) { range in
                    let (o, n) = (range.lowerBound, range.count)
                    if Scalar.self == Float.self {
                        let size = MemoryLayout<Float>.stride * o
                        mb_adam_f32((p + size).assumingMemoryBound(to: Float.self), (g + size).assumingMemoryBound(to: Float.self),
                                    (s[0] + size).assumingMemoryBound(to: Float.self), (s[1] + size).assumingMemoryBound(to: Float.self), n,
                                    Float(learningRate), Float(beta1), Float(beta2), Float(epsilon), Float(bc1), Float(bc2),
                                    Float(weightDecay), decoupledDecay ? 1 : 0)
                    } else {
                        let size = MemoryLayout<Double>.stride * o
                        mb_adam_f64((p + size).assumingMemoryBound(to: Double.self), (g + size).assumingMemoryBound(to: Double.self),
                                    (s[0] + size).assumingMemoryBound(to: Double.self), (s[1] + size).assumingMemoryBound(to: Double.self), n,
                                    learningRate, beta1, beta2, epsilon, bc1, bc2, weightDecay, decoupledDecay ? 1 : 0)
                    }
                }
            }
            box.wrappedValue = p
        }
    }

    public func stateTensors() -> [(String, Tensor<Scalar>)] { slots.exportedState(step: step) }

    public func loadState(_ tensors: [(String, Tensor<Scalar>)]) throws(OptimizerStateError) {
        (step, slots) = try slots.loadingState(tensors)
    }

    public func prepareState(for parameters: ParameterSet<Scalar>) throws(OptimizerStateError) {
        try slots.prepare(for: parameters, prefix: "optimizer.")
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter 2019), as PyTorch's `AdamW`:
/// p ← p(1 − lr·λ) before the Adam step; PyTorch's default λ = 0.01.
public final class AdamW<Scalar: TensorScalar>: Optimizer {
    let inner: Adam<Scalar>
    public var learningRate: Double {
        get { inner.learningRate }
        set { inner.learningRate = newValue }
    }
    public var step: Int { inner.step }
    public var weightDecay: Double { inner.weightDecay }
    public var moments: [[Tensor<Scalar>]] { inner.moments }

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0.01) {
        inner = Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                     decoupled: true)
    }

    public func update(_ parameters: ParameterSet<Scalar>, with gradients: Gradients<Scalar>) {
        inner.update(parameters, with: gradients)
    }

    public func stateTensors() -> [(String, Tensor<Scalar>)] { inner.stateTensors() }
    public func loadState(_ tensors: [(String, Tensor<Scalar>)]) throws(OptimizerStateError) { try inner.loadState(tensors) }
    public func prepareState(for parameters: ParameterSet<Scalar>) throws(OptimizerStateError) {
        try inner.prepareState(for: parameters)
    }
}
