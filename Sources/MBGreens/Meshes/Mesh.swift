import RealModule

/// A set of points on which a single-orbital Green's function is stored.
///
/// Meshes are immutable values that know their points and compare with `==` (so arithmetic
/// between Green's functions can check that they agree). `Value` is the element type of a
/// Green's function on the mesh: complex on frequency meshes, real on imaginary time and for
/// Legendre coefficients. `points` are given in the mesh's natural unit (energy for frequencies,
/// inverse energy for τ, the order l for Legendre), in units where ħ = k_B = 1.
public protocol Mesh: Sendable, Equatable, CustomStringConvertible {
    associatedtype Value: AlgebraicField & Sendable
    /// Number of points.
    var count: Int { get }
    /// The points, index `0..<count`.
    var points: [Double] { get }
}

/// The statistic of a Matsubara mesh: fermionic ω_n = (2n+1)π/β or bosonic Ω_n = 2nπ/β.
public enum Statistic: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case fermion
    case boson

    public var description: String {
        switch self {
        case .fermion: return "fermionic"
        case .boson: return "bosonic"
        }
    }
}

enum MeshValidation {
    static func beta(_ beta: Double) throws(GreensFunctionError) {
        guard beta.isFinite, beta > 0 else { throw .nonPositiveBeta(beta) }
    }

    static func count(_ count: Int, minimum: Int, mesh: String) throws(GreensFunctionError) {
        guard count >= minimum else { throw .tooFewPoints(mesh: mesh, count: count, minimum: minimum) }
    }
}
