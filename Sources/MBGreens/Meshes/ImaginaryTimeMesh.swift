import RealModule

/// A uniform imaginary-time mesh τ_k = kβ/(count − 1), k = 0..<count, including both ends.
///
/// The end points stand for the one-sided limits: index 0 is τ = 0⁺ and index count − 1 is
/// τ = β⁻, so a fermionic G(τ) stores G(0⁺) = n − 1 and G(β⁻) = −n (per spin). Units: 1/energy.
public struct ImaginaryTimeMesh: Mesh {
    public typealias Value = Double

    /// Inverse temperature β > 0.
    public let beta: Double
    /// Number of points including both ends (≥ 2).
    public let count: Int

    /// Throws ``GreensFunctionError`` for β ≤ 0 (or non-finite) and count < 2.
    public init(beta: Double, count: Int) throws(GreensFunctionError) {
        try MeshValidation.beta(beta)
        try MeshValidation.count(count, minimum: 2, mesh: "imaginary-time mesh")
        self.beta = beta
        self.count = count
    }

    /// The spacing h = β/(count − 1).
    public var spacing: Double { beta / Double(count - 1) }

    /// τ_k = kβ/(count − 1); the last point is exactly β.
    @inlinable
    public func time(_ k: Int) -> Double {
        k == count - 1 ? beta : Double(k) * beta / Double(count - 1)
    }

    public var points: [Double] { (0..<count).map(time) }

    public var description: String { "ImaginaryTimeMesh(β: \(beta), count: \(count))" }
}
