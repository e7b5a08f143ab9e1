import Foundation

/// One example of the study: a conductivity made of three Drude terms,
///
///     σ(ω, T) = Σ_k α_k γ_k(T) / (ω² + γ_k(T)²),   γ_k(T) = γ0_k + γ1_k T²,
///
/// with α on the simplex. Frequencies, temperatures and widths share one (arbitrary) energy
/// unit; each term integrates to ∫₀^∞ σ_k dω = π/2. The label of the paper is the 3×3 matrix
/// with rows [α_k, γ0_k, γ1_k].
public struct DrudeComponents: Sendable, Equatable {
    public var alpha: [Double]
    public var gamma0: [Double]
    public var gamma1: [Double]

    public init(alpha: [Double], gamma0: [Double], gamma1: [Double]) {
        precondition(alpha.count == gamma0.count && alpha.count == gamma1.count,
                     "α, γ0, γ1 need equal counts, got \(alpha.count), \(gamma0.count), \(gamma1.count)")
        self.alpha = alpha
        self.gamma0 = gamma0
        self.gamma1 = gamma1
    }

    /// From a row-major label [α_1, γ0_1, γ1_1, α_2, …].
    public init(label: some Collection<Double>) {
        let values = Array(label)
        precondition(values.count % 3 == 0, "a label has rows of 3 values, got \(values.count) values")
        let rows = values.count / 3
        self.init(alpha: (0..<rows).map { values[3 * $0] }, gamma0: (0..<rows).map { values[3 * $0 + 1] },
                  gamma1: (0..<rows).map { values[3 * $0 + 2] })
    }

    public var count: Int { alpha.count }

    /// The label as a row-major [count, 3] array of rows [α, γ0, γ1].
    public var label: [Double] { (0..<count).flatMap { [alpha[$0], gamma0[$0], gamma1[$0]] } }

    /// γ_k(T) = γ0_k + γ1_k T².
    public func gamma(_ k: Int, temperature: Double) -> Double { gamma0[k] + gamma1[k] * temperature * temperature }

    /// σ(ω, T).
    public func sigma(omega: Double, temperature: Double) -> Double {
        var total = 0.0
        for k in 0..<count {
            let g = gamma(k, temperature: temperature)
            total += alpha[k] * g / (omega * omega + g * g)
        }
        return total
    }

    /// σ(0, T) = Σ_k α_k / γ_k(T), the paper's equation (8).
    public func sigmaAtZero(temperature: Double) -> Double {
        (0..<count).reduce(0) { $0 + alpha[$1] / gamma($1, temperature: temperature) }
    }
}
