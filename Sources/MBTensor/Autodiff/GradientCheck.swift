/// Central finite differences, to check pullback rules.
public enum GradientCheck {
    /// ∂f/∂xᵢ for a scalar-valued `f`, by (f(x + h eᵢ) − f(x − h eᵢ)) / 2h for every input element.
    public static func numericalGradients(
        at xs: [Tensor<Double>], step h: Double = 1e-6, of f: ([Tensor<Double>]) -> Tensor<Double>
    ) -> [Tensor<Double>] {
        xs.indices.map { k in
            var grad = Tensor<Double>(zeros: xs[k].shape)
            for i in 0..<xs[k].count {
                var plus = xs, minus = xs
                plus[k].withUnsafeMutableBufferPointer { $0[i] += h }
                minus[k].withUnsafeMutableBufferPointer { $0[i] -= h }
                let d = (f(plus).sum().scalar - f(minus).sum().scalar) / (2 * h)
                grad.withUnsafeMutableBufferPointer { $0[i] = d }
            }
            return grad
        }
    }

    /// Largest difference between analytic and numerical gradients of `sum(f(xs) * w)` for a
    /// fixed random-looking weight `w`, relative to max(1, |numerical|). A scalar reduction with
    /// non-uniform weights checks every output element's pullback, not only their sum.
    public static func maximumError(
        at xs: [Tensor<Double>], step h: Double = 1e-6, of f: ([Tensor<Double>]) -> Tensor<Double>
    ) -> Double {
        let shape = f(xs).shape
        let n = shape.reduce(1, *)
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let phase: Double = Double(i) * 0.7548776662 + 0.1
            weights[i] = 0.5 + phase - phase.rounded(.down)
        }
        let w = Tensor<Double>(shape: shape, scalars: weights)
        let objective: ([Tensor<Double>]) -> Tensor<Double> = { (f($0) * w).sum() }
        let analytic = gradient(at: xs, of: objective)
        let numeric = numericalGradients(at: xs, step: h, of: objective)
        var worst = 0.0
        for (a, b) in zip(analytic, numeric) {
            precondition(a.shape == b.shape, "gradient shape \(a.shape) differs from input shape \(b.shape)")
            for (u, v) in zip(a.scalars, b.scalars) { worst = Swift.max(worst, Swift.abs(u - v) / Swift.max(1, Swift.abs(v))) }
        }
        return worst
    }
}
