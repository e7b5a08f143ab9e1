import ComplexModule
import RealModule
import MBImpurity
import MBTensor

/// One problem as the learned solver sees it: the input solvers' outputs in the database's
/// representations, the physical parameters, and Δ on the stored frequencies (for the `sigma`
/// variant's Dyson equation). Built from a database record or from a DMFT problem.
public struct LearnedSolverProblem: Sendable {
    public var outputs: [String: ImpuritySolverOutput]
    public var U: Double
    public var mu: Double
    public var beta: Double
    /// D (the bath scale, D = 2√ΣV²).
    public var halfBandwidth: Double
    /// Δ(iω_n) for n < F (or empty when not needed).
    public var hybridization: [Complex<Double>]

    public init(outputs: [String: ImpuritySolverOutput], U: Double, mu: Double, beta: Double, halfBandwidth: Double,
                hybridization: [Complex<Double>]) {
        self.outputs = outputs
        self.U = U
        self.mu = mu
        self.beta = beta
        self.halfBandwidth = halfBandwidth
        self.hybridization = hybridization
    }

    /// A database record (its bath's Δ on `frequencies` frequencies).
    public init(record: ImpuritySampleRecord, frequencies: Int) {
        let p = record.parameters
        let omegas = (0..<frequencies).map { Double(2 * $0 + 1) * Double.pi / p.beta }
        self.init(outputs: record.outputs, U: p.U, mu: p.mu, beta: p.beta, halfBandwidth: p.halfBandwidth,
                  hybridization: AndersonImpurityModel.hybridization(energies: p.bathEnergies, hoppings: p.bathHoppings, atFrequencies: omegas))
    }

    public var u: Double { U / halfBandwidth }
    public var betaD: Double { beta * halfBandwidth }
}

extension LearnedSolverSpecification {
    /// The raw feature row of a problem.
    public func features(of problem: LearnedSolverProblem) -> [Double] {
        features(outputs: problem.outputs, u: problem.u, betaD: problem.betaD)
    }

    /// Σ³ (energy units) from the `sigma` variant's output row for `problem` (`SigmaCorrection`).
    public func selfEnergyCorrection(output row: [Double], problem: LearnedSolverProblem) -> [Complex<Double>] {
        guard let g = problem.outputs["ipt"]?.gMatsubara else { preconditionFailure("the sigma variant needs IPT's G(iω)") }
        let d = problem.halfBandwidth
        return SigmaCorrection.selfEnergyCorrection(row, weights: SigmaCorrection.weights(iptGreensFunction: g, halfBandwidth: d, count: row.count / 2),
                                                    halfBandwidth: d)
    }

    /// G(x_k) on the database grid from the network's output row for `problem`:
    /// `correction`: T⁻¹ of the output in the representation (a Legendre expansion is summed on
    /// the grid); `sigma`: `SigmaCorrection.imaginaryTime` from IPT's G(x) and Σ.
    public func imaginaryTime(output row: [Double], problem: LearnedSolverProblem, grid: ImaginaryTimeRepresentation) -> [Double] {
        switch variant {
        case .correction:
            return representation.greensFunction(transform.inverse(row), grid: grid)
        case .sigma:
            guard let ipt = problem.outputs["ipt"], let sigma = ipt.sigmaMatsubara else {
                preconditionFailure("the sigma variant needs IPT's Σ")
            }
            let correction = selfEnergyCorrection(output: row, problem: problem)
            return SigmaCorrection.imaginaryTime(points: grid.points, iptImaginaryTime: ipt.gTau, mu: problem.mu, beta: problem.beta,
                                                 hybridization: problem.hybridization, iptSelfEnergy: sigma, correction: correction)
        }
    }
}

/// The training and validation samples of one network, assembled from a database.
///
/// Split: the database rows are permuted by `RandomGenerator(seed: seed).permutation(N)`; the
/// first ⌊N·f⌋ (at least 1) rows of the permutation are the validation split, the rest the
/// training split, so every network trained with one seed on one database (all input
/// combinations and grid points) sees the same split. Augmentation (the seed's
/// G^e(τ) = G^h(β − τ)): each training record's particle–hole mirror
/// (`ImpuritySampleRecord.particleHoleMirrored`, every solver mirrored, ε → −ε) is appended to the
/// training split; the validation split holds only original samples. With a separate
/// `validationDatabase` every row of `database` trains and every row of `validationDatabase`
/// validates (`validationRows` then index the validation database).
public struct LearnedSolverSamples {
    public let trainingRows: [Int]
    public let validationRows: [Int]
    /// Raw features and targets of the training split (mirrors after the originals).
    public let trainingFeatures: Tensor<Double>
    public let trainingTargets: Tensor<Double>
    public let validationFeatures: Tensor<Double>
    public let validationTargets: Tensor<Double>
    /// The parameters of every training sample (mirrors included), for the domain.
    public let trainingParameters: [ImpuritySampleParameters]

    /// The split of `count` rows.
    public static func split(count: Int, validationFraction: Double, seed: UInt64) -> (training: [Int], validation: [Int]) {
        var generator = RandomGenerator(seed: seed)
        let order = generator.permutation(count)
        let validationCount = min(max(Int(Double(count) * validationFraction), 1), count - 1)
        return (Array(order[validationCount...]), Array(order[..<validationCount]))
    }

    public init(database: ImpurityDatabase, validationDatabase: ImpurityDatabase? = nil, specification: LearnedSolverSpecification,
                validationFraction: Double, seed: UInt64, augment: Bool) {
        let (training, validation): ([Int], [Int])
        if let validationDatabase {
            precondition(database.count >= 1 && validationDatabase.count >= 1, "training and validation need a sample each")
            (training, validation) = (Array(0..<database.count), Array(0..<validationDatabase.count))
        } else {
            precondition(database.count >= 2, "training needs at least 2 samples, the database has \(database.count)")
            (training, validation) = LearnedSolverSamples.split(count: database.count, validationFraction: validationFraction, seed: seed)
        }
        trainingRows = training
        validationRows = validation
        func assemble(_ records: [ImpuritySampleRecord]) -> (Tensor<Double>, Tensor<Double>) {
            var x: [Double] = [], y: [Double] = []
            x.reserveCapacity(records.count * specification.inputWidth)
            y.reserveCapacity(records.count * specification.outputWidth)
            for record in records {
                x += specification.features(outputs: record.outputs, u: record.parameters.u, betaD: record.parameters.betaD)
                y += specification.target(of: record)
            }
            return (Tensor(shape: [records.count, specification.inputWidth], scalars: x),
                    Tensor(shape: [records.count, specification.outputWidth], scalars: y))
        }
        var trainingRecords = training.map { database[$0] }
        if augment { trainingRecords += trainingRecords.map { $0.particleHoleMirrored() } }
        (trainingFeatures, trainingTargets) = assemble(trainingRecords)
        let held = validationDatabase ?? database
        (validationFeatures, validationTargets) = assemble(validation.map { held[$0] })
        trainingParameters = trainingRecords.map(\.parameters)
    }
}
