import ComplexModule
import MBTensor
import RealModule

extension GreensFunction where MeshType == ImaginaryTimeMesh {
    /// Legendre coefficients G_l = √(2l+1) ∫₀^β dτ P_l(2τ/β − 1) G(τ), l = 0..<mesh.count.
    ///
    /// G(τ) is interpolated by a clamped cubic spline (end slopes from fourth-order one-sided
    /// differences, so the interpolation error is O(h⁴) everywhere) and the integral is done
    /// exactly enough on every spline interval with an 8-point Gauss–Legendre rule (exact for
    /// polynomials of degree 15, i.e. cubic × P_l while P_l is resolved by the τ mesh). The
    /// error is dominated by the spline, ~ h⁴ max|G⁗| · β · √(2l+1) with h = β/(count − 1).
    ///
    /// Throws if β differs between the meshes or for non-finite values.
    public func legendreTransformed(to mesh: LegendreMesh) throws(GreensFunctionError) -> LegendreGreensFunction {
        guard mesh.beta == self.mesh.beta else { throw .meshMismatch(self.mesh.description, mesh.description) }
        guard !hasNonFiniteValues else { throw .nonFiniteValues("imaginary-time Green's function") }
        let beta = mesh.beta
        let h = self.mesh.spacing
        let spline = CubicSpline(start: 0, spacing: h, values: values)
        let rule = GaussLegendre.rule(points: 8)
        let orders = mesh.count
        var coefficients = [Double](repeating: 0, count: orders)
        var polynomials = [Double](repeating: 0, count: orders)
        for interval in 0..<(count - 1) {
            let left = Double(interval) * h
            for (node, weight) in zip(rule.nodes, rule.weights) {
                let offset = 0.5 * h * (node + 1)
                let w = 0.5 * h * weight * spline.value(interval: interval, offset: offset)
                LegendreBasis.fillPolynomials(&polynomials, at: 2 * (left + offset) / beta - 1)
                for l in 0..<orders { coefficients[l] += w * polynomials[l] }
            }
        }
        for l in 0..<orders { coefficients[l] *= Double(2 * l + 1).squareRoot() }
        return LegendreGreensFunction(uncheckedMesh: mesh, values: coefficients)
    }
}

extension GreensFunction where MeshType == LegendreMesh {
    /// G(τ) = Σ_l √(2l+1)/β · P_l(2τ/β − 1) · G_l at one τ in [0, β].
    public func value(atTime tau: Double) -> Double {
        let beta = mesh.beta
        let polynomials = LegendreBasis.polynomials(count: count, at: 2 * tau / beta - 1)
        var sum = 0.0
        for l in 0..<count { sum += Double(2 * l + 1).squareRoot() * polynomials[l] * values[l] }
        return sum / beta
    }

    /// G(τ_k) = Σ_l √(2l+1)/β · P_l(2τ_k/β − 1) · G_l on an imaginary-time mesh (ends are the
    /// one-sided limits 0⁺ and β⁻, which the smooth expansion reproduces).
    public func imaginaryTime(on mesh: ImaginaryTimeMesh) throws(GreensFunctionError) -> ImaginaryTimeGreensFunction {
        guard mesh.beta == self.mesh.beta else { throw .meshMismatch(self.mesh.description, mesh.description) }
        return ImaginaryTimeGreensFunction(uncheckedMesh: mesh, values: mesh.points.map(value(atTime:)))
    }

    /// G(iω_n) = Σ_l T_nl G_l with T_nl from ``LegendreBasis/matsubaraCoefficients(frequencyIndex:count:statistic:)``
    /// (exact for the truncated expansion; no tail is needed, the expansion has its own).
    public func matsubara(on mesh: MatsubaraMesh) throws(GreensFunctionError) -> MatsubaraGreensFunction {
        guard mesh.beta == self.mesh.beta else { throw .meshMismatch(self.mesh.description, mesh.description) }
        let result = (0..<mesh.count).map { n -> Complex<Double> in
            let t = LegendreBasis.matsubaraCoefficients(frequencyIndex: n, count: count, statistic: mesh.statistic)
            var sum = Complex<Double>.zero
            for l in 0..<count { sum += t[l].multiplied(by: values[l]) }
            return sum
        }
        return MatsubaraGreensFunction(uncheckedMesh: mesh, values: result)
    }

    /// The high-frequency tail implied by the coefficients (Boehnke et al. 2011, eq. 8 ff.):
    /// c1 = −Σ_{l even} 2√(2l+1) G_l/β, c2 = Σ_{l odd} 2√(2l+1) l(l+1) G_l/β²,
    /// c3 = −Σ_{l even} √(2l+1) (l+2)(l+1)l(l−1) G_l/β³ (fermions).
    public var highFrequencyTail: HighFrequencyTail {
        let beta = mesh.beta
        var c1 = 0.0, c2 = 0.0, c3 = 0.0
        for l in 0..<count {
            let s = Double(2 * l + 1).squareRoot() * values[l]
            let d = Double(l)
            if l % 2 == 0 {
                c1 -= 2 * s / beta
                c3 -= s * (d + 2) * (d + 1) * d * (d - 1) / (beta * beta * beta)
            } else {
                c2 += 2 * s * d * (d + 1) / (beta * beta)
            }
        }
        return HighFrequencyTail(c1: c1, c2: c2, c3: c3)
    }
}
