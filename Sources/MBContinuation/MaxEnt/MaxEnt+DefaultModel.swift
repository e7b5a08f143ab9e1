import Foundation

extension MaxEnt {
    /// The default model m(ω) of the entropy S = ∫ dω (σ − m − σ ln(σ/m)): where the data say
    /// nothing, MaxEnt returns m.
    public enum DefaultModel: Sendable, Equatable {
        /// m(ω) ∝ Γ/(ω² + Γ²), normalised on the grid to the data's total weight
        /// ∫₀^∞ σ dω = (π/2) ∫₀^β Λ dτ (`MaxEnt.sumRule`). A Lorentzian rather than a flat
        /// model because the grid reaches ω ~ 10⁴: a flat model would spread the weight over
        /// all of it, while the Lorentzian has the 1/ω² tail of Drude conductivities.
        case lorentzian(width: Double)
        /// A Lorentzian a Γ/(ω² + Γ²) whose width Γ ∈ [10⁻³, 10³] and amplitude a minimise χ²
        /// against the data (a one-Drude fit; amplitude from the sum rule if the fit's is not
        /// positive). Informed by the data, so a stronger baseline than a fixed width.
        case fittedLorentzian
        /// Values on the grid, used as given (positive and finite, one per frequency).
        case custom([Double])
    }

    /// ∫₀^∞ σ dω = (π/2) ∫₀^β Λ(τ) dτ, integrated from the data with Λ(τ) = Λ(β − τ): the points
    /// and their mirror images are merged (coinciding ones averaged), integrated by the trapezoid
    /// rule, and the end intervals [0, τ_first] and [β − τ_first, β] use the straight line
    /// through the first two points (not below 0). Λ of a Drude term diverges like
    /// (γ/π) ln(1/τ) at τ → 0, which the trapezoid rule and the straight ends underestimate by
    /// ~(γ/π) τ_first: on 200 times at T = 1 by 0.5 % for γ = 8 (0.1 % for γ = 2, T = 0.5).
    public static func sumRule(tau: [Double], beta: Double, data: [Double]) -> Double {
        precondition(tau.count == data.count && tau.count >= 2,
                     "sumRule needs at least two times and one value each, got \(tau.count) and \(data.count)")
        var points = (zip(tau, data).map { ($0, $1) } + zip(tau, data).map { (beta - $0, $1) }).sorted { $0.0 < $1.0 }
        var merged: [(tau: Double, value: Double, count: Double)] = []
        for point in points {
            if let last = merged.last, point.0 - last.tau <= 1e-9 * beta {
                let count = last.count + 1
                merged[merged.count - 1] = ((last.tau * last.count + point.0) / count,
                                            (last.value * last.count + point.1) / count, count)
            } else {
                merged.append((point.0, point.1, 1))
            }
        }
        points = merged.map { ($0.tau, $0.value) }
        var integral = 0.0
        for k in 1..<points.count {
            integral += (points[k].0 - points[k - 1].0) * (points[k].1 + points[k - 1].1) / 2
        }
        if points.count >= 2, points[0].0 > 0 {
            let (t0, y0) = points[0], (t1, y1) = points[1]
            let atZero = max(0, y0 - t0 * (y1 - y0) / (t1 - t0))
            integral += 2 * t0 * (y0 + atZero) / 2  // both ends, by symmetry
        }
        return Double.pi / 2 * integral
    }

    /// The default model on the grid for this data set.
    func defaultModelValues(kernel: MaxEntKernel, space: SingularSpace, data: [Double]) throws(MaxEntError) -> [Double] {
        let omega = grid.omega
        func lorentzian(_ width: Double) -> [Double] { omega.map { width / ($0 * $0 + width * width) } }
        func normalisedToSumRule(_ shape: [Double]) throws(MaxEntError) -> [Double] {
            let total = Self.sumRule(tau: kernel.tau, beta: kernel.beta, data: data)
            guard total.isFinite, total > 0 else { throw .nonPositiveSumRule(total) }
            let mass = grid.integrate(shape)
            return shape.map { $0 * total / mass }
        }
        switch defaultModel {
        case let .lorentzian(width):
            guard width.isFinite, width > 0 else { throw .invalidDefaultModel("Lorentzian width \(width) must be positive") }
            return try normalisedToSumRule(lorentzian(width))
        case let .custom(values):
            guard values.count == grid.count else {
                throw .invalidDefaultModel("\(values.count) values for a grid of \(grid.count) frequencies")
            }
            if let bad = values.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                throw .invalidDefaultModel("value \(values[bad]) at ω = \(omega[bad]) is not positive and finite")
            }
            return values
        case .fittedLorentzian:
            let weights = grid.weights
            // χ² of the best multiple of one Lorentzian, in the singular space.
            func misfit(_ logWidth: Double) -> (chiSquared: Double, amplitude: Double) {
                let shape = lorentzian(exp(logWidth))
                let v = space.image(of: zip(shape, weights).map { $0 * $1 })
                var vc = 0.0, vv = 0.0
                for l in 0..<space.dimension {
                    vc += v[l] * space.projectedData[l]
                    vv += v[l] * v[l]
                }
                let amplitude = vv > 0 ? vc / vv : 0
                var chiSquared = 0.0
                for l in 0..<space.dimension {
                    let r = space.projectedData[l] - amplitude * v[l]
                    chiSquared += r * r
                }
                return (chiSquared, amplitude)
            }
            let lower = log(1e-3), upper = log(1e3), samples = 49
            let logWidths = (0..<samples).map { lower + (upper - lower) * Double($0) / Double(samples - 1) }
            let values = logWidths.map { misfit($0).chiSquared }
            let best = values.indices.min { values[$0] < values[$1] }!
            // Golden-section refinement between the neighbours of the best sample.
            var a = logWidths[max(best - 1, 0)], b = logWidths[min(best + 1, samples - 1)]
            let ratio = (5.0.squareRoot() - 1) / 2
            var x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
            var f1 = misfit(x1).chiSquared, f2 = misfit(x2).chiSquared
            for _ in 0..<40 {
                if f1 < f2 {
                    (b, x2, f2) = (x2, x1, f1)
                    x1 = b - ratio * (b - a)
                    f1 = misfit(x1).chiSquared
                } else {
                    (a, x1, f1) = (x1, x2, f2)
                    x2 = a + ratio * (b - a)
                    f2 = misfit(x2).chiSquared
                }
            }
            let logWidth = (a + b) / 2
            let amplitude = misfit(logWidth).amplitude
            let shape = lorentzian(exp(logWidth))
            if amplitude > 0, amplitude.isFinite { return shape.map { $0 * amplitude } }
            return try normalisedToSumRule(shape)
        }
    }
}
