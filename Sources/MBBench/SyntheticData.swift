import Foundation
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

extension SyntheticData {
    /// Equal-weight mixture of 8 Gaussians with means ~ N(0, 4I) and standard deviation 0.5.
    static func gaussianMixture(count n: Int, dimensions d: Int, generator: inout RandomGenerator) -> Tensor<Float> {
        let means: [[Double]] = (0..<8).map { _ in (0..<d).map { _ in 2 * generator.nextNormal() } }
        var values = [Float](repeating: 0, count: n * d)
        for i in 0..<n {
            let component = Int(generator.next() % 8)
            for j in 0..<d { values[i * d + j] = Float(means[component][j] + 0.5 * generator.nextNormal()) }
        }
        return Tensor(shape: [n, d], scalars: values)
    }

    /// Periodic 2D Ising configurations at β_c = 0.4406868 after 50 checkerboard Metropolis
    /// sweeps from a random start, [count, side²] in ±1 (raster order), as `common.ising_data`.
    static func isingConfigurations(count n: Int, side: Int, generator: inout RandomGenerator) -> Tensor<Float> {
        let beta = 0.4406868, sites = side * side
        var spins = [Float](repeating: 0, count: n * sites)
        for c in 0..<n {
            var s = (0..<sites).map { _ in generator.next() & 1 == 0 ? Float(-1) : 1 }
            for _ in 0..<50 {
                for parity in 0..<2 {
                    for r in 0..<side {
                        for col in 0..<side where (r + col) % 2 == parity {
                            let i = r * side + col
                            let neighbours = s[((r + 1) % side) * side + col] + s[((r + side - 1) % side) * side + col]
                                + s[r * side + (col + 1) % side] + s[r * side + (col + side - 1) % side]
                            let dE = 2 * Double(s[i] * neighbours)
                            if dE <= 0 || generator.nextUnit() < Foundation.exp(-beta * dE) { s[i] = -s[i] }
                        }
                    }
                }
            }
            for i in 0..<sites { spins[c * sites + i] = s[i] }
        }
        return Tensor(shape: [n, sites], scalars: spins)
    }
}
