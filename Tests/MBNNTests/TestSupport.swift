import MBTensor
import Testing

/// Deterministic test inputs in (lo, hi).
func deterministicTensor(_ shape: [Int], seed: Int = 1, in range: ClosedRange<Double> = -1...1) -> Tensor<Double> {
    let n = shape.reduce(1, *)
    let values = (0..<n).map { i -> Double in
        let u = (Double((i + 1) * 7919 + seed * 104729) * 0.6180339887).truncatingRemainder(dividingBy: 1)
        return range.lowerBound + (range.upperBound - range.lowerBound) * u
    }
    return Tensor(shape: shape, scalars: values)
}

func largestDifference<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Double {
    precondition(a.shape == b.shape, "shapes \(a.shape) and \(b.shape) differ")
    var worst = 0.0
    for (x, y) in zip(a.scalars, b.scalars) { worst = max(worst, abs(Double(x) - Double(y))) }
    return worst
}
