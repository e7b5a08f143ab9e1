import ComplexModule
import Foundation
import MBTensor
import RealModule

/// The Lanczos recursion from one start vector φ₀ in a block (no reorthogonalisation):
///
///     β_{j+1} φ_{j+1} = H φ_j − α_j φ_j − β_j φ_{j−1},   α_j = ⟨φ_j|H|φ_j⟩,
///
/// which builds the Jacobi matrix T (diagonal α, off-diagonal β) of H in the Krylov space of
/// φ₀. Then ⟨φ₀|(z − H)⁻¹|φ₀⟩ = ‖φ₀‖² / (z − α₀ − β₁²/(z − α₁ − …)) (a `ContinuedFraction`),
/// and with T = Q diag(θ) Qᵀ the same resolvent is Σ_k ‖φ₀‖² Q_{0k}² / (z − θ_k): the poles
/// used for G(τ). Without reorthogonalisation the recursion may produce spurious copies of
/// converged eigenvalues; they split the weight of the true pole among themselves and leave
/// the resolvent (and so G) unchanged to working accuracy.
struct LanczosTridiagonalization {
    /// α_j.
    var diagonal: [Double] = []
    /// β_j (β₀ = 0), coupling j − 1 and j.
    var offDiagonal: [Double] = []
    /// ‖φ₀‖².
    var normSquared: Double = 0
    /// False when the recursion stopped at `maximumSteps` without meeting its rule.
    var converged = true

    /// When the recursion may stop before the Krylov space is exhausted.
    enum StoppingRule {
        /// ⟨φ₀|(z − H)⁻¹|φ₀⟩ at `probe` changed by less than `tolerance` (relative) twice running.
        case resolvent(probe: Complex<Double>, tolerance: Double)
        /// The lowest eigenvalue of T changed by less than `tolerance` (absolute) twice running.
        case lowestEigenvalue(tolerance: Double)
    }

    /// Runs the recursion on `start` (not normalised) until the Krylov space is exhausted
    /// (β_{j+1} ≤ 1e-13·scale), until `rule` is met, or for `maximumSteps` steps.
    init(sector: FockSector, start: [Double], rule: StoppingRule, maximumSteps: Int) {
        let n = sector.dimension
        precondition(start.count == n, "LanczosTridiagonalization: start has \(start.count) entries for a block of \(n)")
        let norm2 = start.reduce(0) { $0 + $1 * $1 }
        normSquared = norm2
        guard norm2 > 0 else { return }
        var previous = [Double](repeating: 0, count: n)
        var current = start.map { $0 / norm2.squareRoot() }
        var next = [Double](repeating: 0, count: n)
        var lastValue = Complex<Double>.zero, quietSteps = 0
        var scale = 0.0, beta = 0.0  // β_j of the current step (β₀ = 0)
        converged = false
        for step in 0..<max(1, maximumSteps) {
            current.withUnsafeBufferPointer { c in
                next.withUnsafeMutableBufferPointer { y in sector.apply(c.baseAddress!, into: y.baseAddress!) }
            }
            let alpha = dot(current, next)
            for i in 0..<n { next[i] -= alpha * current[i] + beta * previous[i] }
            diagonal.append(alpha)
            offDiagonal.append(beta)
            let betaNext = dot(next, next).squareRoot()
            scale = max(scale, abs(alpha) + betaNext)
            let ruleMet: Bool
            switch rule {
            case let .resolvent(probe, tolerance):
                let value = ContinuedFraction(weight: 1, diagonal: diagonal, offDiagonal: offDiagonal).evaluate(at: probe)
                ruleMet = step > 0 && (value - lastValue).length <= tolerance * value.length
                lastValue = value
            case let .lowestEigenvalue(tolerance):
                let value = Complex(lowestEigenvalue(), 0)
                ruleMet = step > 0 && abs(value.real - lastValue.real) <= tolerance
                lastValue = value
            }
            quietSteps = ruleMet ? quietSteps + 1 : 0
            if quietSteps >= 2 {
                converged = true
                break
            }
            if betaNext <= 1e-13 * max(scale, 1) {
                converged = true
                break
            }
            swap(&previous, &current)
            for i in 0..<n { current[i] = next[i] / betaNext }
            beta = betaNext
        }
    }

    /// The continued fraction w·⟨φ̂₀|(z − (σ(T − shift)))⁻¹|φ̂₀⟩ with the given weight, for
    /// σ = +1 (particle part, poles at θ − shift) or σ = −1 (hole part, poles at shift − θ).
    func continuedFraction(weight: Double, shift: Double, sign: Double) -> ContinuedFraction {
        ContinuedFraction(weight: weight, diagonal: diagonal.map { sign * ($0 - shift) }, offDiagonal: offDiagonal)
    }

    /// The lowest eigenvalue of T (LAPACK ?stev without vectors).
    func lowestEigenvalue() -> Double {
        guard !diagonal.isEmpty else { return .infinity }
        return eigen(vectors: false).values[0]
    }

    /// Eigenvalues θ_k of T and the squared first components Q_{0k}² (summing to 1), by
    /// LAPACK ?stev.
    func spectralWeights() -> (eigenvalues: [Double], firstComponentsSquared: [Double]) {
        let k = diagonal.count
        guard k > 0 else { return ([], []) }
        let (values, vectors) = eigen(vectors: true)
        return (values, (0..<k).map { vectors[$0 * k] * vectors[$0 * k] })
    }

    private func eigen(vectors: Bool) -> (values: [Double], vectors: [Double]) {
        do {
            return try LinearAlgebra.tridiagonalEigen(diagonal: diagonal, offDiagonal: Array(offDiagonal.dropFirst()), vectors: vectors)
        } catch {
            // ?stev's implicit QL on a finite symmetric tridiagonal matrix does not fail in practice.
            preconditionFailure("stev failed on a \(diagonal.count)×\(diagonal.count) Jacobi matrix: \(error)")
        }
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in a.indices { sum += a[i] * b[i] }
    return sum
}
