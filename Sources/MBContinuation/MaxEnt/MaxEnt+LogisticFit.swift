import Foundation

extension MaxEnt {
    /// The "fermi-like" curve y = a + b / (1 + exp(−d (x − c))) fitted to (log10 α, log10 χ²) for
    /// the χ²-kink rule (Kaufmann & Held, ana_cont, Comput. Phys. Commun. 282, 108519 (2023)):
    /// χ² falls from the default model's misfit (upper plateau, large α) to the noise floor
    /// (lower plateau, small α); the kink where the fit starts to fit noise is at
    /// log10 α = c − fitPosition / d.
    struct LogisticFit {
        var a: Double, b: Double, c: Double, d: Double

        func callAsFunction(_ x: Double) -> Double { a + b * Self.sigmoid(d * (x - c)) }

        static func sigmoid(_ z: Double) -> Double {
            z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
        }

        /// Levenberg–Marquardt least squares from a start read off the data; nil if the data
        /// have no step (b ≤ 0) or the fit does not end with b > 0 and d > 0.
        static func fit(x: [Double], y: [Double]) -> LogisticFit? {
            guard x.count >= 4, let low = y.min(), let high = y.max(), high - low > 1e-9 else { return nil }
            let middle = (low + high) / 2
            var center = x[x.count / 2], slope = 0.0
            for i in 1..<x.count where (y[i - 1] - middle) * (y[i] - middle) <= 0 && x[i] != x[i - 1] {
                let t = (middle - y[i - 1]) / (y[i] - y[i - 1])
                center = x[i - 1] + (y[i] - y[i - 1] == 0 ? 0.5 : t) * (x[i] - x[i - 1])
                slope = abs((y[i] - y[i - 1]) / (x[i] - x[i - 1]))
                break
            }
            var p = [low, high - low, center, slope > 0 ? 4 * slope / (high - low) : 1]
            func sumOfSquares(_ p: [Double]) -> Double {
                let curve = LogisticFit(a: p[0], b: p[1], c: p[2], d: p[3])
                var total = 0.0
                for i in 0..<x.count { total += (curve(x[i]) - y[i]) * (curve(x[i]) - y[i]) }
                return total
            }
            var current = sumOfSquares(p)
            var lambda = 1e-3
            for _ in 0..<500 {
                var jtj = [Double](repeating: 0, count: 16), jtr = [Double](repeating: 0, count: 4)
                for i in 0..<x.count {
                    let s = sigmoid(p[3] * (x[i] - p[2]))
                    let ds = s * (1 - s)
                    let row = [1, s, -p[1] * p[3] * ds, p[1] * (x[i] - p[2]) * ds]
                    let r = p[0] + p[1] * s - y[i]
                    for m in 0..<4 {
                        jtr[m] += row[m] * r
                        for n in 0..<4 { jtj[m * 4 + n] += row[m] * row[n] }
                    }
                }
                var improved = false
                while lambda < 1e12 {
                    var system = jtj
                    for m in 0..<4 { system[m * 4 + m] += lambda * max(jtj[m * 4 + m], 1e-12) }
                    guard let delta = DenseAlgebra.choleskySolve(system, jtr.map { -$0 }, 4) else { lambda *= 10; continue }
                    let trial = zip(p, delta).map { $0 + $1 }
                    let value = sumOfSquares(trial)
                    if value.isFinite, value < current {
                        let relative = (current - value) / max(current, 1e-300)
                        p = trial
                        current = value
                        lambda = max(lambda / 10, 1e-12)
                        improved = relative > 1e-14
                        break
                    }
                    lambda *= 10
                }
                if !improved { break }
            }
            guard p.allSatisfy({ $0.isFinite }), p[1] > 0, p[3] > 0 else { return nil }
            return LogisticFit(a: p[0], b: p[1], c: p[2], d: p[3])
        }
    }
}
