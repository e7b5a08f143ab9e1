import ComplexModule
import RealModule

/// Element-wise arithmetic. Between two functions the meshes must be equal (a precondition
/// that prints both meshes: a mismatch is a programmer error; use
/// ``GreensFunction/checkSameMesh(_:)`` to validate user input first). Products and
/// quotients are point-wise, which is the matrix product for the implicit 1 × 1 orbital block.
extension GreensFunction {
    @usableFromInline
    static func requireSameMesh(_ lhs: GreensFunction, _ rhs: GreensFunction, _ operation: String) {
        precondition(lhs.mesh == rhs.mesh, "\(operation) between Green's functions on different meshes: \(lhs.mesh) vs \(rhs.mesh)")
    }

    static func combine(_ lhs: GreensFunction, _ rhs: GreensFunction, _ operation: String,
                        _ combine: (Value, Value) -> Value) -> GreensFunction {
        requireSameMesh(lhs, rhs, operation)
        return GreensFunction(uncheckedMesh: lhs.mesh, values: zip(lhs.values, rhs.values).map(combine))
    }

    public static func + (lhs: GreensFunction, rhs: GreensFunction) -> GreensFunction { combine(lhs, rhs, "+", +) }
    public static func - (lhs: GreensFunction, rhs: GreensFunction) -> GreensFunction { combine(lhs, rhs, "-", -) }
    public static func * (lhs: GreensFunction, rhs: GreensFunction) -> GreensFunction { combine(lhs, rhs, "*", *) }
    public static func / (lhs: GreensFunction, rhs: GreensFunction) -> GreensFunction { combine(lhs, rhs, "/", /) }

    public static prefix func - (operand: GreensFunction) -> GreensFunction { operand.mapValues { -$0 } }

    public static func + (lhs: GreensFunction, rhs: Value) -> GreensFunction { lhs.mapValues { $0 + rhs } }
    public static func + (lhs: Value, rhs: GreensFunction) -> GreensFunction { rhs.mapValues { lhs + $0 } }
    public static func - (lhs: GreensFunction, rhs: Value) -> GreensFunction { lhs.mapValues { $0 - rhs } }
    public static func - (lhs: Value, rhs: GreensFunction) -> GreensFunction { rhs.mapValues { lhs - $0 } }
    public static func * (lhs: GreensFunction, rhs: Value) -> GreensFunction { lhs.mapValues { $0 * rhs } }
    public static func * (lhs: Value, rhs: GreensFunction) -> GreensFunction { rhs.mapValues { lhs * $0 } }
    public static func / (lhs: GreensFunction, rhs: Value) -> GreensFunction { lhs.mapValues { $0 / rhs } }
    public static func / (lhs: Value, rhs: GreensFunction) -> GreensFunction { rhs.mapValues { lhs / $0 } }

    public static func += (lhs: inout GreensFunction, rhs: GreensFunction) { lhs = lhs + rhs }
    public static func -= (lhs: inout GreensFunction, rhs: GreensFunction) { lhs = lhs - rhs }
    public static func *= (lhs: inout GreensFunction, rhs: GreensFunction) { lhs = lhs * rhs }
    public static func /= (lhs: inout GreensFunction, rhs: GreensFunction) { lhs = lhs / rhs }

    /// The point-wise inverse 1/G (the matrix inverse of the implicit 1 × 1 orbital block),
    /// e.g. G⁻¹(iω) for Dyson's equation Σ = G₀⁻¹ − G⁻¹. A zero value gives an infinite or NaN
    /// entry (IEEE), not a trap.
    public func inverted() -> GreensFunction { mapValues { 1 / $0 } }
}

/// Real scalars with complex-valued functions (Matsubara and real frequency).
extension GreensFunction where Value == Complex<Double> {
    public static func + (lhs: GreensFunction, rhs: Double) -> GreensFunction { lhs + Complex(rhs) }
    public static func + (lhs: Double, rhs: GreensFunction) -> GreensFunction { Complex(lhs) + rhs }
    public static func - (lhs: GreensFunction, rhs: Double) -> GreensFunction { lhs - Complex(rhs) }
    public static func - (lhs: Double, rhs: GreensFunction) -> GreensFunction { Complex(lhs) - rhs }
    public static func * (lhs: GreensFunction, rhs: Double) -> GreensFunction { lhs.mapValues { $0.multiplied(by: rhs) } }
    public static func * (lhs: Double, rhs: GreensFunction) -> GreensFunction { rhs.mapValues { $0.multiplied(by: lhs) } }
    public static func / (lhs: GreensFunction, rhs: Double) -> GreensFunction { lhs.mapValues { $0.divided(by: rhs) } }

    /// True if any real or imaginary part is NaN or infinite.
    public var hasNonFiniteValues: Bool { values.contains { !$0.real.isFinite || !$0.imaginary.isFinite } }
}

extension GreensFunction where Value == Double {
    /// True if any value is NaN or infinite.
    public var hasNonFiniteValues: Bool { values.contains { !$0.isFinite } }
}
