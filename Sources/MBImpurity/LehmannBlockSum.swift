import Foundation
import MBTensor

/// The Lehmann sum for G↑(τ) kept block pair by block pair, as full ED produces it:
///
///     G(τ) = −Σ_{pairs} Σ_{i ∈ m, j ∈ n} S_ij e^{−(β−τ) e_j} e^{−τ e_i},   S_ij = |⟨i|c†↑|j⟩|²/Z',
///
/// with energies e = E − E0 ≥ 0 relative to the ground state, so every exponent is ≤ 0. For
/// all τ at once this is, per pair, one GEMM X = S·A with A[j, t] = e^{−(β−τ_t) e_j} and a
/// weighted column sum of X, i.e. (dim_m + dim_n)·T exponentials instead of dim_m·dim_n·T.
struct LehmannBlockSum: Sendable {
    struct Pair: Sendable {
        let sourceEnergies: [Double]
        let targetEnergies: [Double]
        /// S, [targetEnergies.count, sourceEnergies.count] row-major.
        let squaredAmplitudes: [Double]
    }

    let beta: Double
    private(set) var pairs: [Pair] = []

    init(beta: Double) { self.beta = beta }

    mutating func append(sourceEnergies: [Double], targetEnergies: [Double], squaredAmplitudes: [Double]) {
        precondition(squaredAmplitudes.count == sourceEnergies.count * targetEnergies.count,
                     "LehmannBlockSum: \(squaredAmplitudes.count) amplitudes for \(targetEnergies.count)×\(sourceEnergies.count)")
        pairs.append(Pair(sourceEnergies: sourceEnergies, targetEnergies: targetEnergies, squaredAmplitudes: squaredAmplitudes))
    }

    /// G(τ_t) for τ_t ∈ [0, β] (checked by the caller). Pairs are spread over `parallelFor`;
    /// each pair's contribution has its own buffer and the buffers are added in pair order, so
    /// the result is the same bit for bit whatever the thread count (the impurity databases
    /// rely on this: a sample must not depend on how many threads computed it).
    func imaginaryTime(_ taus: [Double]) -> [Double] {
        let t = taus.count
        guard t > 0 else { return [] }
        var partial = [[Double]](repeating: [Double](repeating: 0, count: t), count: pairs.count)
        partial.withUnsafeMutableBufferPointer { partial in
            let shared = UncheckedSendable(value: partial.baseAddress!)
            ComputeThreads.parallelFor(pairs.count) { range in
                for p in range { accumulate(pairs[p], taus: taus, into: &shared.value[p]) }
            }
        }
        var result = [Double](repeating: 0, count: t)
        for p in 0..<pairs.count { for k in 0..<t { result[k] -= partial[p][k] } }
        return result
    }

    private func accumulate(_ pair: Pair, taus: [Double], into sum: inout [Double]) {
        let n = pair.sourceEnergies.count, m = pair.targetEnergies.count, t = taus.count
        guard n > 0, m > 0 else { return }
        var a = [Double](repeating: 0, count: n * t)
        for j in 0..<n {
            for k in 0..<t { a[j * t + k] = Foundation.exp(-(beta - taus[k]) * pair.sourceEnergies[j]) }
        }
        var x = [Double](repeating: 0, count: m * t)
        pair.squaredAmplitudes.withUnsafeBufferPointer { s in
            a.withUnsafeBufferPointer { a in
                x.withUnsafeMutableBufferPointer { x in
                    Double.gemm(transposeA: false, transposeB: false, m: m, n: t, k: n, alpha: 1, a: s.baseAddress!, lda: n,
                                b: a.baseAddress!, ldb: t, beta: 0, c: x.baseAddress!, ldc: t)
                }
            }
        }
        for i in 0..<m {
            let e = pair.targetEnergies[i]
            for k in 0..<t { sum[k] += Foundation.exp(-taus[k] * e) * x[i * t + k] }
        }
    }
}
