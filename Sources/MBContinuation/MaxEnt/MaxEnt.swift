import Foundation

/// Maximum-entropy analytic continuation of Λ(τ) to the optical conductivity σ(ω) ≥ 0 on the
/// bosonic kernel (`BosonicKernel`), by Bryan's algorithm (R. K. Bryan, Eur. Biophys. J. 18,
/// 165 (1990); M. Jarrell & J. E. Gubernatis, Phys. Rep. 269, 133 (1996)).
///
/// σ maximises Q = α S − χ²/2 with the entropy S = Σ_j w_j (σ_j − m_j − σ_j ln(σ_j/m_j))
/// relative to the default model m and χ² = Σ_i ((Λ_i − Σ_j K_ij w_j σ_j)/e_i)² (independent
/// errors e_i). The error-weighted kernel is decomposed, K̂ = P S Uᵀ, singular values below
/// `singularValueCutoff` · S_max are dropped, and σ = m ∘ exp(U S b) is searched in the
/// s-dimensional singular space with Levenberg–Marquardt steps (`BryanIteration`). α is
/// scanned from large to small, each solution starting from the previous one, and chosen by
/// `alphaSelection`.
///
/// Usage: `try MaxEnt().solve(tau: tau, beta: 1 / T, data: lambda, errors: errors)`; for many
/// data sets on the same times and temperature, prepare the kernel once with
/// `MaxEntKernel(tau:beta:grid:)` and call `solve(kernel:data:errors:)`.
public struct MaxEnt: Sendable {
    /// How α is chosen from the scan.
    public enum AlphaSelection: Sendable, Equatable {
        /// Fit log10 χ² against log10 α with y = a + b/(1 + exp(−d (x − c))) and take
        /// α = 10^(c − `kinkFitPosition`/d), where the fit leaves the noise-floor plateau (as
        /// ana_cont's chi2kink; fitPosition 2.5 there and here).
        case chi2Kink
        /// Jarrell's classic MaxEnt: the most probable α, where −2αS = Σ_i λ_i/(α + λ_i), λ_i the
        /// eigenvalues of the curvature of χ²/2 in the entropy metric (found between scanned
        /// α by linear interpolation of the difference in log α).
        case classic
    }

    /// Which α are scanned.
    public enum AlphaScan: Sendable, Equatable {
        /// From α₀ = 10 tr H(m) (H the curvature at the default model, so σ ≈ m there)
        /// downwards by 10^(1/stepsPerDecade), until χ² has changed by less than 0.01 in
        /// log10 over the last decade and −2αS has dropped below Σ λ/(α + λ) (both rules then
        /// have what they need), or after `maximumAlphaCount` values.
        case automatic(stepsPerDecade: Int)
        /// `count` values from `largest` down to `smallest`, equally spaced in log α.
        case fixed(largest: Double, smallest: Double, count: Int)
    }

    /// The real-frequency grid σ is computed on.
    public var grid: RealFrequencyGrid
    /// The default model (see `DefaultModel`).
    public var defaultModel: DefaultModel
    /// The α-selection rule.
    public var alphaSelection: AlphaSelection
    /// The α scan.
    public var alphaScan: AlphaScan
    /// At most this many α in an automatic scan.
    public var maximumAlphaCount: Int
    /// The kink position of `.chi2Kink` in units of the fit's width 1/d.
    public var kinkFitPosition: Double
    /// Singular values of the error-weighted kernel below this fraction of the largest are dropped.
    public var singularValueCutoff: Double
    /// Newton iterations allowed per α.
    public var maximumIterations: Int
    /// Convergence threshold of 2 fᵀHf / (α² bᵀHb + rᵀHr) (see `BryanIteration`).
    public var convergenceTolerance: Double
    /// Trust region: a step may change σ by at most this fraction of the default model's total
    /// weight, in the entropy metric Σ w (δσ)²/σ.
    public var maximumStep: Double

    /// The defaults: the 263-point sinh grid up to ω = 12 000 (T ≤ 1 for 200 times; see
    /// `RealFrequencyGrid.nonUniform`), a Lorentzian default model of width 2 normalised by
    /// the data's sum rule (broad compared with T ≤ 1 and in the middle of the Drude widths
    /// (0, 10) on a log scale), χ²-kink, an automatic scan with 4 α per decade.
    public init(grid: RealFrequencyGrid = .nonUniform(), defaultModel: DefaultModel = .lorentzian(width: 2),
                alphaSelection: AlphaSelection = .chi2Kink, alphaScan: AlphaScan = .automatic(stepsPerDecade: 4),
                maximumAlphaCount: Int = 120, kinkFitPosition: Double = 2.5, singularValueCutoff: Double = 1e-10,
                maximumIterations: Int = 200, convergenceTolerance: Double = 1e-8, maximumStep: Double = 0.2) {
        self.grid = grid
        self.defaultModel = defaultModel
        self.alphaSelection = alphaSelection
        self.alphaScan = alphaScan
        self.maximumAlphaCount = maximumAlphaCount
        self.kinkFitPosition = kinkFitPosition
        self.singularValueCutoff = singularValueCutoff
        self.maximumIterations = maximumIterations
        self.convergenceTolerance = convergenceTolerance
        self.maximumStep = maximumStep
    }

    /// Continues Λ(τ_i) ± e_i at inverse temperature β. Prepares the kernel and calls
    /// `solve(kernel:data:errors:)`.
    /// - Throws: `MaxEntError` for invalid input (lengths, NaN/∞, errors ≤ 0, times not strictly
    ///   increasing or outside [0, β], β ≤ 0, a grid too short for the smallest time), a
    ///   non-positive sum rule, or a failed iteration or α selection.
    public func solve(tau: [Double], beta: Double, data: [Double], errors: [Double]) throws(MaxEntError) -> MaxEntResult {
        guard tau.count == data.count, tau.count == errors.count else {
            throw .lengthMismatch(tau: tau.count, data: data.count, errors: errors.count)
        }
        return try solve(kernel: MaxEntKernel(tau: tau, beta: beta, grid: grid), data: data, errors: errors)
    }

    /// Continues one data set on a prepared kernel (whose grid must be this solver's `grid`).
    public func solve(kernel: MaxEntKernel, data: [Double], errors: [Double]) throws(MaxEntError) -> MaxEntResult {
        try validate(kernel: kernel, data: data, errors: errors)
        let space = try SingularSpace(kernel: kernel, data: data, errors: errors, cutoff: singularValueCutoff)
        let model = try defaultModelValues(kernel: kernel, space: space, data: data)
        let iteration = BryanIteration(space: space, model: model, weights: grid.weights, maximumStep: maximumStep,
                                       tolerance: convergenceTolerance, maximumIterations: maximumIterations)
        guard let start = iteration.state([Double](repeating: 0, count: space.dimension)) else {
            throw .invalidDefaultModel("the default model gives a non-finite χ²")
        }
        if start.chiSquared <= Double(kernel.tau.count) {
            return result(kernel: kernel, data: data, errors: errors, space: space, model: model, state: start,
                          alpha: .infinity, goodMeasurements: 0, acceptedDefaultModel: true, scan: [], finalIterations: 0)
        }
        let scan = try scanAlpha(iteration: iteration, start: start)
        let alpha = try selectAlpha(scan)
        let nearest = scan.indices.min { abs(log(scan[$0].alpha / alpha)) < abs(log(scan[$1].alpha / alpha)) }!
        let final = iteration.solve(alpha: alpha, from: scan[nearest].state)
        guard final.converged else { throw .didNotConverge(alpha: alpha, iterations: final.iterations) }
        return result(kernel: kernel, data: data, errors: errors, space: space, model: model, state: final.state,
                      alpha: alpha, goodMeasurements: iteration.goodMeasurements(alpha: alpha, state: final.state),
                      acceptedDefaultModel: false, scan: scan, finalIterations: final.iterations)
    }

    func validate(kernel: MaxEntKernel, data: [Double], errors: [Double]) throws(MaxEntError) {
        let n = kernel.tau.count
        guard data.count == n, errors.count == n else { throw .lengthMismatch(tau: n, data: data.count, errors: errors.count) }
        if let i = data.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(quantity: "data", index: i) }
        if let i = errors.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(quantity: "errors", index: i) }
        if let i = errors.firstIndex(where: { $0 <= 0 }) { throw .nonPositiveError(index: i, value: errors[i]) }
        guard kernel.grid == grid else {
            throw .invalidConfiguration("the kernel was prepared on a different real-frequency grid than this solver's")
        }
        guard singularValueCutoff > 0, singularValueCutoff < 1, maximumIterations > 0, convergenceTolerance > 0,
              maximumStep > 0, maximumAlphaCount >= 4, kinkFitPosition.isFinite else {
            throw .invalidConfiguration("cutoff in (0, 1), positive iterations, tolerance and step, at least 4 α needed")
        }
    }

    /// One scanned α: its converged state and the quantities the selection rules use.
    struct ScanPoint {
        var alpha: Double
        var state: BryanState
        var goodMeasurements: Double
        var iterations: Int
        var converged: Bool
        /// −2αS − Σ λ/(α + λ): positive above the classic α, negative below.
        var classicBalance: Double { -2 * alpha * state.entropy - goodMeasurements }
    }

    func scanAlpha(iteration: BryanIteration, start: BryanState) throws(MaxEntError) -> [ScanPoint] {
        var alphas: [Double] = []
        var stepsPerDecade = 0
        switch alphaScan {
        case let .automatic(steps):
            guard steps >= 1 else { throw .invalidConfiguration("automatic α scan needs at least one step per decade") }
            stepsPerDecade = steps
            let dimension = iteration.space.dimension
            let trace = (0..<dimension).reduce(0.0) { $0 + start.curvature[$1 * dimension + $1] }
            let first = 10 * trace
            alphas = (0..<maximumAlphaCount).map { first * pow(10, -Double($0) / Double(steps)) }
        case let .fixed(largest, smallest, count):
            guard largest.isFinite, smallest > 0, largest > smallest, count >= 4 else {
                throw .invalidConfiguration("fixed α scan needs largest > smallest > 0 and at least 4 values")
            }
            alphas = (0..<count).map { largest * pow(smallest / largest, Double($0) / Double(count - 1)) }
        }
        var scan: [ScanPoint] = []
        var state = start
        for alpha in alphas {
            let solved = iteration.solve(alpha: alpha, from: state)
            state = solved.state
            scan.append(ScanPoint(alpha: alpha, state: state, goodMeasurements: iteration.goodMeasurements(alpha: alpha, state: state),
                                  iterations: solved.iterations, converged: solved.converged))
            if stepsPerDecade > 0, scan.count > stepsPerDecade {
                let flat = log10(scan[scan.count - 1 - stepsPerDecade].state.chiSquared / state.chiSquared) < 0.01
                if flat, scan.contains(where: { $0.classicBalance <= 0 }) { break }
            }
        }
        return scan
    }

    func selectAlpha(_ scan: [ScanPoint]) throws(MaxEntError) -> Double {
        let logAlphas = scan.map { log10($0.alpha) }
        switch alphaSelection {
        case .chi2Kink:
            let usable = scan.indices.filter { scan[$0].converged }
            guard let fit = LogisticFit.fit(x: usable.map { logAlphas[$0] }, y: usable.map { log10(scan[$0].state.chiSquared) }) else {
                throw .alphaSelectionFailed("log10 χ² against log10 α has no step to fit (\(usable.count) converged α)")
            }
            let kink = fit.c - kinkFitPosition / fit.d
            return pow(10, min(max(kink, logAlphas.last!), logAlphas.first!))
        case .classic:
            if scan[0].classicBalance <= 0 { return scan[0].alpha }
            for k in 1..<scan.count where scan[k].classicBalance <= 0 {
                let (high, low) = (scan[k - 1].classicBalance, scan[k].classicBalance)
                let t = high / (high - low)
                return pow(10, logAlphas[k - 1] + t * (logAlphas[k] - logAlphas[k - 1]))
            }
            throw .alphaSelectionFailed("−2αS stays above Σλ/(α+λ) down to the smallest α scanned (\(scan.last!.alpha))")
        }
    }

    func result(kernel: MaxEntKernel, data: [Double], errors: [Double], space: SingularSpace, model: [Double],
                state: BryanState, alpha: Double, goodMeasurements: Double, acceptedDefaultModel: Bool,
                scan: [ScanPoint], finalIterations: Int) -> MaxEntResult {
        let columns = grid.count
        let weighted = zip(state.spectrum, grid.weights).map { $0 * $1 }
        var chiSquared = 0.0
        kernel.matrix.withUnsafeBufferPointer { k in
            for i in 0..<kernel.tau.count {
                var fitted = 0.0
                for j in 0..<columns { fitted += k[i * columns + j] * weighted[j] }
                let r = (data[i] - fitted) / errors[i]
                chiSquared += r * r
            }
        }
        return MaxEntResult(
            grid: grid, sigma: state.spectrum, defaultModel: model, alpha: alpha, chiSquared: chiSquared,
            timeCount: kernel.tau.count, entropy: state.entropy, goodMeasurements: goodMeasurements,
            acceptedDefaultModel: acceptedDefaultModel, singularValueCount: space.dimension,
            alphas: scan.map(\.alpha), chiSquaredValues: scan.map(\.state.chiSquared), entropies: scan.map(\.state.entropy),
            goodMeasurementValues: scan.map(\.goodMeasurements), iterations: scan.map(\.iterations),
            finalIterations: finalIterations)
    }
}
