import ComplexModule
import RealModule

/// Non-negative Matsubara frequencies at inverse temperature β (energy units, ħ = k_B = 1).
///
/// Stores n = 0..<count: fermionic ω_n = (2n+1)π/β or bosonic Ω_n = 2nπ/β. Negative frequencies
/// are implied by the symmetry of a real-time-reversal-invariant function,
/// G(−iω_n) = conj G(iω_n), and are never stored.
public struct MatsubaraMesh: Mesh {
    public typealias Value = Complex<Double>

    /// Inverse temperature β > 0.
    public let beta: Double
    /// Number of stored frequencies, n = 0..<count.
    public let count: Int
    /// Fermionic or bosonic frequencies.
    public let statistic: Statistic

    /// Throws ``GreensFunctionError`` for β ≤ 0 (or non-finite) and count < 1.
    public init(beta: Double, count: Int, statistic: Statistic = .fermion) throws(GreensFunctionError) {
        try MeshValidation.beta(beta)
        try MeshValidation.count(count, minimum: 1, mesh: "Matsubara mesh")
        self.beta = beta
        self.count = count
        self.statistic = statistic
    }

    /// The frequency of index n: (2n+1)π/β (fermion) or 2nπ/β (boson).
    @inlinable
    public func frequency(_ n: Int) -> Double {
        switch statistic {
        case .fermion: return Double(2 * n + 1) * Double.pi / beta
        case .boson: return Double(2 * n) * Double.pi / beta
        }
    }

    /// The frequencies ω_n, n = 0..<count.
    public var points: [Double] { (0..<count).map(frequency) }

    /// The points iω_n as complex numbers.
    public var imaginaryFrequencies: [Complex<Double>] { (0..<count).map { Complex(0, frequency($0)) } }

    public var description: String { "MatsubaraMesh(β: \(beta), count: \(count), \(statistic))" }
}
