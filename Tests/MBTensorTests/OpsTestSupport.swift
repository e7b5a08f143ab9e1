import Testing
@testable import MBTensor

/// Expects the analytic gradient of `f` at `inputs` to match central differences.
func expectGradient(
    _ inputs: [Tensor<Double>], tolerance: Double = 1e-7, _ f: @escaping ([Tensor<Double>]) -> Tensor<Double>,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = GradientCheck.maximumError(at: inputs, of: f)
    #expect(error < tolerance, "max gradient error \(error)", sourceLocation: sourceLocation)
}

/// Expects the gradient of the scalar function `f` (a differentiation nested in another) to
/// have a derivative matching central differences: a check of second derivatives.
func expectSecondDerivative(
    _ inputs: [Tensor<Double>], tolerance: Double = 1e-6, _ f: @escaping ([Tensor<Double>]) -> Tensor<Double>,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = GradientCheck.maximumError(at: inputs) { xs in
        let grads = gradient(at: xs) { f($0) }
        return Tensor.concatenated(grads.map { $0.reshaped(to: [-1]) }, alongAxis: 0)
    }
    #expect(error < tolerance, "max second-derivative error \(error)", sourceLocation: sourceLocation)
}

/// Largest absolute difference between two equally shaped tensors.
func largestAbsoluteDifference<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Double {
    precondition(a.shape == b.shape, "shapes \(a.shape) and \(b.shape) differ")
    return zip(a.scalars, b.scalars).reduce(0) { Swift.max($0, Swift.abs(Double($1.0) - Double($1.1))) }
}
