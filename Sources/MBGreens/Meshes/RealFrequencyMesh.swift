import ComplexModule
import RealModule

/// A uniform real-frequency mesh ω_k = lower + k(upper − lower)/(count − 1), both ends included
/// (energy units). Used for retarded functions G(ω + iη) and spectra A(ω) = −Im G(ω + iη)/π.
public struct RealFrequencyMesh: Mesh {
    public typealias Value = Complex<Double>

    /// The closed window [lower, upper].
    public let range: ClosedRange<Double>
    /// Number of points including both ends (≥ 2).
    public let count: Int

    /// Throws ``GreensFunctionError`` for a non-finite or empty range and count < 2.
    public init(range: ClosedRange<Double>, count: Int) throws(GreensFunctionError) {
        guard range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound else {
            throw .invalidFrequencyRange(lower: range.lowerBound, upper: range.upperBound)
        }
        try MeshValidation.count(count, minimum: 2, mesh: "real-frequency mesh")
        self.range = range
        self.count = count
    }

    /// The spacing (upper − lower)/(count − 1).
    public var spacing: Double { (range.upperBound - range.lowerBound) / Double(count - 1) }

    /// ω_k; the last point is exactly the upper bound.
    public func frequency(_ k: Int) -> Double {
        k == count - 1 ? range.upperBound : range.lowerBound + Double(k) * spacing
    }

    public var points: [Double] { (0..<count).map(frequency) }

    public var description: String { "RealFrequencyMesh(\(range.lowerBound)...\(range.upperBound), count: \(count))" }
}
