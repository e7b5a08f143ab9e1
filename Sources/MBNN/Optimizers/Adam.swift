import CKernels
import Foundation
import MBTensor

/// Adam (Kingma & Ba 2015) as PyTorch implements it, with bias correction; `weightDecay` is
/// an L2 term added to the gradient. `AdamW` decouples the decay (Loshchilov & Hutter 2019).
public final class Adam<Scalar: TensorScalar>: Optimizer {
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double
    let decoupledDecay: Bool
    public private(set) var step = 0
    /// First and second moments, by parameter index of the `ParameterSet`.
    public private(set) var moments: [[Tensor<Scalar>]] = []

    public convenience init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0) {
        self.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                  decoupled: false)
    }

    init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, decoupled: Bool) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledDecay = decoupled
    }

    public func update(_ parameters: ParameterSet<Scalar>, with gradients: Gradients<Scalar>) {
        precondition(gradients.paths == parameters.paths, "gradients do not belong to this parameter set")
        if moments.isEmpty {
            moments = parameters.boxes.map { [Tensor(zeros: $0.wrappedValue.shape), Tensor(zeros: $0.wrappedValue.shape)] }
        }
        step += 1
        let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
        for (i, box) in parameters.boxes.enumerated() {
            var p = box.wrappedValue
            box.wrappedValue = Tensor(zeros: [])  // drop the box's reference so `p` is unique
            KernelBuffers.withPointers(&p, gradients.values[i], &moments[i]) { p, g, s, n in
                if Scalar.self == Float.self {
                    mb_adam_f32(p.assumingMemoryBound(to: Float.self), g.assumingMemoryBound(to: Float.self),
                                s[0].assumingMemoryBound(to: Float.self), s[1].assumingMemoryBound(to: Float.self), n,
                                Float(learningRate), Float(beta1), Float(beta2), Float(epsilon), Float(bc1), Float(bc2),
                                Float(weightDecay), decoupledDecay ? 1 : 0)
                } else {
                    mb_adam_f64(p.assumingMemoryBound(to: Double.self), g.assumingMemoryBound(to: Double.self),
                                s[0].assumingMemoryBound(to: Double.self), s[1].assumingMemoryBound(to: Double.self), n,
                                learningRate, beta1, beta2, epsilon, bc1, bc2, weightDecay, decoupledDecay ? 1 : 0)
                }
            }
            box.wrappedValue = p
        }
    }
}

/// Adam with decoupled weight decay: p ← p(1 − lr·λ) before the Adam step (PyTorch default λ = 0.01).
public final class AdamW<Scalar: TensorScalar>: Optimizer {
    let inner: Adam<Scalar>
    public var learningRate: Double {
        get { inner.learningRate }
        set { inner.learningRate = newValue }
    }
    public var step: Int { inner.step }

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0.01) {
        inner = Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
                     decoupled: true)
    }

    public func update(_ parameters: ParameterSet<Scalar>, with gradients: Gradients<Scalar>) {
        inner.update(parameters, with: gradients)
    }
}
