import Foundation

extension MaxEnt {
    /// One point of the singular-space search: A = m ∘ exp(Y b) and what the iteration needs.
    struct BryanState {
        var b: [Double]
        /// ln(A/m) = Y b on the grid.
        var exponent: [Double]
        /// A = σ(ω_j) on the grid.
        var spectrum: [Double]
        /// r = c − S ∘ Uᵀ(W A), so χ² = ‖r‖² + χ²_⊥.
        var residual: [Double]
        var chiSquared: Double
        /// S = Σ_j w_j (A_j − m_j − A_j ln(A_j/m_j)) ≤ 0.
        var entropy: Double
        /// H = Yᵀ diag(W A) Y = S T S (s × s row-major), T = Uᵀ diag(W A) U: the curvature of
        /// χ²/2 in the entropy metric; its eigenvalues are Jarrell's λ_i.
        var curvature: [Double]
    }

    /// Bryan's Newton iteration for max_A α S(A) − χ²(A)/2 at fixed α.
    ///
    /// Stationarity in b is f(b) = α b − r(b) = 0 (the singular-space image of
    /// α ln(A/m) = K̂ᵀ(Ĝ − K̂WA)); its Jacobian is αI + H, so the Levenberg–Marquardt step is
    /// ((α + μ) I + H) δb = −f. μ = 0 unless the step is longer than `maximumStep` · Σ w m in
    /// the entropy metric (δbᵀ H δb = Σ_j w_j (δA_j)²/A_j to first order), Bryan's trust region.
    /// Converged when 2 fᵀHf / (α² bᵀHb + rᵀHr) < tolerance (the gradients of αS and χ²/2 are
    /// parallel in the entropy metric), or when an undamped step changes ln σ by less than
    /// 1e-10 anywhere: with precise data (H's condition number ~ 10¹²) rounding in r keeps the
    /// test at ~1e-6 although Newton has converged quadratically to ln σ's last digits.
    struct BryanIteration {
        let space: SingularSpace
        let model: [Double]
        let weights: [Double]
        let maximumStepLength: Double
        let tolerance: Double
        let maximumIterations: Int

        init(space: SingularSpace, model: [Double], weights: [Double], maximumStep: Double, tolerance: Double, maximumIterations: Int) {
            self.space = space
            self.model = model
            self.weights = weights
            var mass = 0.0
            for j in 0..<model.count { mass += weights[j] * model[j] }
            maximumStepLength = maximumStep * mass
            self.tolerance = tolerance
            self.maximumIterations = maximumIterations
        }

        /// The state at b, or nil if exp(Y b) would overflow.
        func state(_ b: [Double]) -> BryanState? {
            let s = space.dimension, columns = space.frequencyCount
            var spectrum = [Double](repeating: 0, count: columns)
            var exponent = [Double](repeating: 0, count: columns)
            var weighted = [Double](repeating: 0, count: columns)
            var entropy = 0.0
            var curvature = [Double](repeating: 0, count: s * s)
            let valid = space.exponentMatrix.withUnsafeBufferPointer { y -> Bool in
                curvature.withUnsafeMutableBufferPointer { h -> Bool in
                    for j in 0..<columns {
                        let row = y.baseAddress! + j * s
                        var x = 0.0
                        for l in 0..<s { x += row[l] * b[l] }
                        guard x < 600 else { return false }
                        exponent[j] = x
                        let a = model[j] * exp(x)
                        let wa = weights[j] * a
                        spectrum[j] = a
                        weighted[j] = wa
                        entropy += weights[j] * (a - model[j]) - wa * x
                        for p in 0..<s {
                            let scaled = wa * row[p]
                            let target = h.baseAddress! + p * s
                            for q in p..<s { target[q] += scaled * row[q] }
                        }
                    }
                    for p in 0..<s {
                        for q in 0..<p { h[p * s + q] = h[q * s + p] }
                    }
                    return true
                }
            }
            guard valid else { return nil }
            let image = space.image(of: weighted)
            var residual = [Double](repeating: 0, count: s)
            var chiSquared = space.orthogonalChiSquared
            for l in 0..<s {
                residual[l] = space.projectedData[l] - image[l]
                chiSquared += residual[l] * residual[l]
            }
            guard chiSquared.isFinite, entropy.isFinite else { return nil }
            return BryanState(b: b, exponent: exponent, spectrum: spectrum, residual: residual, chiSquared: chiSquared,
                              entropy: entropy, curvature: curvature)
        }

        /// Iterates from `start` to the maximum at α. Returns the last state, the number of
        /// steps and whether the convergence test passed.
        func solve(alpha: Double, from start: BryanState) -> (state: BryanState, iterations: Int, converged: Bool) {
            let s = space.dimension
            var current = start
            for iteration in 0...maximumIterations {
                let f = (0..<s).map { alpha * current.b[$0] - current.residual[$0] }
                let h = current.curvature
                let ab = current.b.map { alpha * $0 }
                let denominator = DenseAlgebra.quadraticForm(h, ab, s) + DenseAlgebra.quadraticForm(h, current.residual, s)
                let numerator = 2 * DenseAlgebra.quadraticForm(h, f, s)
                if numerator <= tolerance * denominator || numerator == 0 {
                    return (current, iteration, true)
                }
                if iteration == maximumIterations { break }
                guard let (next, damping) = step(alpha: alpha, state: current, f: f) else { break }
                var change = 0.0
                for j in 0..<next.exponent.count { change = max(change, abs(next.exponent[j] - current.exponent[j])) }
                current = next
                if damping == 0, change <= 1e-10 { return (current, iteration + 1, true) }
            }
            return (current, maximumIterations, false)
        }

        /// One Levenberg–Marquardt step inside the trust region and its damping μ; nil if no
        /// damping helps.
        private func step(alpha: Double, state: BryanState, f: [Double]) -> (BryanState, Double)? {
            let s = space.dimension
            let rhs = f.map { -$0 }
            var mu = 0.0
            for _ in 0..<200 {
                var system = state.curvature
                for l in 0..<s { system[l * s + l] += alpha + mu }
                if let delta = DenseAlgebra.choleskySolve(system, rhs, s) {
                    let length = DenseAlgebra.quadraticForm(state.curvature, delta, s)
                    if length <= maximumStepLength, let next = self.state(zip(state.b, delta).map { $0 + $1 }) {
                        return (next, mu)
                    }
                    let ratio = length.isFinite && length > maximumStepLength ? (length / maximumStepLength).squareRoot() : 2
                    mu = max(4 * mu, (alpha + mu) * ratio)
                } else {
                    mu = max(4 * mu, alpha)
                }
            }
            return nil
        }

        /// Jarrell's number of good measurements N_g = Σ λ_i/(α + λ_i) = tr(H (αI + H)⁻¹).
        func goodMeasurements(alpha: Double, state: BryanState) -> Double {
            let s = space.dimension
            var system = state.curvature
            for l in 0..<s { system[l * s + l] += alpha }
            guard let z = DenseAlgebra.choleskySolve(system, columns: state.curvature, s) else { return .nan }
            var trace = 0.0
            for l in 0..<s { trace += z[l * s + l] }
            return trace
        }
    }

    /// Small dense symmetric systems in plain loops (s ≲ 60; LAPACK call overhead would dominate).
    enum DenseAlgebra {
        /// vᵀ M v for a symmetric n × n row-major M.
        static func quadraticForm(_ m: [Double], _ v: [Double], _ n: Int) -> Double {
            var total = 0.0
            for p in 0..<n {
                var row = 0.0
                for q in 0..<n { row += m[p * n + q] * v[q] }
                total += v[p] * row
            }
            return total
        }

        /// Lower Cholesky factor of a symmetric positive-definite n × n matrix, nil if not SPD.
        static func cholesky(_ a: [Double], _ n: Int) -> [Double]? {
            var l = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0...i {
                    var sum = a[i * n + j]
                    for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                    if i == j {
                        guard sum > 0, sum.isFinite else { return nil }
                        l[i * n + i] = sum.squareRoot()
                    } else {
                        l[i * n + j] = sum / l[j * n + j]
                    }
                }
            }
            return l
        }

        /// Solves A x = b for symmetric positive-definite A (n × n row-major).
        static func choleskySolve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double]? {
            guard let l = cholesky(a, n) else { return nil }
            return substitute(l, b, n)
        }

        /// Solves A X = B for k = n columns of B (n × n row-major), returning X row-major.
        static func choleskySolve(_ a: [Double], columns b: [Double], _ n: Int) -> [Double]? {
            guard let l = cholesky(a, n) else { return nil }
            var x = [Double](repeating: 0, count: n * n)
            for column in 0..<n {
                let solution = substitute(l, (0..<n).map { b[$0 * n + column] }, n)
                for row in 0..<n { x[row * n + column] = solution[row] }
            }
            return x
        }

        /// L Lᵀ x = b by forward and back substitution.
        private static func substitute(_ l: [Double], _ b: [Double], _ n: Int) -> [Double] {
            var y = b
            for i in 0..<n {
                var sum = y[i]
                for k in 0..<i { sum -= l[i * n + k] * y[k] }
                y[i] = sum / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var sum = y[i]
                for k in (i + 1)..<n { sum -= l[k * n + i] * y[k] }
                y[i] = sum / l[i * n + i]
            }
            return y
        }
    }
}
