import Foundation
import MBTensor

/// How Λ(τ) is computed from a Drude conductivity σ(ω) = γ/(ω² + γ²) of unit weight.
///
/// Both kernels return Λ on the reduced time x = τT ∈ (0, 1) of the 200-point grid; the
/// example's Λ is Σ_k α_k Λ_k.
public enum ContinuationKernelKind: String, CaseIterable, Sendable {
    /// The standard bosonic relation
    /// Λ(τ) = ∫₀^∞ (dω/π) ω cosh(ω(β/2 − τ)) / sinh(βω/2) σ(ω), β = 1/T, τ = x/T.
    case physical
    /// The paper's equations (4)–(6), as printed, on x.
    case paper

    /// Λ [gamma.count, reducedTime.count] for unit-weight Drude terms of widths `gamma` at
    /// `temperature` (same count). `terms` is the paper series' length (`lambda_precision`);
    /// the physical kernel is exact and ignores it.
    public func lambda(gamma: [Double], temperature: [Double], reducedTime: [Double], terms: Int) -> Tensor<Double> {
        switch self {
        case .physical: PhysicalDrudeKernel.lambda(gamma: gamma, temperature: temperature, reducedTime: reducedTime)
        case .paper: PaperDrudeKernel.lambda(gamma: gamma, reducedTime: reducedTime, terms: terms)
        }
    }
}

/// The physical kernel for a Drude term, in closed form up to one smooth integral.
///
/// The bosonic Matsubara transform of the kernel is (2/π) ω²/(ω² + ν_n²), so a Drude term
/// has Λ(iν_n) = γ/(γ + |ν_n|) with ν_n = 2πnT, and
///
///     Λ(τ) = T [1 + 2 Σ_{n≥1} a cos(2πnx)/(n + a)],   a = γ/(2πT), x = τT.
///
/// With 1/(n + a) = ∫₀^∞ e^{−(n+a)t} dt the series sums to
///
///     Λ(τ) = T [1 + 2a ∫₀^∞ e^{−at} g(t, x) dt],   g = Re q/(1 − q), q = e^{−t + 2πix},
///
/// an integrand that is analytic and decays like e^{−t}. It is integrated by Gauss–Legendre
/// (24 points) on panels [0, 10⁻³], [10⁻³, 2·10⁻³], …, doubling up to t ≥ 60 (408 nodes);
/// the geometric panels resolve g's width 2πx near x → 0 and 1. Because the integrand
/// factorises into e^{−at} (width) × g(t, x) (time), all terms of a dataset are one matrix
/// product. Agreement with adaptive quadrature of the ω integral: ~1e-13 relative for
/// γ ∈ [10⁻³, 10], T ∈ [0.1, 1], x ∈ [0.0025, 0.9975] (see the tests).
public enum PhysicalDrudeKernel {
    /// The quadrature nodes and weights in t.
    static let nodes: (t: [Double], w: [Double]) = {
        let (x, w) = GaussLegendre.rule(points: 24)
        var edges = [0.0, 1e-3]
        while edges.last! < 60 { edges.append(edges.last! * 2) }
        var nodes: [Double] = [], weights: [Double] = []
        for (a, b) in zip(edges.dropLast(), edges.dropFirst()) {
            for i in x.indices {
                nodes.append((b - a) / 2 * x[i] + (a + b) / 2)
                weights.append((b - a) / 2 * w[i])
            }
        }
        return (nodes, weights)
    }()

    public static func lambda(gamma: [Double], temperature: [Double], reducedTime: [Double]) -> Tensor<Double> {
        precondition(gamma.count == temperature.count, "γ and T need equal counts, got \(gamma.count) and \(temperature.count)")
        let (t, w) = nodes
        let nt = t.count, nx = reducedTime.count
        // g(t_j, x_i) = (e^{-t} cos θ − e^{-2t}) / (1 − 2 e^{-t} cos θ + e^{-2t}), θ = 2πx.
        var g = [Double](repeating: 0, count: nt * nx)
        for j in 0..<nt {
            let e = exp(-t[j])
            for i in 0..<nx {
                let c = cos(2 * Double.pi * reducedTime[i])
                g[j * nx + i] = (e * c - e * e) / (1 - 2 * e * c + e * e)
            }
        }
        let gTensor = Tensor<Double>(shape: [nt, nx], scalars: g)
        var result = [Double](repeating: 0, count: gamma.count * nx)
        let chunk = 2048
        for start in stride(from: 0, to: gamma.count, by: chunk) {
            let rows = min(chunk, gamma.count - start)
            var factors = [Double](repeating: 0, count: rows * nt)
            for r in 0..<rows {
                let a = gamma[start + r] / (2 * Double.pi * temperature[start + r])
                for j in 0..<nt { factors[r * nt + j] = 2 * a * w[j] * exp(-a * t[j]) }
            }
            let integral = Tensor<Double>(shape: [rows, nt], scalars: factors).matmul(gTensor).scalars
            for r in 0..<rows {
                let T = temperature[start + r]
                for i in 0..<nx { result[(start + r) * nx + i] = T * (1 + integral[r * nx + i]) }
            }
        }
        return Tensor(shape: [gamma.count, nx], scalars: result)
    }
}

/// The paper's equations (4)–(6) exactly as printed, on the reduced time x:
///
///     Λ(x) = 1/γ + F(x, 0) + F(x, γ)
///     F(x, 0) = −(1/2π) (log(4 sin²(πx)) + ε)
///     F(x, γ) = Σ_{i=1}^{terms} cos(2πix) / (γi + 2πi² + ε),   ε = 1/4000.
///
/// The temperature enters only through γ(T). The sum over i is one matrix product over all
/// widths; cos(2πix) is evaluated on the fractional part of i·x.
public enum PaperDrudeKernel {
    public static let epsilon = 1.0 / 4000

    public static func lambda(gamma: [Double], reducedTime: [Double], terms: Int) -> Tensor<Double> {
        precondition(terms >= 1, "the series needs at least one term, got \(terms)")
        let nx = reducedTime.count
        var cosines = [Double](repeating: 0, count: terms * nx)
        for i in 1...terms {
            for k in 0..<nx {
                let phase = Double(i) * reducedTime[k]
                cosines[(i - 1) * nx + k] = cos(2 * Double.pi * (phase - phase.rounded(.down)))
            }
        }
        let cosineTensor = Tensor<Double>(shape: [terms, nx], scalars: cosines)
        let f0 = reducedTime.map { x -> Double in
            let s = sin(Double.pi * x)
            return -(log(4 * s * s) + epsilon) / (2 * Double.pi)
        }
        var result = [Double](repeating: 0, count: gamma.count * nx)
        let chunk = 2048
        for start in stride(from: 0, to: gamma.count, by: chunk) {
            let rows = min(chunk, gamma.count - start)
            var coefficients = [Double](repeating: 0, count: rows * terms)
            for r in 0..<rows {
                let g = gamma[start + r]
                for i in 1...terms {
                    let n = Double(i)
                    coefficients[r * terms + i - 1] = 1 / (g * n + 2 * Double.pi * n * n + epsilon)
                }
            }
            let series = Tensor<Double>(shape: [rows, terms], scalars: coefficients).matmul(cosineTensor).scalars
            for r in 0..<rows {
                let inverse = 1 / gamma[start + r]
                for k in 0..<nx { result[(start + r) * nx + k] = inverse + f0[k] + series[r * nx + k] }
            }
        }
        return Tensor(shape: [gamma.count, nx], scalars: result)
    }
}
