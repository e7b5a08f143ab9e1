import Foundation

/// Gauss–Legendre quadrature on [−1, 1]: ∫ f ≈ Σ w_i f(x_i), exact for polynomials of degree
/// 2n − 1. Nodes by Newton's method on P_n from Chebyshev-like guesses, ascending.
public enum GaussLegendre {
    public static func rule(points n: Int) -> (nodes: [Double], weights: [Double]) {
        precondition(n >= 1, "Gauss–Legendre needs at least one point, got \(n)")
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        for i in 0..<n {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 1.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for l in 1..<max(n, 1) { (p0, p1) = (p1, (Double(2 * l + 1) * x * p1 - Double(l) * p0) / Double(l + 1)) }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            nodes[n - 1 - i] = x
            weights[n - 1 - i] = 2 / ((1 - x * x) * derivative * derivative)
        }
        return (nodes, weights)
    }
}
