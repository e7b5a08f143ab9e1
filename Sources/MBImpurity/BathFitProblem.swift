import ComplexModule
import RealModule

/// How the fit parameters θ map onto the bath sites: site i has ε_i = s_i θ[e_i] (or 0) and
/// V_i = θ[v_i]. General: θ = (ε_0…ε_{Nb−1}, V_0…V_{Nb−1}). Particle–hole symmetric with
/// m = ⌊Nb/2⌋ pairs: θ = (ε_0…ε_{m−1}, V_0…V_{m−1}[, V_zero]), sites 2j, 2j+1 = (±ε_j, V_j).
struct BathParameterLayout {
    let energyIndex: [Int?]
    let energySign: [Double]
    let hoppingIndex: [Int]
    let parameterCount: Int
    let particleHoleSymmetric: Bool

    init(bathSites nb: Int, particleHoleSymmetric: Bool) {
        self.particleHoleSymmetric = particleHoleSymmetric
        if !particleHoleSymmetric {
            energyIndex = (0..<nb).map { $0 }
            energySign = [Double](repeating: 1, count: nb)
            hoppingIndex = (0..<nb).map { nb + $0 }
            parameterCount = 2 * nb
            return
        }
        let m = nb / 2
        var e: [Int?] = [], s: [Double] = [], v: [Int] = []
        for j in 0..<m {
            e += [j, j]
            s += [1, -1]
            v += [m + j, m + j]
        }
        if nb % 2 == 1 {
            e.append(nil)
            s.append(0)
            v.append(2 * m)
        }
        energyIndex = e
        energySign = s
        hoppingIndex = v
        parameterCount = 2 * m + nb % 2
    }

    /// θ from site energies and hoppings. Symmetric layout: pair j takes the j-th largest
    /// |ε| among the sites (each magnitude once) and hopping j; the odd site takes the last hopping.
    func parameters(energies: [Double], hoppings: [Double]) -> [Double] {
        if !particleHoleSymmetric { return energies + hoppings }
        let m = energyIndex.count / 2
        let magnitudes = energies.map { abs($0) }.sorted(by: >)
        var theta = (0..<m).map { magnitudes[2 * $0] } + hoppings.prefix(m)
        if energyIndex.count % 2 == 1 { theta.append(hoppings.last!) }
        return theta
    }

    func energies(_ theta: [Double]) -> [Double] {
        energyIndex.indices.map { i in energyIndex[i].map { energySign[i] * theta[$0] } ?? 0 }
    }

    func hoppings(_ theta: [Double]) -> [Double] { hoppingIndex.map { theta[$0] } }
}

/// The weighted least-squares problem of `BathFit` with residual vector
/// r = (√w̃_n Re(Δ_b − Δ)_n, √w̃_n Im(Δ_b − Δ)_n), w̃ = w/Σw, so χ² = ‖r‖².
struct BathFitProblem {
    let omegas: [Double]
    let target: [Complex<Double>]
    let rootWeights: [Double]
    let layout: BathParameterLayout

    func residuals(_ theta: [Double]) -> [Double] {
        let e = layout.energies(theta), v = layout.hoppings(theta)
        var r = [Double](repeating: 0, count: 2 * omegas.count)
        for (n, omega) in omegas.enumerated() {
            // V²/(iω − ε) = −V²(ε + iω)/(ε² + ω²).
            var re = 0.0, im = 0.0
            for i in e.indices {
                let s = v[i] * v[i] / (e[i] * e[i] + omega * omega)
                re -= s * e[i]
                im -= s * omega
            }
            r[2 * n] = rootWeights[n] * (re - target[n].real)
            r[2 * n + 1] = rootWeights[n] * (im - target[n].imaginary)
        }
        return r
    }

    /// J[row, p] = ∂r_row/∂θ_p, row-major [2N, P].
    func jacobian(_ theta: [Double]) -> [Double] {
        let e = layout.energies(theta), v = layout.hoppings(theta), p = layout.parameterCount
        var j = [Double](repeating: 0, count: 2 * omegas.count * p)
        for (n, omega) in omegas.enumerated() {
            let w = rootWeights[n], reRow = 2 * n * p, imRow = (2 * n + 1) * p
            for i in e.indices {
                // g = 1/(iω − ε) = (a, b) with a = −ε/(ε² + ω²), b = −ω/(ε² + ω²).
                let denominator = 1 / (e[i] * e[i] + omega * omega)
                let a = -e[i] * denominator, b = -omega * denominator
                // ∂/∂ε: V² g² = V² (a² − b², 2ab); ∂/∂V: 2V g.
                if let k = layout.energyIndex[i] {
                    let scale = w * layout.energySign[i] * v[i] * v[i]
                    j[reRow + k] += scale * (a * a - b * b)
                    j[imRow + k] += scale * 2 * a * b
                }
                let k = layout.hoppingIndex[i]
                j[reRow + k] += w * 2 * v[i] * a
                j[imRow + k] += w * 2 * v[i] * b
            }
        }
        return j
    }

    /// Levenberg–Marquardt from θ₀ (Marquardt's diagonal scaling, λ ÷3 on success, ×4 on failure);
    /// stops when χ² decreases by less than a relative 1e-12 five times running, or χ² < 1e-30.
    func levenbergMarquardt(from start: [Double], maximumIterations: Int) -> BathFitResult {
        let p = layout.parameterCount, rows = 2 * omegas.count
        var theta = start
        var r = residuals(theta)
        var cost = r.reduce(0) { $0 + $1 * $1 }
        var lambda = 1e-3, stalled = 0, iterations = 0
        while iterations < maximumIterations && stalled < 5 && cost > 1e-30 {
            iterations += 1
            let j = jacobian(theta)
            var a = [Double](repeating: 0, count: p * p), g = [Double](repeating: 0, count: p)
            for row in 0..<rows {
                for k in 0..<p {
                    let jk = j[row * p + k]
                    guard jk != 0 else { continue }
                    g[k] += jk * r[row]
                    for l in k..<p { a[k * p + l] += jk * j[row * p + l] }
                }
            }
            for k in 0..<p { for l in 0..<k { a[k * p + l] = a[l * p + k] } }
            let largestDiagonal = (0..<p).map { a[$0 * p + $0] }.max() ?? 1
            var accepted = false
            while lambda < 1e16 {
                var m = a
                for k in 0..<p { m[k * p + k] += lambda * max(a[k * p + k], 1e-12 * largestDiagonal) }
                guard let step = choleskySolve(m, g.map { -$0 }, n: p) else { lambda *= 4; continue }
                let trial = zip(theta, step).map { $0 + $1 }
                let trialResiduals = residuals(trial)
                let trialCost = trialResiduals.reduce(0) { $0 + $1 * $1 }
                if trialCost < cost {
                    stalled = (cost - trialCost) <= 1e-12 * cost ? stalled + 1 : 0
                    theta = trial
                    r = trialResiduals
                    cost = trialCost
                    lambda = max(lambda / 3, 1e-15)
                    accepted = true
                    break
                }
                lambda *= 4
            }
            if !accepted { break }
        }
        let energies = layout.energies(theta), hoppings = layout.hoppings(theta).map { abs($0) }
        let order = energies.indices.sorted { energies[$0] < energies[$1] }
        return BathFitResult(bathEnergies: order.map { energies[$0] }, bathHoppings: order.map { hoppings[$0] },
                             residual: cost.squareRoot(), iterations: iterations,
                             totalIterations: iterations)
    }
}

/// Solves M x = b for a symmetric positive definite n×n M (row-major) by Cholesky; nil if M
/// is not numerically positive definite.
func choleskySolve(_ m: [Double], _ b: [Double], n: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0...i {
            var sum = m[i * n + j]
            for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
            if i == j {
                guard sum > 0 else { return nil }
                l[i * n + i] = sum.squareRoot()
            } else {
                l[i * n + j] = sum / l[j * n + j]
            }
        }
    }
    var y = b
    for i in 0..<n {
        for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
        y[i] /= l[i * n + i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
        for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
        y[i] /= l[i * n + i]
    }
    return y
}
