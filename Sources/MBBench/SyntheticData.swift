import Foundation
import MBTensor

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

extension SyntheticData {
    /// Analytic-continuation-shaped data: x [n, 10, 200] decaying in τ, α [n, 3] on the
    /// simplex, γ [n, 6] (the peers use Gaussian spectra; only shapes matter for timing).
    static func continuation(count n: Int, generator: inout RandomGenerator) -> (Tensor<Float>, Tensor<Float>, Tensor<Float>) {
        var x = [Float](repeating: 0, count: n * 2000), alpha = [Float](repeating: 0, count: n * 3)
        var gamma = [Float](repeating: 0, count: n * 6)
        for e in 0..<n {
            let rates = (0..<3).map { _ in 0.5 + 4 * generator.nextUnit() }
            let weights = (0..<3).map { _ in -Foundation.log(1 - generator.nextUnit()) }
            let total = weights.reduce(0, +)
            for k in 0..<3 {
                alpha[e * 3 + k] = Float(weights[k] / total)
                gamma[e * 6 + k] = Float(rates[k])
                gamma[e * 6 + 3 + k] = Float(0.2 + 0.8 * generator.nextUnit())
            }
            for t in 0..<10 {
                for j in 0..<200 {
                    let tau = Double(j) / 199
                    var value = 0.0
                    for k in 0..<3 { value += Double(alpha[e * 3 + k]) * Foundation.exp(-rates[k] * tau * Double(t + 1) / 10) }
                    x[e * 2000 + t * 200 + j] = Float(value + 1e-4 * generator.nextNormal())
                }
            }
        }
        return (Tensor(shape: [n, 10, 200], scalars: x), Tensor(shape: [n, 3], scalars: alpha), Tensor(shape: [n, 6], scalars: gamma))
    }
}
