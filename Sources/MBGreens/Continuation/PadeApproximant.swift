import ComplexModule
import RealModule

/// The N-point Padé approximant as a Thiele continued fraction (Vidberg & Serene,
/// J. Low Temp. Phys. 29, 179 (1977)):
/// C(z) = a_0 / (1 + a_1(z − z_0) / (1 + a_2(z − z_1) / (1 + … a_{N−1}(z − z_{N−2})))),
/// which interpolates the data, C(z_i) = u_i, with coefficients from the recursion
/// g_0(z_i) = u_i, g_p(z_i) = (g_{p−1}(z_{p−1}) − g_{p−1}(z_i)) / ((z_i − z_{p−1}) g_{p−1}(z_i)),
/// a_p = g_p(z_p).
///
/// Instability: the recursion is computed in Double and cancels digits at every level, so the
/// approximant of exact data degrades once the coefficients reach rounding level (spurious
/// pole–zero pairs appear), and noisy data (Monte Carlo) are amplified strongly. Use a few
/// tens of the lowest Matsubara points for exact data and far fewer for noisy data; multiprecision
/// (Beach, Gooding, Marsiglio, PRB 61, 5147 (2000)) or MaxEnt are the remedies. Test the result.
public struct PadeApproximant: Sendable, Equatable {
    /// The interpolation points z_0 … z_{N−1} (e.g. iω_n).
    public let points: [Complex<Double>]
    /// The continued-fraction coefficients a_0 … a_{N−1}.
    public let coefficients: [Complex<Double>]

    /// Throws ``GreensFunctionError/padeBreakdown(index:)`` if a coefficient is not finite
    /// (a zero denominator: repeated points or data that are exactly rational of lower
    /// order, in which case fewer points suffice), and for empty, mismatched or non-finite input.
    public init(points: [Complex<Double>], values: [Complex<Double>]) throws(GreensFunctionError) {
        guard !points.isEmpty else { throw .tooFewPoints(mesh: "Padé approximant", count: 0, minimum: 1) }
        guard points.count == values.count else {
            throw .valueCountMismatch(mesh: "Padé points", meshCount: points.count, valueCount: values.count)
        }
        guard (points + values).allSatisfy({ $0.real.isFinite && $0.imaginary.isFinite }) else {
            throw .nonFiniteValues("Padé input")
        }
        let count = points.count
        var g = values
        var coefficients = [Complex<Double>](repeating: .zero, count: count)
        coefficients[0] = g[0]
        for p in 1..<max(count, 1) {
            let previous = g[p - 1]
            for i in p..<count {
                g[i] = (previous - g[i]) / ((points[i] - points[p - 1]) * g[i])
            }
            coefficients[p] = g[p]
            guard g[p].real.isFinite, g[p].imaginary.isFinite else { throw .padeBreakdown(index: p) }
        }
        self.points = points
        self.coefficients = coefficients
    }

    /// C(z), evaluated from the bottom of the continued fraction up.
    public func callAsFunction(_ z: Complex<Double>) -> Complex<Double> {
        var denominator = Complex<Double>(1)
        for p in stride(from: coefficients.count - 1, through: 1, by: -1) {
            denominator = 1 + coefficients[p] * (z - points[p - 1]) / denominator
        }
        return coefficients[0] / denominator
    }
}

extension GreensFunction where MeshType == MatsubaraMesh {
    /// Continues G(iω_n) to G(ω + iη) on a real-frequency mesh with the Padé approximant
    /// through the first `pointCount` Matsubara points (default min(count, 64)); the spectrum is
    /// then `result.spectralFunction` = −Im G(ω + iη)/π. See ``PadeApproximant`` for the
    /// (serious) limits of this method in double precision.
    public func padeContinuation(to mesh: RealFrequencyMesh, pointCount: Int? = nil,
                                 broadening: Double = 0.01) throws(GreensFunctionError) -> RealFrequencyGreensFunction {
        let used = pointCount ?? Swift.min(count, 64)
        guard used >= 1, used <= count else {
            throw .tooFewPoints(mesh: "Padé continuation from \(self.mesh) with pointCount \(used) (must be 1...\(count))",
                                count: used, minimum: 1)
        }
        guard broadening.isFinite, broadening > 0 else { throw .nonPositiveParameter(name: "broadening η", value: broadening) }
        let approximant = try PadeApproximant(points: Array(self.mesh.imaginaryFrequencies.prefix(used)), values: Array(values.prefix(used)))
        return RealFrequencyGreensFunction(mesh: mesh) { omega in approximant(Complex(omega, broadening)) }
    }
}
