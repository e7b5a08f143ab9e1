import MBTensor

/// Rows `indices` of a batch-first tensor, copied row by row (not differentiable).
func gatherRows<Scalar>(_ x: Tensor<Scalar>, _ indices: ArraySlice<Int>) -> Tensor<Scalar> {
    let rowSize = x.count / x.shape[0]
    var result = Tensor<Scalar>(uninitializedShape: [indices.count] + x.shape.dropFirst())
    x.withUnsafeBufferPointer { source in
        result.withUnsafeMutableBufferPointer { target in
            for (r, i) in indices.enumerated() {
                (target.baseAddress! + r * rowSize).update(from: source.baseAddress! + i * rowSize, count: rowSize)
            }
        }
    }
    return result
}

/// Synthetic data sets shaped as the peers' (`shared/perf/common.py`): the benchmarks time
/// the training step, which does not depend on the values.
enum SyntheticData {
    /// X ~ N(0, 1) [n, 201], Y = tanh(X W) [n, 51] for a fixed random W.
    static func dmft(count n: Int = 9000, generator: inout RandomGenerator) -> (Tensor<Float>, Tensor<Float>) {
        let x: Tensor<Float> = generator.normal(shape: [n, 201])
        let w: Tensor<Float> = generator.normal(shape: [201, 51], standardDeviation: 1 / 201.0.squareRoot())
        return (x, x.matmul(w).tanh())
    }
}
