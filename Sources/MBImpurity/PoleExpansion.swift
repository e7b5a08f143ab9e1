import ComplexModule
import RealModule
import Foundation
import MBTensor

/// A fermionic Green's function as a finite sum of real poles (the Lehmann representation):
///
///     G(iω_n) = Σ_k w_k / (iω_n − ε_k),
///     G(τ)    = −Σ_k w_k e^{−τ ε_k} / (1 + e^{−β ε_k}),   0 ≤ τ ≤ β,
///
/// with weights w_k ≥ 0 summing to 1 for a normalised G, so that G(0⁺) + G(β⁻) = −Σ w_k = −1.
/// Energies in the model's units, β in inverse units. The τ form is evaluated as
/// e^{−τε}/(1 + e^{−βε}) for ε ≥ 0 and e^{(β−τ)ε}/(e^{βε} + 1) for ε < 0, so no exponent is
/// positive and nothing overflows at any β.
///
/// Poles whose energies agree to `mergeTolerance` (absolute, scaled by max(1, |ε|)) are
/// merged into one with the summed weight at the weight-averaged energy. Merging keeps the
/// zeroth and first moments exactly and changes G by O(w δε²/ω³), i.e. nothing at
/// δε ≈ 1e-10; it removes the copies that (spin and other) degeneracies produce.
public struct PoleExpansion: Sendable {
    /// ε_k, ascending (energy units).
    public let energies: [Double]
    /// w_k ≥ 0, same order.
    public let weights: [Double]
    /// Inverse temperature β of the τ form.
    public let beta: Double

    /// Sorts the poles by energy and merges near-equal ones (see the type's doc).
    public init(energies: [Double], weights: [Double], beta: Double, mergeTolerance: Double = 1e-10) {
        precondition(energies.count == weights.count, "PoleExpansion: \(energies.count) energies, \(weights.count) weights")
        precondition(beta > 0, "PoleExpansion: beta = \(beta)")
        let order = energies.indices.sorted { energies[$0] < energies[$1] }
        var mergedEnergies: [Double] = [], mergedWeights: [Double] = []
        mergedEnergies.reserveCapacity(energies.count)
        mergedWeights.reserveCapacity(energies.count)
        var clusterStart = 0.0, weightSum = 0.0, moment = 0.0, first = true
        func close() {
            guard weightSum > 0 else { return }
            mergedEnergies.append(moment / weightSum)
            mergedWeights.append(weightSum)
        }
        for k in order {
            let e = energies[k], w = weights[k]
            if first || e - clusterStart > mergeTolerance * max(1, abs(clusterStart)) {
                first = false
                close()
                clusterStart = e
                weightSum = 0
                moment = 0
            }
            weightSum += w
            moment += w * e
        }
        close()
        self.energies = mergedEnergies
        self.weights = mergedWeights
        self.beta = beta
    }

    /// Σ_k w_k (= 1 for a normalised fermionic Green's function).
    public var totalWeight: Double { weights.reduce(0, +) }

    /// G(iω_n) = Σ_k w_k / (iω_n − ε_k) at ω_n = (2n + 1)π/β, n = 0..<count.
    public func matsubara(count: Int) -> [Complex<Double>] {
        evaluate(atFrequencies: AndersonImpurityModel.matsubaraFrequencies(count: count, beta: beta))
    }

    /// G(iω) = Σ_k w_k / (iω − ε_k) = −Σ_k w_k (ε_k + iω)/(ω² + ε_k²) at real ω.
    public func evaluate(atFrequencies omegas: [Double]) -> [Complex<Double>] {
        let count = omegas.count, poleCount = energies.count
        guard count > 0 else { return [] }
        guard poleCount > 0 else { return [Complex<Double>](repeating: .zero, count: count) }
        return [Complex<Double>](unsafeUninitializedCapacity: count) { out, initialized in
            let out = UncheckedSendable(value: out.baseAddress!)
            energies.withUnsafeBufferPointer { e in
            weights.withUnsafeBufferPointer { w in
            omegas.withUnsafeBufferPointer { omegas in
                let e = UncheckedSendable(value: e.baseAddress!), w = UncheckedSendable(value: w.baseAddress!)
                let omegas = UncheckedSendable(value: omegas.baseAddress!)
                ComputeThreads.parallelFor(count, minimumChunk: max(1, 20000 / poleCount)) { range in
                    let e = e.value, w = w.value
                    for n in range {
                        let omega = omegas.value[n], omega2 = omega * omega
                        var sumRe = SIMD4<Double>(repeating: 0), sumIm = SIMD4<Double>(repeating: 0)
                        var k = 0
                        while k + 4 <= poleCount {
                            let ek = SIMD4<Double>(e[k], e[k + 1], e[k + 2], e[k + 3])
                            let wk = SIMD4<Double>(w[k], w[k + 1], w[k + 2], w[k + 3])
                            let s = wk / (ek * ek + omega2)
                            sumRe -= s * ek
                            sumIm -= s
                            k += 4
                        }
                        var r = sumRe.sum(), i = sumIm.sum()
                        while k < poleCount {
                            let s = w[k] / (e[k] * e[k] + omega2)
                            r -= s * e[k]
                            i -= s
                            k += 1
                        }
                        (out.value + n).initialize(to: Complex(r, i * omega))
                    }
                }
            }}}
            initialized = count
        }
    }

    /// G(τ) = −Σ_k w_k e^{−τε_k}/(1 + e^{−βε_k}) at each τ ∈ [0, β]; τ = 0 gives G(0⁺) and
    /// τ = β gives G(β⁻).
    /// - Throws: `ImpuritySolverError.imaginaryTimeOutOfRange` for τ outside [0, β] or not finite.
    public func imaginaryTime(_ taus: [Double]) throws(ImpuritySolverError) -> [Double] {
        for tau in taus where !(tau >= 0 && tau <= beta) {
            throw .imaginaryTimeOutOfRange(tau: tau, beta: beta)
        }
        let count = taus.count, poleCount = energies.count, beta = beta
        guard count > 0 else { return [] }
        guard poleCount > 0 else { return [Double](repeating: 0, count: count) }
        return [Double](unsafeUninitializedCapacity: count) { out, initialized in
            let out = UncheckedSendable(value: out.baseAddress!)
            energies.withUnsafeBufferPointer { e in
            weights.withUnsafeBufferPointer { w in
                let e = UncheckedSendable(value: e.baseAddress!), w = UncheckedSendable(value: w.baseAddress!)
                ComputeThreads.parallelFor(count, minimumChunk: max(1, 20000 / poleCount)) { range in
                    for t in range {
                        let tau = taus[t]
                        var sum = 0.0
                        for k in 0..<poleCount {
                            let ek = e.value[k]
                            let f = ek >= 0 ? Foundation.exp(-tau * ek) / (1 + Foundation.exp(-beta * ek))
                                            : Foundation.exp((beta - tau) * ek) / (Foundation.exp(beta * ek) + 1)
                            sum += w.value[k] * f
                        }
                        (out.value + t).initialize(to: -sum)
                    }
                }
            }}
            initialized = count
        }
    }
}
