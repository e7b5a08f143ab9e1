import ComplexModule
import RealModule
import Foundation
import MBGreens
import MBImpurity
import Synchronization

/// A trained network (or an ensemble of them) as an impurity solver (`--solver ml`).
///
/// `solve(problem)`:
/// 1. Scale. The hybridisation's moments M₁, M₂ (`HybridizationMoments`, from its two highest
///    frequencies) give D = 2√M₁ (exact on the Bethe lattice, Δ = t²G ⇒ M₁ = t² = D²/4, and for
///    a discrete bath M₁ = ΣV²) and the offset M₂/(M₁D); with u = U/D and βD they are checked
///    against every member's training domain (`LearnedSolverDomain.check`): outside it, or at
///    μ ≠ U/2 for a model trained at μ = U/2 only, the solver throws instead of extrapolating.
/// 2. Inputs. The input solvers run on Δ as the database ran them (`LearnedSolverInputs`).
/// 3. Prediction. Each member predicts G(x_k) on the database grid. With `symmetrize` (default)
///    it is also evaluated on the particle–hole mirrored inputs and the two are averaged,
///    G(x_k) = ½[Ĝ(inputs)(x_k) + Ĝ(mirrored inputs)(x_{P−1−k})], which makes the solver exactly
///    equivariant under the mirror like the exact solver. A particle–hole symmetric problem
///    (`ImpurityProblem.isHalfFilled`) gets the exact symmetry imposed: G(x) ← ½[G(x) + G(−x)],
///    Re G(iω) = 0 and ⟨n↑⟩ = ½ (the inputs are symmetric only to ~1e-7, the FFT's accuracy,
///    which would otherwise push the DMFT loop off half filling and IPT into its Kajueter–Kotliar branch).
///    The ensemble's answer is the members' mean, its spread max_k std_k over the members
///    (population standard deviation; 0 for one model).
/// 4. Matsubara axis. `correction`: G(iω_n) = G_first(iω_n) + β Σ_l T_nl d_l with d the Legendre
///    fit (`GridFourierTransform`, `legendreFitCount` terms; L for the Legendre representation,
///    which is then exact) of G(x_k) − G_first(x_k), the correction to the first input solver.
///    The correction is shifted by a constant so that its ends cancel, δ(0⁺) + δ(β⁻) = 0: a constant
///    in τ is a pure 1/(iω) term, so G keeps the first input's exact tail 1/(iω) and Δ = t²G keeps the
///    moment the next call infers D from (the predicted G(x) itself is shifted to obey
///    G(0⁺) + G(β⁻) = −1). `sigma`: Σ = Σ_IPT + Σ³ (n < F) and Dyson. Then Σ = iω + μ − Δ − 1/G, ⟨n↑⟩ = −G(β⁻),
///    ⟨n↑n↓⟩ by Galitskii–Migdal.
///
/// Dynamic mode (`dynamic` set): when the spread exceeds the threshold the exact solver is
/// called instead (ED after fitting Δ onto the database's Nb sites, as `--solver ed`), and the
/// problem is kept as a new database sample (`solveExactly`: the inputs as the network sees them
/// here, the ED answer as target), to be appended by `appendPendingSamples(to:)`.
/// `statistics` counts the calls and the exact ones.
public final class LearnedImpuritySolver: ImpuritySolver, Sendable {
    public let models: [LearnedSolverModel]
    public let specification: LearnedSolverSpecification
    public let domain: LearnedSolverDomain
    public let legendreFitCount: Int
    public let symmetrize: Bool
    public let dynamic: LearnedSolverDynamicOptions?
    let fourier: GridFourierTransform
    let matrices = Mutex<[Int: [Complex<Double>]]>([:])
    let state = Mutex<(statistics: LearnedSolverStatistics, pending: [ImpuritySampleRecord])>((LearnedSolverStatistics(), []))

    public var name: String { "ml" }

    /// Legendre terms of the fit of the correction on the grid (at most P), unless given.
    public static let defaultLegendreFitCount = 40

    /// - Throws: `LearnedSolverError.modelMismatch` when the members differ in inputs,
    ///   representation, variant or grids; `.invalidSetting` for a bad fit order.
    public init(models: [LearnedSolverModel], legendreFitCount: Int? = nil, symmetrize: Bool = true,
                dynamic: LearnedSolverDynamicOptions? = nil) throws {
        guard let first = models.first else {
            throw LearnedSolverError.invalidSetting(field: "model", value: "(none)", requirement: "give at least one model directory")
        }
        for model in models.dropFirst() {
            try model.checkCompatible(inputs: first.specification.inputs, representation: first.specification.representation,
                                      variant: first.specification.variant, configuration: first.info.databaseConfiguration)
        }
        let s = first.specification
        let fitCount = legendreFitCount ?? min(LearnedImpuritySolver.defaultLegendreFitCount, s.points)
        guard (1...s.points).contains(fitCount) else {
            throw LearnedSolverError.invalidSetting(field: "legendre-fit", value: "\(fitCount)", requirement: "must be 1…\(s.points) (the grid's points)")
        }
        self.models = models
        specification = s
        domain = models.dropFirst().reduce(first.info.domain) { $0.intersection($1.info.domain) }
        self.legendreFitCount = s.representation == .legendre ? min(s.legendreCoefficients, s.points) : fitCount
        self.symmetrize = symmetrize
        self.dynamic = dynamic
        fourier = try GridFourierTransform(points: first.grid.points, legendreCount: self.legendreFitCount)
    }

    /// Loads every directory of `paths` (one model each) as an ensemble.
    public convenience init(directories paths: [String], legendreFitCount: Int? = nil, symmetrize: Bool = true,
                            dynamic: LearnedSolverDynamicOptions? = nil) throws {
        try self.init(models: paths.map { try LearnedSolverModel.load($0) },
                      legendreFitCount: legendreFitCount, symmetrize: symmetrize, dynamic: dynamic)
    }

    /// The label used in error messages.
    var modelLabel: String { models.map(\.path).joined(separator: ", ") }

    /// What the calls so far did.
    public var statistics: LearnedSolverStatistics { state.withLock { $0.statistics } }

    public func resetStatistics() { state.withLock { $0.statistics = LearnedSolverStatistics() } }

    /// The database samples made by exact calls and not yet appended.
    public var pendingSamples: [ImpuritySampleRecord] { state.withLock { $0.pending } }

    /// The scale-free descriptors of `problem`, checked against the training domain.
    public func descriptors(of problem: ImpurityProblem) throws -> (moments: HybridizationMoments, u: Double, betaD: Double) {
        let moments = HybridizationMoments(hybridization: problem.hybridization.values, beta: problem.beta)
        guard moments.first > 0, moments.first.isFinite else { throw LearnedSolverError.noHybridization(moment: moments.first) }
        let d = moments.halfBandwidth
        let u = problem.U / d, betaD = problem.beta * d
        try domain.check(u: u, betaD: betaD, bathOffset: moments.offset, U: problem.U, mu: problem.mu, model: modelLabel)
        return (moments, u, betaD)
    }

    /// The ensemble's prediction for `problem` (steps 1–3).
    public func predict(_ problem: ImpurityProblem) throws -> LearnedSolverPrediction {
        let (moments, _, _) = try descriptors(of: problem)
        let d = moments.halfBandwidth
        let configuration = models[0].info.databaseConfiguration
        let inputs = try LearnedSolverInputs(inputs: specification.inputs, problem: problem, halfBandwidth: d, moments: moments,
                                             configuration: configuration)
        let given = problem.hybridization.values
        let f = specification.frequencies
        let delta = (0..<f).map { n -> Complex<Double> in
            if n < given.count { return given[n] }
            let omega = Double(2 * n + 1) * Double.pi / problem.beta
            return Complex(-moments.second / (omega * omega), -moments.first / omega)
        }
        let sample = LearnedSolverProblem(outputs: inputs.outputs, U: problem.U, mu: problem.mu, beta: problem.beta, halfBandwidth: d,
                                          hybridization: delta)
        let mirrored = LearnedSolverProblem(outputs: inputs.outputs.mapValues { $0.particleHoleMirrored(U: problem.U) }, U: problem.U,
                                            mu: problem.U - problem.mu, beta: problem.beta, halfBandwidth: d,
                                            hybridization: delta.map { Complex(-$0.real, $0.imaginary) })
        var members: [[Double]] = [], corrections: [[Complex<Double>]] = []
        for model in models {
            let (g, sigma) = LearnedImpuritySolver.predict(model, sample)
            guard symmetrize else {
                members.append(g)
                if let sigma { corrections.append(sigma) }
                continue
            }
            let (gm, sigmam) = LearnedImpuritySolver.predict(model, mirrored)
            let p = g.count
            members.append((0..<p).map { 0.5 * (g[$0] + gm[p - 1 - $0]) })
            if let sigma, let sigmam {
                // Σ'(iω) = U − Σ(iω)* ⇒ Σ³'(iω) = −Σ³(iω)*.
                corrections.append(zip(sigma, sigmam).map { a, b in Complex(0.5 * (a.real - b.real), 0.5 * (a.imaginary + b.imaginary)) })
            }
        }
        let p = members[0].count, m = Double(members.count)
        var mean = [Double](repeating: 0, count: p), spread = 0.0
        for k in 0..<p {
            let values = members.map { $0[k] }
            let average = values.reduce(0, +) / m
            mean[k] = average
            spread = max(spread, (values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / m).squareRoot())
        }
        if problem.isHalfFilled {
            mean = (0..<p).map { 0.5 * (mean[$0] + mean[p - 1 - $0]) }
        }
        // The sum rule G(0⁺) + G(β⁻) = −1 (the 1/(iω) tail of G is exactly 1).
        let excess = (mean[0] + mean[p - 1] + 1) / 2
        mean = mean.map { $0 - excess }
        var correction: [Complex<Double>]?
        if !corrections.isEmpty {
            correction = (0..<f).map { n in corrections.reduce(Complex<Double>.zero) { $0 + $1[n] } / Complex(m, 0) }
            if symmetrize || models.count > 1 {
                // The mean G(x) of the members is not the G of the mean Σ³ exactly; recompute it.
                let ipt = inputs.outputs["ipt"]!
                mean = SigmaCorrection.imaginaryTime(points: models[0].grid.points, iptImaginaryTime: ipt.gTau, mu: problem.mu,
                                                     beta: problem.beta, hybridization: delta, iptSelfEnergy: ipt.sigmaMatsubara!,
                                                     correction: correction!)
            }
        }
        return LearnedSolverPrediction(imaginaryTime: mean, spread: spread, members: members, selfEnergyCorrection: correction,
                                       inputs: inputs, moments: moments)
    }

    /// One member's G(x_k) (and Σ³ for the sigma variant) for one problem.
    static func predict(_ model: LearnedSolverModel, _ problem: LearnedSolverProblem) -> ([Double], [Complex<Double>]?) {
        let s = model.specification
        let row = model.output(features: .init(shape: [1, s.inputWidth], scalars: s.features(of: problem))).scalars
        let g = s.imaginaryTime(output: row, problem: problem, grid: model.grid)
        return (g, s.variant == .sigma ? s.selfEnergyCorrection(output: row, problem: problem) : nil)
    }

    public func solve(_ problem: ImpurityProblem) throws -> ImpurityResult {
        let prediction = try predict(problem)
        if let dynamic, prediction.spread > dynamic.threshold {
            return try solveExactly(problem, prediction: prediction, options: dynamic)
        }
        state.withLock {
            $0.statistics.calls += 1
            $0.statistics.largestSpread = max($0.statistics.largestSpread, prediction.spread)
        }
        return try result(for: problem, prediction: prediction)
    }

    /// Step 4: G, Σ and the observables on the problem's mesh from a prediction.
    public func result(for problem: ImpurityProblem, prediction: LearnedSolverPrediction) throws -> ImpurityResult {
        let mesh = problem.mesh, beta = problem.beta
        let delta = problem.hybridization
        let first = specification.inputs[0]
        var g: [Complex<Double>]
        if let correction = prediction.selfEnergyCorrection {
            let sigmaIPT = prediction.inputs.selfEnergies["ipt"]!
            g = (0..<mesh.count).map { n in
                let sigma = sigmaIPT[n] + (n < correction.count ? correction[n] : .zero)
                return 1 / (Complex(problem.mu, mesh.frequency(n)) - delta[n] - sigma)
            }
        } else {
            let base = prediction.inputs.outputs[first]!.gTau
            var difference = zip(prediction.imaginaryTime, base).map { $0 - $1 }
            // A constant in τ transforms into a pure 1/(iω) term: removing the ends' mean keeps
            // the first input's exact tail (its grid values carry the FFT's ~1e-7 error).
            let ends = (difference[0] + difference[difference.count - 1]) / 2
            difference = difference.map { $0 - ends }
            let coefficients = fourier.legendreCoefficients(difference)
            let added = GridFourierTransform.matsubara(legendre: coefficients, beta: beta, matrix: matrix(count: mesh.count), count: mesh.count)
            let firstG = prediction.inputs.greensFunctions[first]!
            g = (0..<mesh.count).map { firstG[$0] + added[$0] }
        }
        let halfFilled = problem.isHalfFilled
        if halfFilled { g = g.map { Complex(0, $0.imaginary) } }
        let gFunction = try MatsubaraGreensFunction(mesh: mesh, values: g)
        let sigma = try MatsubaraGreensFunction(mesh: mesh, values: (0..<mesh.count).map { n in
            Complex(problem.mu, mesh.frequency(n)) - delta[n] - 1 / g[n]
        })
        let occupation = halfFilled ? 0.5 : -prediction.imaginaryTime[prediction.imaginaryTime.count - 1]
        return ImpurityResult(g: gFunction, sigma: sigma, occupation: occupation,
                              doubleOccupancy: galitskiiMigdalDoubleOccupancy(g: gFunction, sigma: sigma, U: problem.U, occupation: occupation))
    }

    /// T_nl for the first `count` frequencies (cached per count).
    func matrix(count: Int) -> [Complex<Double>] {
        if let cached = matrices.withLock({ $0[count] }) { return cached }
        let computed = GridFourierTransform.matsubaraMatrix(count: count, legendreCount: legendreFitCount)
        matrices.withLock { $0[count] = computed }
        return computed
    }

    /// The exact call of the dynamic mode: ED on Δ fitted onto the database's bath (as
    /// `--solver ed`), and the problem as a new database sample in the form the learned solver
    /// will meet it again: the target `ed` is that ED solution (G(x) from its Lehmann sum, g_l in
    /// closed form, G and Σ on the stored frequencies), every cheap solver of the database is run on
    /// the problem's own Δ (`LearnedSolverInputs`, exactly what the network's inputs are at
    /// inference), the parameters are the fitted bath with D the scale inferred from Δ's moment.
    /// (The `sigma` variant's Dyson equation uses the stored bath's Δ, which is the fitted one here:
    /// these samples are meant for the `correction` variant.)
    func solveExactly(_ problem: ImpurityProblem, prediction: LearnedSolverPrediction, options: LearnedSolverDynamicOptions) throws -> ImpurityResult {
        let configuration = models[0].info.databaseConfiguration
        let exact = ExactDiagonalizationSolver(bathSites: configuration.bathSites)
        let model = try exact.model(for: problem)
        let result = try exact.solve(ImpurityProblem(model: model, frequencies: problem.mesh.count))
        var record: ImpuritySampleRecord?
        if options.recordSamples, let solution = result.exact {
            let order = model.bathEnergies.indices.sorted { model.bathEnergies[$0] < model.bathEnergies[$1] }
            let d = prediction.moments.halfBandwidth
            let parameters = ImpuritySampleParameters(index: 0, U: model.U, halfBandwidth: d, beta: model.beta, mu: model.mu,
                                                      bathEnergies: order.map { model.bathEnergies[$0] },
                                                      bathHoppings: order.map { abs(model.bathHoppings[$0]) })
            var outputs = try LearnedSolverInputs(inputs: configuration.inputs, problem: problem, halfBandwidth: d,
                                                  moments: prediction.moments, configuration: configuration).outputs
            let representation = models[0].grid
            let f = configuration.storedFrequencies
            outputs[configuration.target] = ImpuritySolverOutput(
                gTau: try solution.greensFunction(imaginaryTimes: representation.times(beta: model.beta)),
                legendre: representation.legendreCoefficients(poleEnergies: solution.poles.energies, weights: solution.poles.weights,
                                                              beta: model.beta),
                gMatsubara: solution.greensFunction(matsubaraCount: f), sigmaMatsubara: solution.selfEnergy(matsubaraCount: f),
                occupation: solution.occupationUp, doubleOccupancy: solution.doubleOccupancy, seconds: 0)
            record = ImpuritySampleRecord(parameters: parameters, outputs: outputs)
        }
        state.withLock {
            $0.statistics.calls += 1
            $0.statistics.exactCalls += 1
            $0.statistics.largestSpread = max($0.statistics.largestSpread, prediction.spread)
            if let record { $0.pending.append(record) }
        }
        return result
    }

    /// Appends the pending samples to the database at `path` (created with the training
    /// database's configuration when absent) and clears them; returns how many were added.
    @discardableResult
    public func appendPendingSamples(to path: String) throws -> Int {
        let pending = state.withLock { $0.pending }
        guard !pending.isEmpty else { return 0 }
        try LearnedSolverDatabaseGrowth.append(pending, to: path, template: models[0].info.databaseConfiguration)
        state.withLock {
            $0.pending.removeFirst(pending.count)
            $0.statistics.addedSamples += pending.count
        }
        return pending.count
    }
}

/// The dynamic mode's settings.
public struct LearnedSolverDynamicOptions: Sendable, Equatable {
    /// Ensemble spread (max over x of the standard deviation of G(x)) above which the exact solver is called.
    public var threshold: Double
    /// Keep each exactly solved problem as a database sample.
    public var recordSamples: Bool

    public init(threshold: Double = 1e-3, recordSamples: Bool = true) {
        self.threshold = threshold
        self.recordSamples = recordSamples
    }
}

/// Counts of a learned solver's calls.
public struct LearnedSolverStatistics: Sendable, Equatable, Codable {
    public var calls = 0
    /// Calls answered by the exact solver (dynamic mode).
    public var exactCalls = 0
    /// The largest ensemble spread seen.
    public var largestSpread = 0.0
    /// Samples appended to the database so far.
    public var addedSamples = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case calls, exactCalls = "exact_calls", largestSpread = "largest_spread", addedSamples = "added_samples"
    }
}

/// What `LearnedImpuritySolver.predict` returns.
public struct LearnedSolverPrediction: Sendable {
    /// The ensemble's G(x_k).
    public var imaginaryTime: [Double]
    /// max_k of the members' standard deviation of G(x_k).
    public var spread: Double
    /// Each member's G(x_k).
    public var members: [[Double]]
    /// The mean Σ³ (sigma variant).
    public var selfEnergyCorrection: [Complex<Double>]?
    public var inputs: LearnedSolverInputs
    public var moments: HybridizationMoments
}
