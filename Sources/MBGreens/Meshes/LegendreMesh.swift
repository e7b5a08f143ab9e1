import RealModule

/// Legendre orders l = 0..<count at inverse temperature β.
///
/// A Green's function on this mesh holds the coefficients G_l of
/// G(τ) = Σ_l √(2l+1)/β · P_l(2τ/β − 1) · G_l, G_l = √(2l+1) ∫₀^β dτ P_l(2τ/β − 1) G(τ)
/// (Boehnke et al., Phys. Rev. B 84, 075145 (2011)). `points` are the orders l as Doubles.
public struct LegendreMesh: Mesh {
    public typealias Value = Double

    /// Inverse temperature β > 0.
    public let beta: Double
    /// Number of coefficients, l = 0..<count.
    public let count: Int

    /// Throws ``GreensFunctionError`` for β ≤ 0 (or non-finite) and count < 1.
    public init(beta: Double, count: Int) throws(GreensFunctionError) {
        try MeshValidation.beta(beta)
        try MeshValidation.count(count, minimum: 1, mesh: "Legendre mesh")
        self.beta = beta
        self.count = count
    }

    public var points: [Double] { (0..<count).map(Double.init) }

    public var description: String { "LegendreMesh(β: \(beta), count: \(count))" }
}
