/// A clamped cubic spline through uniformly spaced samples f_k = f(x₀ + kh), k = 0..<count.
///
/// The end slopes are given or, by default, estimated with fourth-order one-sided differences,
/// which keeps the interpolation error O(h⁴) up to the ends (a "natural" spline would drop to
/// O(h²) there). The second derivatives solve the usual tridiagonal system (Thomas algorithm).
public struct CubicSpline: Sendable {
    let start: Double
    let spacing: Double
    let values: [Double]
    /// Second derivatives at the knots.
    let curvatures: [Double]

    public init(start: Double, spacing: Double, values: [Double], startSlope: Double? = nil, endSlope: Double? = nil) {
        precondition(values.count >= 2, "a cubic spline needs at least 2 samples, got \(values.count)")
        self.start = start
        self.spacing = spacing
        self.values = values
        let n = values.count
        let h = spacing
        let f = values
        let defaultSlopes = CubicSpline.endSlopes(values, spacing: h)
        let slope0 = startSlope ?? defaultSlopes.start
        let slope1 = endSlope ?? defaultSlopes.end
        // Rows: h/3 M0 + h/6 M1 = (f1 − f0)/h − f′0; h/6 M_{k−1} + 2h/3 M_k + h/6 M_{k+1} = Δ²f/h;
        // h/6 M_{n−2} + h/3 M_{n−1} = f′_{n−1} − (f_{n−1} − f_{n−2})/h.
        var lower = [Double](repeating: h / 6, count: n)
        var diagonal = [Double](repeating: 2 * h / 3, count: n)
        var upper = [Double](repeating: h / 6, count: n)
        var rhs = [Double](repeating: 0, count: n)
        diagonal[0] = h / 3
        diagonal[n - 1] = h / 3
        lower[0] = 0
        upper[n - 1] = 0
        rhs[0] = (f[1] - f[0]) / h - slope0
        rhs[n - 1] = slope1 - (f[n - 1] - f[n - 2]) / h
        if n > 2 {
            for k in 1..<(n - 1) { rhs[k] = (f[k + 1] - 2 * f[k] + f[k - 1]) / h }
        }
        for k in 1..<n {
            let factor = lower[k] / diagonal[k - 1]
            diagonal[k] -= factor * upper[k - 1]
            rhs[k] -= factor * rhs[k - 1]
        }
        var m = [Double](repeating: 0, count: n)
        m[n - 1] = rhs[n - 1] / diagonal[n - 1]
        for k in stride(from: n - 2, through: 0, by: -1) { m[k] = (rhs[k] - upper[k] * m[k + 1]) / diagonal[k] }
        curvatures = m
    }

    /// Fourth-order one-sided slopes (second order with 3–4 samples, the chord with 2).
    static func endSlopes(_ f: [Double], spacing h: Double) -> (start: Double, end: Double) {
        let n = f.count
        func forward(_ v: (Int) -> Double) -> Double {
            if n >= 5 { return (-25 * v(0) + 48 * v(1) - 36 * v(2) + 16 * v(3) - 3 * v(4)) / (12 * h) }
            if n >= 3 { return (-3 * v(0) + 4 * v(1) - v(2)) / (2 * h) }
            return (v(1) - v(0)) / h
        }
        return (forward { f[$0] }, -forward { f[n - 1 - $0] })
    }

    /// The spline on interval `index` (between knots index and index + 1) at local offset
    /// t = x − x_index ∈ [0, h].
    @inline(__always)
    func value(interval index: Int, offset t: Double) -> Double {
        let h = spacing
        let a = h - t
        let m0 = curvatures[index], m1 = curvatures[index + 1]
        return (m0 * a * a * a + m1 * t * t * t) / (6 * h)
            + (values[index] / h - m0 * h / 6) * a + (values[index + 1] / h - m1 * h / 6) * t
    }

    /// The spline at x (clamped to the sampled range).
    public func callAsFunction(_ x: Double) -> Double {
        let intervals = values.count - 1
        let position = (x - start) / spacing
        let index = min(max(Int(position.rounded(.down)), 0), intervals - 1)
        return value(interval: index, offset: x - (start + Double(index) * spacing))
    }
}
