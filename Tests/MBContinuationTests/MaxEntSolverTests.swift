import Foundation
import MBTensor
import Testing
@testable import MBContinuation

@Suite("MaxEnt solver")
struct MaxEntSolverTests {
    static let grid = RealFrequencyGrid.nonUniform()

    static func times(_ temperature: Double) -> [Double] { (0..<200).map { (Double($0) + 0.5) / 200 / temperature } }

    static func drude(_ gamma: Double, at omega: [Double]) -> [Double] { omega.map { gamma / ($0 * $0 + gamma * gamma) } }

    /// Λ of a Drude σ by the grid quadrature (≤ 1e-9 relative for γ ≥ 0.1, see the kernel tests)
    /// plus Gaussian noise `noise` · Λ; the errors are `noise` · Λ.
    static func drudeData(gamma: Double, temperature: Double, noise: Double, seed: UInt64) -> (tau: [Double], data: [Double], errors: [Double]) {
        mixtureData(weights: [1], gammas: [gamma], temperature: temperature, noise: noise, seed: seed)
    }

    /// As `drudeData` for σ = Σ_k weights_k γ_k/(ω² + γ_k²).
    static func mixtureData(weights: [Double], gammas: [Double], temperature: Double, noise: Double,
                            seed: UInt64) -> (tau: [Double], data: [Double], errors: [Double]) {
        let tau = times(temperature)
        var sigma = [Double](repeating: 0, count: grid.count)
        for (weight, gamma) in zip(weights, gammas) {
            for (j, value) in drude(gamma, at: grid.omega).enumerated() { sigma[j] += weight * value }
        }
        let exact = BosonicKernel.imaginaryTime(sigma: sigma, grid: grid, tau: tau, beta: 1 / temperature)
        var generator = RandomGenerator(seed: seed)
        let errors = exact.map { noise * $0 }
        let data = zip(exact, errors).map { $0 + $1 * generator.nextNormal() }
        return (tau, data, errors)
    }

    /// The brief's recovery case: γ = 2, T = 0.5, noise 1e-4 Λ, with a default model three
    /// times too wide (a default equal to the answer would make the test empty). Both rules
    /// reproduce σ on [0, 5] to 10 % (measured: 0.9 % kink, 2.4 % classic) and fit the data:
    /// 0.6 < χ²/N < 1.8 (measured 1.54 and 0.87: the kink sits above the noise floor, classic
    /// a little below).
    @Test(arguments: [MaxEnt.AlphaSelection.chi2Kink, .classic])
    func recoversBroadDrude(selection: MaxEnt.AlphaSelection) throws {
        let (tau, data, errors) = Self.drudeData(gamma: 2, temperature: 0.5, noise: 1e-4, seed: 11)
        let solver = MaxEnt(defaultModel: .lorentzian(width: 6), alphaSelection: selection)
        let result = try solver.solve(tau: tau, beta: 2, data: data, errors: errors)
        let omega = (0...100).map { Double($0) * 0.05 }
        let worst = zip(result.sigma(at: omega), Self.drude(2, at: omega)).map { abs($0 / $1 - 1) }.max()!
        #expect(worst < 0.10, "\(selection): largest relative error on [0, 5] \(worst)")
        #expect(result.reducedChiSquared > 0.6 && result.reducedChiSquared < 1.8, "\(selection): χ²/N = \(result.reducedChiSquared)")
        #expect(!result.acceptedDefaultModel)
        #expect(result.sigma.allSatisfy { $0 > 0 && $0.isFinite })
        // The default model (width 6) alone is far off: the data, not the prior, made σ.
        let prior = zip(result.sigma(at: [0]), [result.grid.interpolate(result.defaultModel, at: [0])[0]]).map { $1 / $0 }[0]
        #expect(abs(prior - 1) > 0.3)
    }

    @Test(arguments: [MaxEnt.AlphaSelection.chi2Kink, .classic])
    func enormousErrorsReturnTheDefaultModel(selection: MaxEnt.AlphaSelection) throws {
        let (tau, data, _) = Self.drudeData(gamma: 0.3, temperature: 0.5, noise: 0, seed: 1)
        let errors = data.map { 1e6 * $0 }
        let result = try MaxEnt(alphaSelection: selection).solve(tau: tau, beta: 2, data: data, errors: errors)
        #expect(result.acceptedDefaultModel)
        #expect(result.alpha == .infinity)
        #expect(result.sigma == result.defaultModel)
        #expect(result.reducedChiSquared < 1e-6)
        // The default model is the width-2 Lorentzian carrying the data's sum rule.
        let expected = MaxEnt.sumRule(tau: tau, beta: 2, data: data)
        #expect(abs(Self.grid.integrate(result.sigma) / expected - 1) < 1e-12)
        let shape = Self.drude(2, at: Self.grid.omega)
        #expect(abs(result.sigma[100] / result.sigma[0] - shape[100] / shape[0]) < 1e-12)
    }

    /// Large but not enormous errors: the α scan runs and MaxEnt still stays close to the default.
    @Test func largeErrorsStayNearTheDefaultModel() throws {
        let (tau, data, _) = Self.drudeData(gamma: 0.3, temperature: 0.5, noise: 0, seed: 1)
        let errors = data.map { 3e-2 * $0 }
        let result = try MaxEnt(alphaSelection: .classic).solve(tau: tau, beta: 2, data: data, errors: errors)
        #expect(!result.acceptedDefaultModel)
        let precise = try MaxEnt(alphaSelection: .classic).solve(tau: tau, beta: 2, data: data, errors: data.map { 1e-5 * $0 })
        func distance(_ r: MaxEntResult) -> Double {
            zip(r.sigma, r.defaultModel).map { abs($0 - $1) }.max()! / r.defaultModel.max()!
        }
        #expect(distance(result) < distance(precise))
    }

    @Test(arguments: [MaxEnt.AlphaSelection.chi2Kink, .classic])
    func alphaSelectionInsideTheScan(selection: MaxEnt.AlphaSelection) throws {
        // The third case has precise data (H's condition number ~10¹²), where Newton's test stalls
        // at rounding level and convergence is recognised by the vanishing step instead.
        let cases: [(weights: [Double], gammas: [Double], temperature: Double, noise: Double, seed: UInt64)] = [
            ([1], [0.5], 0.2, 1e-3, 3), ([1], [5], 1, 1e-3, 4), ([0.5, 0.5], [0.7, 3], 0.5, 1e-6, 3),
        ]
        for (weights, gammas, temperature, noise, seed) in cases {
            let (tau, data, errors) = Self.mixtureData(weights: weights, gammas: gammas, temperature: temperature,
                                                       noise: noise, seed: seed)
            let result = try MaxEnt(alphaSelection: selection).solve(tau: tau, beta: 1 / temperature, data: data, errors: errors)
            let alphas = result.alphas
            #expect(result.alpha.isFinite)
            #expect(result.alpha <= alphas.first! && result.alpha >= alphas.last!)
            #expect(zip(alphas, alphas.dropFirst()).allSatisfy { $0 > $1 })
            // χ² falls with α from the default model's misfit to the noise floor.
            let chi = result.chiSquaredValues
            #expect(chi.first! > 100 * chi.last!)
            #expect(chi.last! < 2 * Double(tau.count))
            switch selection {
            case .classic:
                // −2αS = N_g at the chosen α (to the interpolation between scanned α).
                let balance = -2 * result.alpha * result.entropy / result.goodMeasurements
                #expect(abs(balance - 1) < 0.1, "−2αS/N_g = \(balance)")
            case .chi2Kink:
                #expect(result.reducedChiSquared < 3 && result.reducedChiSquared > 0.5, "χ²/N = \(result.reducedChiSquared)")
            }
        }
    }

    @Test func preparedKernelGivesTheSameResult() throws {
        let (tau, data, errors) = Self.drudeData(gamma: 1, temperature: 0.3, noise: 1e-3, seed: 5)
        let solver = MaxEnt()
        let kernel = try MaxEntKernel(tau: tau, beta: 1 / 0.3, grid: solver.grid)
        let prepared = try solver.solve(kernel: kernel, data: data, errors: errors)
        let direct = try solver.solve(tau: tau, beta: 1 / 0.3, data: data, errors: errors)
        // Equal up to rounding (LAPACK's blocking may differ between the two SVD calls).
        let difference = zip(prepared.sigma, direct.sigma).map { abs($0 - $1) / max(abs($1), 1e-300) }.max()!
        #expect(difference < 1e-8)
        #expect(abs(prepared.alpha / direct.alpha - 1) < 1e-8)
    }

    /// The re-weighted kernel SVD (diag(1/e) V Σ, small) and the SVD of the full error-weighted
    /// kernel describe the same χ², which also matches the full-kernel χ² at the default model.
    @Test func reweightedAndDirectSingularSpacesAgree() throws {
        let (tau, data, errors) = Self.drudeData(gamma: 0.7, temperature: 0.4, noise: 1e-4, seed: 6)
        let kernel = try MaxEntKernel(tau: tau, beta: 2.5)
        let reweighted = try MaxEnt.SingularSpace(kernel: kernel, data: data, errors: errors, cutoff: 1e-10)
        let direct = try MaxEnt.SingularSpace(kernel: kernel, data: data, errors: errors, cutoff: 1e-10, forceDirect: true)
        #expect(reweighted.dimension == direct.dimension)
        let largest = direct.singularValues[0]
        for (a, b) in zip(reweighted.singularValues, direct.singularValues) { #expect(abs(a - b) < 1e-13 * largest) }
        let model = Self.drude(3, at: Self.grid.omega).map { $0 * 0.8 }
        let weighted = zip(model, Self.grid.weights).map { $0 * $1 }
        func chiSquared(_ space: MaxEnt.SingularSpace) -> Double {
            let image = space.image(of: weighted)
            return zip(space.projectedData, image).reduce(space.orthogonalChiSquared) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        let fitted = BosonicKernel.imaginaryTime(sigma: model, grid: Self.grid, tau: tau, beta: 2.5)
        let exact = zip(zip(data, fitted), errors).reduce(0.0) { $0 + pow(($1.0.0 - $1.0.1) / $1.1, 2) }
        #expect(abs(chiSquared(reweighted) / exact - 1) < 1e-6)
        #expect(abs(chiSquared(direct) / exact - 1) < 1e-6)
    }

    @Test func fittedLorentzianDefaultFindsTheWidth() throws {
        let (tau, data, errors) = Self.drudeData(gamma: 0.4, temperature: 0.5, noise: 1e-4, seed: 7)
        let result = try MaxEnt(defaultModel: .fittedLorentzian).solve(tau: tau, beta: 2, data: data, errors: errors)
        let model = result.defaultModel
        // m = a γ/(ω²+γ²) with a ≈ 1, γ ≈ 0.4: m(0) ≈ 2.5, m(γ) ≈ m(0)/2.
        #expect(abs(model[0] / 2.5 - 1) < 0.01)
        #expect(abs(result.grid.interpolate(model, at: [0.4])[0] / model[0] - 0.5) < 0.01)
        let omega = (0...100).map { Double($0) * 0.05 }
        let worst = zip(result.sigma(at: omega), Self.drude(0.4, at: omega)).map { abs($0 / $1 - 1) }.max()!
        #expect(worst < 0.05)
    }

    @Test func badInputThrowsTypedErrors() {
        let (tau, data, errors) = Self.drudeData(gamma: 1, temperature: 0.5, noise: 1e-3, seed: 8)
        func expectError(_ expected: MaxEntError, tau: [Double] = tau, beta: Double = 2, data: [Double] = data,
                         errors: [Double] = errors, solver: MaxEnt = MaxEnt(), sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: expected, sourceLocation: sourceLocation) {
                try solver.solve(tau: tau, beta: beta, data: data, errors: errors)
            }
        }
        expectError(.lengthMismatch(tau: 200, data: 199, errors: 200), data: Array(data.dropLast()))
        expectError(.lengthMismatch(tau: 200, data: 200, errors: 3), errors: [1, 1, 1])
        var nanData = data
        nanData[17] = .nan
        expectError(.nonFinite(quantity: "data", index: 17), data: nanData)
        var infiniteErrors = errors
        infiniteErrors[3] = .infinity
        expectError(.nonFinite(quantity: "errors", index: 3), errors: infiniteErrors)
        var zeroError = errors
        zeroError[5] = 0
        expectError(.nonPositiveError(index: 5, value: 0), errors: zeroError)
        var negativeError = errors
        negativeError[6] = -1e-3
        expectError(.nonPositiveError(index: 6, value: -1e-3), errors: negativeError)
        var unordered = tau
        unordered.swapAt(10, 11)
        expectError(.nonMonotonicTau(index: 11), tau: unordered)
        var nanTau = tau
        nanTau[0] = .nan
        expectError(.nonFinite(quantity: "tau", index: 0), tau: nanTau)
        let outside = tau.firstIndex { $0 > 1.5 }!
        expectError(.tauOutOfRange(index: outside, tau: tau[outside], beta: 1.5), beta: 1.5)
        expectError(.invalidBeta(-2), beta: -2)
        expectError(.invalidBeta(.infinity), beta: .infinity)
        expectError(.tooFewTimes(count: 2, minimum: 3), tau: [0.5, 1], data: [1, 1], errors: [0.1, 0.1])
        // T = 5 needs ω up to 25/τ_min = 50 000 on the 200-point grid; the default grid stops at 12 000.
        let hot = Self.times(5)
        expectError(.frequencyGridTooShort(maximumFrequency: 12_000, required: 25 / hot[0]), tau: hot, beta: 0.2)
        let negative = data.map { _ in -2.0 }
        expectError(.nonPositiveSumRule(MaxEnt.sumRule(tau: tau, beta: 2, data: negative)), data: negative)
        expectError(.invalidDefaultModel("3 values for a grid of 263 frequencies"), solver: MaxEnt(defaultModel: .custom([1, 2, 3])))
        expectError(.invalidDefaultModel("Lorentzian width -1.0 must be positive"), solver: MaxEnt(defaultModel: .lorentzian(width: -1)))
        expectError(.invalidConfiguration("fixed α scan needs largest > smallest > 0 and at least 4 values"),
                    solver: MaxEnt(alphaScan: .fixed(largest: 1, smallest: 10, count: 20)))
        // Non-convergence is reported, not trapped.
        let error = #expect(throws: MaxEntError.self) {
            try MaxEnt(maximumIterations: 1).solve(tau: tau, beta: 2, data: data, errors: errors)
        }
        switch error {
        case .didNotConverge?, .alphaSelectionFailed?: break
        default: Issue.record("expected a convergence failure, got \(String(describing: error))")
        }
    }

    @Test func errorsDescribeTheProblem() {
        #expect(MaxEntError.nonMonotonicTau(index: 4).description.contains("tau[4] ≤ tau[3]"))
        #expect(MaxEntError.nonFinite(quantity: "data", index: 2).description.contains("data[2]"))
        #expect(MaxEntError.frequencyGridTooShort(maximumFrequency: 100, required: 400).description.contains("maximumFrequency"))
    }
}
