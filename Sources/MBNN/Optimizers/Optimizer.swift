import MBTensor

/// Updates parameters in place from their gradients, keeping per-parameter state.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: TensorScalar
    /// Current step size; schedules set it before each step.
    var learningRate: Double { get set }
    /// Number of updates made so far.
    var step: Int { get }
    func update(_ parameters: ParameterSet<Scalar>, with gradients: Gradients<Scalar>)
}

/// Mutable raw views of a parameter, its gradient and state tensors, typed for the C kernels.
enum KernelBuffers {
    static func withPointers<Scalar: TensorScalar>(
        _ p: inout Tensor<Scalar>, _ g: Tensor<Scalar>, _ states: inout [Tensor<Scalar>],
        _ body: (UnsafeMutableRawPointer, UnsafeRawPointer, [UnsafeMutableRawPointer], Int) -> Void
    ) {
        precondition(p.shape == g.shape, "gradient shape \(g.shape) does not match parameter shape \(p.shape)")
        let n = p.count
        g.withUnsafeBufferPointer { gp in
            p.withUnsafeMutableBufferPointer { pp in
                var pointers: [UnsafeMutableRawPointer] = []
                for i in states.indices {
                    states[i].withUnsafeMutableBufferPointer { pointers.append(UnsafeMutableRawPointer($0.baseAddress!)) }
                }
                body(UnsafeMutableRawPointer(pp.baseAddress!), UnsafeRawPointer(gp.baseAddress!), pointers, n)
            }
        }
    }
}
