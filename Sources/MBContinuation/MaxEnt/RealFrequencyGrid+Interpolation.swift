extension RealFrequencyGrid {
    /// σ at arbitrary frequencies from its values on the grid, by monotone piecewise-cubic
    /// Hermite interpolation (PCHIP: Fritsch–Carlson with the Fritsch–Butland harmonic-mean
    /// slopes, as SciPy's `PchipInterpolator`), so no new extrema or negative values appear
    /// between grid points.
    ///
    /// σ is even, so the slope at ω = 0 (if the grid starts there) is 0 and a query at −ω
    /// returns σ(ω). Queries beyond the last grid point return the last value.
    public func interpolate(_ sigma: [Double], at frequencies: [Double]) -> [Double] {
        precondition(sigma.count == count, "interpolate: \(sigma.count) values for a grid of \(count) frequencies")
        let slopes = pchipSlopes(sigma)
        return frequencies.map { query in
            let x = abs(query)
            if x <= omega[0] { return sigma[0] }
            if x >= omega[count - 1] { return sigma[count - 1] }
            var low = 0, high = count - 1
            while high - low > 1 {
                let middle = (low + high) / 2
                if omega[middle] <= x { low = middle } else { high = middle }
            }
            let h = omega[high] - omega[low]
            let t = (x - omega[low]) / h
            let t2 = t * t, t3 = t2 * t
            return (2 * t3 - 3 * t2 + 1) * sigma[low] + (t3 - 2 * t2 + t) * h * slopes[low]
                + (-2 * t3 + 3 * t2) * sigma[high] + (t3 - t2) * h * slopes[high]
        }
    }

    /// PCHIP node slopes: zero at local extrema, weighted harmonic means of the secants inside,
    /// the shape-preserving three-point formula at the last node, and 0 at ω = 0.
    func pchipSlopes(_ y: [Double]) -> [Double] {
        let n = count
        var secant = [Double](repeating: 0, count: n - 1)
        for k in 0..<(n - 1) { secant[k] = (y[k + 1] - y[k]) / (omega[k + 1] - omega[k]) }
        var d = [Double](repeating: 0, count: n)
        for k in 1..<(n - 1) where secant[k - 1] * secant[k] > 0 {
            let h0 = omega[k] - omega[k - 1], h1 = omega[k + 1] - omega[k]
            let w1 = 2 * h1 + h0, w2 = h1 + 2 * h0
            d[k] = (w1 + w2) / (w1 / secant[k - 1] + w2 / secant[k])
        }
        d[0] = omega[0] == 0 ? 0 : endSlope(h0: omega[1] - omega[0], h1: n > 2 ? omega[2] - omega[1] : 1,
                                            m0: secant[0], m1: n > 2 ? secant[1] : secant[0])
        d[n - 1] = endSlope(h0: omega[n - 1] - omega[n - 2], h1: n > 2 ? omega[n - 2] - omega[n - 3] : 1,
                            m0: secant[n - 2], m1: n > 2 ? secant[n - 3] : secant[n - 2])
        return d
    }

    /// SciPy's one-sided three-point end slope with the PCHIP shape constraints.
    private func endSlope(h0: Double, h1: Double, m0: Double, m1: Double) -> Double {
        var d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
        if (d > 0) != (m0 > 0) || d == 0 {
            d = 0
        } else if (m0 > 0) != (m1 > 0), abs(d) > abs(3 * m0) {
            d = 3 * m0
        }
        return d
    }
}
