import ComplexModule
import RealModule
import Foundation
import MBGreens
import MBTensor

/// From G on the database's x grid (or its Legendre coefficients) to G(iω_n).
///
/// A function δ(x_k) on the P grid points is expanded in Legendre polynomials by least squares,
///
///     δ(x) ≈ Σ_{l<L} √(2l+1) P_l(x) d_l,   d = A⁺ δ,   A_kl = √(2l+1) P_l(x_k),
///
/// (A⁺ the pseudo-inverse, computed once per (P, L) by SVD; with L = P it interpolates), and
/// transformed exactly with the Legendre–Matsubara matrix (Boehnke et al. 2011):
///
///     δ(iω_n) = β Σ_l T_nl d_l,   T_nl = (−1)^n i^{l+1} √(2l+1) j_l((2n+1)π/2),
///
/// since d_l = G_l/β (`ImaginaryTimeRepresentation`). On the Chebyshev–Lobatto points the fit is
/// well conditioned; the learned solver applies it to the network's correction to the first input
/// solver, which is smoother than G itself, and adds the first input's own G(iω_n).
public struct GridFourierTransform: Sendable {
    public let pointCount: Int
    public let legendreCount: Int
    /// A⁺, row-major [L, P].
    public let fit: [Double]

    public init(points: [Double], legendreCount: Int) throws {
        precondition(legendreCount >= 1 && legendreCount <= points.count,
                     "the Legendre fit needs 1 ≤ L ≤ P, got L = \(legendreCount), P = \(points.count)")
        pointCount = points.count
        self.legendreCount = legendreCount
        var a = [Double](repeating: 0, count: points.count * legendreCount)
        for (k, x) in points.enumerated() {
            let p = LegendreBasis.polynomials(count: legendreCount, at: x)
            for l in 0..<legendreCount { a[k * legendreCount + l] = Double(2 * l + 1).squareRoot() * p[l] }
        }
        let identity: Tensor<Double> = LinearAlgebra.identity(points.count)
        let solution = try LinearAlgebra.leastSquares(Tensor(shape: [points.count, legendreCount], scalars: a), identity)
        fit = solution.solution.scalars
    }

    /// d_l, l < L, of values on the grid.
    public func legendreCoefficients(_ values: [Double]) -> [Double] {
        precondition(values.count == pointCount, "\(values.count) values for a grid of \(pointCount) points")
        return (0..<legendreCount).map { l in
            var sum = 0.0
            for k in 0..<pointCount { sum += fit[l * pointCount + k] * values[k] }
            return sum
        }
    }

    /// The matrix T_nl, n < count, l < legendreCount, row-major.
    public static func matsubaraMatrix(count: Int, legendreCount: Int) -> [Complex<Double>] {
        (0..<count).flatMap { LegendreBasis.matsubaraCoefficients(frequencyIndex: $0, count: legendreCount, statistic: .fermion) }
    }

    /// β Σ_l T_nl d_l for n < count, with `matrix` from `matsubaraMatrix(count:legendreCount:)`
    /// (d.count columns).
    public static func matsubara(legendre d: [Double], beta: Double, matrix: [Complex<Double>], count: Int) -> [Complex<Double>] {
        let columns = d.count
        precondition(matrix.count >= count * columns, "the Legendre–Matsubara matrix has \(matrix.count) entries, need \(count * columns)")
        return (0..<count).map { n in
            var re = 0.0, im = 0.0
            for l in 0..<columns {
                let t = matrix[n * columns + l]
                re += t.real * d[l]
                im += t.imaginary * d[l]
            }
            return Complex(beta * re, beta * im)
        }
    }
}
