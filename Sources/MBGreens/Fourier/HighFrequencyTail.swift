import ComplexModule
import RealModule

/// The high-frequency expansion G(iω) ≈ c1/(iω) + c2/(iω)² + c3/(iω)³ and its imaginary-time
/// counterpart, used to make the Fourier transforms accurate.
///
/// For a fermionic Green's function c1 = 1 (the anticommutator), c2 = ∫ω A(ω) dω and
/// c3 = ∫ω² A(ω) dω are the first spectral moments; e.g. 1/(iω − ε) has c1 = 1, c2 = ε, c3 = ε².
/// In imaginary time (0 < τ < β) the terms are, for fermions,
///   1/(iω)  → −1/2,   1/(iω)² → (τ − β/2)/2,   1/(iω)³ → τ(β − τ)/4,
/// and for bosons (x = τ/β, the n = 0 term of the tail taken as zero; B_k Bernoulli polynomials)
///   1/(iΩ)^k → (−1)^{k+1} β^{k−1} B_k(x)/k!.
/// Hence the jumps at the boundary: fermions G(0⁺) + G(β⁻) = −c1, G′(0⁺) + G′(β⁻) = c2,
/// G″(0⁺) + G″(β⁻) = −c3; bosons G(β⁻) − G(0⁺) = c1, G′(0⁺) − G′(β⁻) = c2, G″(β⁻) − G″(0⁺) = c3.
public struct HighFrequencyTail: Sendable, Equatable, CustomStringConvertible {
    /// Coefficient of 1/(iω) (1 for a Green's function).
    public var c1: Double
    /// Coefficient of 1/(iω)².
    public var c2: Double
    /// Coefficient of 1/(iω)³.
    public var c3: Double

    public init(c1: Double = 1, c2: Double = 0, c3: Double = 0) {
        self.c1 = c1
        self.c2 = c2
        self.c3 = c3
    }

    /// c1/z + c2/z² + c3/z³ at z = iω; zero at z = 0 (the bosonic n = 0 point).
    public func value(at z: Complex<Double>) -> Complex<Double> {
        if z == .zero { return .zero }
        let inverse = 1 / z
        return inverse * (Complex(c1) + inverse * (Complex(c2) + inverse.multiplied(by: c3)))
    }

    /// The imaginary-time function whose Matsubara transform is the tail, at 0 ≤ τ ≤ β
    /// (τ = 0 and τ = β mean 0⁺ and β⁻).
    public func imaginaryTime(_ tau: Double, beta: Double, statistic: Statistic) -> Double {
        switch statistic {
        case .fermion:
            return -0.5 * c1 + 0.5 * (tau - 0.5 * beta) * c2 + 0.25 * tau * (beta - tau) * c3
        case .boson:
            let x = tau / beta
            let b1 = x - 0.5
            let b2 = x * x - x + 1.0 / 6
            let b3 = x * (x - 0.5) * (x - 1)
            return c1 * b1 - c2 * beta * b2 / 2 + c3 * beta * beta * b3 / 6
        }
    }

    public var description: String { "HighFrequencyTail(c1: \(c1), c2: \(c2), c3: \(c3))" }
}

extension HighFrequencyTail {
    /// Fits c2 and c3 by least squares on the highest frequencies with c1 fixed.
    ///
    /// Uses the top `fraction` of the mesh (at least 4 points, never the bosonic n = 0 point).
    /// The real part is fitted to −c2/ω² + c4/ω⁴ and the imaginary part minus −c1/ω to
    /// c3/ω³ − c5/ω⁵; the auxiliary c4, c5 absorb the next order and are discarded. Valid when
    /// the highest frequencies are far above the spectral width (ω_max ≫ band edges); for the
    /// transforms only a rough c2, c3 is needed, since errors enter G(τ) multiplied by the
    /// truncated tail sum T Σ_{n ≥ N} 1/ω_n² ≈ β/(2π²N).
    public static func fitted(to g: MatsubaraGreensFunction, c1: Double = 1,
                              fraction: Double = 0.25) throws(GreensFunctionError) -> HighFrequencyTail {
        guard fraction.isFinite, fraction > 0, fraction <= 1 else {
            throw .nonPositiveParameter(name: "tail-fit fraction (0 < fraction ≤ 1)", value: fraction)
        }
        let first = g.mesh.statistic == .boson ? 1 : 0
        let available = g.count - first
        guard available >= 4 else {
            throw .tooFewPoints(mesh: "tail fit on \(g.mesh)", count: g.count, minimum: 4 + first)
        }
        guard !g.hasNonFiniteValues else { throw .nonFiniteValues("Matsubara Green's function for the tail fit") }
        let used = min(available, max(4, Int((Double(g.count) * fraction).rounded())))
        let reference = g.mesh.frequency(g.count - 1)
        var real = LeastSquares2(), imaginary = LeastSquares2()
        for n in (g.count - used)..<g.count {
            let omega = g.mesh.frequency(n)
            let u = reference / omega
            let u2 = u * u
            real.add(u2, u2 * u2, g[n].real)
            imaginary.add(u2 * u, u2 * u2 * u, g[n].imaginary + c1 / omega)
        }
        let (a2, _) = real.solve()
        let (a3, _) = imaginary.solve()
        return HighFrequencyTail(c1: c1, c2: -a2 * reference * reference, c3: a3 * reference * reference * reference)
    }

    /// Reads the tail off imaginary-time data: c1 from the jump at the boundary, c2 and c3 from
    /// the jumps of the first and second derivatives, estimated by fourth-order one-sided
    /// differences (5 and 6 points; truncation error O(h⁴)). With fewer than 6 points only c1 is
    /// estimated and c2 = c3 = 0.
    public static func estimated(from g: ImaginaryTimeGreensFunction, statistic: Statistic) -> HighFrequencyTail {
        let f = g.values
        let last = f.count - 1
        let sign: Double = statistic == .fermion ? 1 : -1
        let c1 = statistic == .fermion ? -(f[0] + f[last]) : f[last] - f[0]
        guard f.count >= 6 else { return HighFrequencyTail(c1: c1) }
        let h = g.mesh.spacing
        // f'(0) and −f'(β) with the same stencil read backwards from the end.
        func slope(_ v: (Int) -> Double) -> Double {
            (-25 * v(0) + 48 * v(1) - 36 * v(2) + 16 * v(3) - 3 * v(4)) / (12 * h)
        }
        func curvature(_ v: (Int) -> Double) -> Double {
            (45 * v(0) - 154 * v(1) + 214 * v(2) - 156 * v(3) + 61 * v(4) - 10 * v(5)) / (12 * h * h)
        }
        let slopeStart = slope { f[$0] }, slopeEnd = -slope { f[last - $0] }
        let curvatureStart = curvature { f[$0] }, curvatureEnd = curvature { f[last - $0] }
        // Fermions: c2 = G′(0) + G′(β), c3 = −(G″(0) + G″(β)); bosons: c2 = G′(0) − G′(β), c3 = G″(β) − G″(0).
        let c2 = slopeStart + sign * slopeEnd
        let c3 = statistic == .fermion ? -(curvatureStart + curvatureEnd) : curvatureEnd - curvatureStart
        return HighFrequencyTail(c1: c1, c2: c2, c3: c3)
    }
}

/// Accumulates the normal equations of y ≈ a·p + b·q and solves them (Cramer's rule).
struct LeastSquares2 {
    private var pp = 0.0, pq = 0.0, qq = 0.0, py = 0.0, qy = 0.0

    mutating func add(_ p: Double, _ q: Double, _ y: Double) {
        pp += p * p
        pq += p * q
        qq += q * q
        py += p * y
        qy += q * y
    }

    func solve() -> (Double, Double) {
        let determinant = pp * qq - pq * pq
        guard determinant > 1e-14 * pp * qq else { return (pp > 0 ? py / pp : 0, 0) }
        return ((py * qq - qy * pq) / determinant, (pp * qy - pq * py) / determinant)
    }
}
