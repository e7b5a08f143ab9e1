import ComplexModule
import RealModule

/// A single-orbital Green's function: a mesh and one value per mesh point.
///
/// Orbital (and spin) indices are implicit: the impurity models of this toolkit have one
/// spin-degenerate orbital, so a function holds the per-spin component G_σ with layout
/// `values[meshIndex]` — the `[mesh, orbital, orbital]` layout of the architecture with
/// orbital dimensions 1 × 1 left out. Conventions (ħ = k_B = 1): G(τ) = −⟨T c(τ) c†(0)⟩, so
/// G(0⁺) = n − 1 and G(β⁻) = −n per spin; G(iω_n) = ∫₀^β dτ e^{iω_nτ} G(τ).
///
/// Arithmetic is element-wise and requires equal meshes (see `GreensFunction+Arithmetic`).
public struct GreensFunction<MeshType: Mesh>: Sendable, Equatable, CustomStringConvertible {
    public typealias Value = MeshType.Value

    /// The mesh the values live on.
    public let mesh: MeshType
    /// One value per mesh point, `values.count == mesh.count`.
    public private(set) var values: [Value]

    /// Throws ``GreensFunctionError/valueCountMismatch(mesh:meshCount:valueCount:)`` unless
    /// there is exactly one value per mesh point.
    public init(mesh: MeshType, values: [Value]) throws(GreensFunctionError) {
        guard values.count == mesh.count else {
            throw .valueCountMismatch(mesh: mesh.description, meshCount: mesh.count, valueCount: values.count)
        }
        self.mesh = mesh
        self.values = values
    }

    /// Internal: the caller guarantees `values.count == mesh.count`.
    init(uncheckedMesh mesh: MeshType, values: [Value]) {
        precondition(values.count == mesh.count, "\(values.count) values for \(mesh)")
        self.mesh = mesh
        self.values = values
    }

    /// All values zero.
    public init(zerosOn mesh: MeshType) {
        self.init(uncheckedMesh: mesh, values: Array(repeating: .zero, count: mesh.count))
    }

    /// Values from a function of the mesh index.
    public init(mesh: MeshType, valueAtIndex value: (Int) throws -> Value) rethrows {
        self.init(uncheckedMesh: mesh, values: try (0..<mesh.count).map(value))
    }

    /// The value at mesh index `index` (0..<mesh.count).
    public subscript(index: Int) -> Value {
        get { values[index] }
        set { values[index] = newValue }
    }

    /// Number of mesh points.
    public var count: Int { mesh.count }

    /// Throws ``GreensFunctionError/meshMismatch(_:_:)`` unless `other` lives on the same mesh.
    public func checkSameMesh<Other: Mesh>(_ other: GreensFunction<Other>) throws(GreensFunctionError) {
        guard let otherMesh = other.mesh as? MeshType, otherMesh == mesh else {
            throw .meshMismatch(mesh.description, other.mesh.description)
        }
    }

    /// Returns a function with the same mesh and `transform` applied to every value.
    public func mapValues(_ transform: (Value) throws -> Value) rethrows -> GreensFunction {
        GreensFunction(uncheckedMesh: mesh, values: try values.map(transform))
    }

    public var description: String { "GreensFunction on \(mesh)" }
}

/// G(iω_n), n = 0..<count, complex (see ``MatsubaraMesh``).
public typealias MatsubaraGreensFunction = GreensFunction<MatsubaraMesh>
/// G(τ_k) on τ_k = kβ/(count − 1), real.
public typealias ImaginaryTimeGreensFunction = GreensFunction<ImaginaryTimeMesh>
/// Legendre coefficients G_l, real.
public typealias LegendreGreensFunction = GreensFunction<LegendreMesh>
/// G(ω_k + iη) on a real-frequency mesh, complex.
public typealias RealFrequencyGreensFunction = GreensFunction<RealFrequencyMesh>

extension GreensFunction where MeshType == MatsubaraMesh {
    /// Values G(z) at z = iω_n.
    public init(mesh: MatsubaraMesh, function: (Complex<Double>) throws -> Complex<Double>) rethrows {
        self.init(uncheckedMesh: mesh, values: try mesh.imaginaryFrequencies.map(function))
    }

    /// G(iω_n) for any integer n, negative ones by G(−iω) = conj G(iω): a fermionic index
    /// n < 0 maps to conj G(iω_{−n−1}), a bosonic one to conj G(iΩ_{−n}).
    public func value(atFrequencyIndex n: Int) -> Complex<Double> {
        if n >= 0 { return values[n] }
        let mirrored = mesh.statistic == .fermion ? -n - 1 : -n
        return values[mirrored].conjugate
    }
}

extension GreensFunction where MeshType == ImaginaryTimeMesh {
    /// Values G(τ_k) from a function of τ (called with τ_0 = 0 and τ_last = β exactly; it
    /// should return the one-sided limits 0⁺ and β⁻ there).
    public init(mesh: ImaginaryTimeMesh, function: (Double) throws -> Double) rethrows {
        self.init(uncheckedMesh: mesh, values: try mesh.points.map(function))
    }
}

extension GreensFunction where MeshType == RealFrequencyMesh {
    /// Values G(ω_k) from a function of the real frequency ω (add the broadening iη yourself).
    public init(mesh: RealFrequencyMesh, function: (Double) throws -> Complex<Double>) rethrows {
        self.init(uncheckedMesh: mesh, values: try mesh.points.map(function))
    }

    /// The spectral function A(ω) = −Im G(ω + iη)/π at each mesh point.
    public var spectralFunction: [Double] { values.map { -$0.imaginary / Double.pi } }
}
