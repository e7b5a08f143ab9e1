import Foundation
import MBImpurity

/// What one network is: its input solvers, representation, transform, variant and layer sizes,
/// and the database grids it works on. Stored in `model.json`; the learned solver refuses a
/// database or a run that asks for something else.
///
/// Features (one row per sample, raw; `LearnedSolverNetwork` standardises every column):
///
///     [T(v_{s_1}), T(v_{s_2}), …, T(v_{s_S}), u, log(βD)]     width S·R + 2,
///
/// with v_s the representation's R values of input solver s (order as given), T the transform,
/// u = U/D and βD the scale-free descriptors. Targets: T(v_target) (`correction`, width R) or
/// w ⊙ Σ³/D, Σ³ = Σ_target − Σ_IPT, w_n = |G_IPT(iω_n) D|², as F real parts then F imaginary parts
/// (`sigma`, width 2F; `SigmaCorrection`).
public struct LearnedSolverSpecification: Codable, Sendable, Equatable {
    /// Input solvers by database name (`hubbard-i`, `ipt`, `ed1`…), in feature order.
    public var inputs: [String]
    public var representation: LearnedSolverRepresentation
    public var transform: GreensFunctionTransform
    public var variant: LearnedSolverVariant
    /// Widths of the hidden layers (the seed: 51, 51).
    public var hidden: [Int]
    public var activation: LearnedSolverActivation
    /// P, the points of the database's x grid.
    public var points: Int
    /// L, the database's Legendre coefficients.
    public var legendreCoefficients: Int
    /// F, the stored Matsubara frequencies (the `sigma` variant's output).
    public var frequencies: Int
    /// The target solver (always `ed`).
    public var target: String

    public init(inputs: [String], representation: LearnedSolverRepresentation = .tau, transform: GreensFunctionTransform = .identity,
                variant: LearnedSolverVariant = .correction, hidden: [Int] = [51, 51], activation: LearnedSolverActivation = .tanh,
                points: Int = 51, legendreCoefficients: Int = 40, frequencies: Int = 64, target: String = "ed") {
        self.inputs = inputs
        self.representation = representation
        self.transform = transform
        self.variant = variant
        self.hidden = hidden
        self.activation = activation
        self.points = points
        self.legendreCoefficients = legendreCoefficients
        self.frequencies = frequencies
        self.target = target
    }

    /// The same network shape for another database's grids.
    public func with(configuration: ImpurityDatabaseConfiguration) -> LearnedSolverSpecification {
        var copy = self
        copy.points = configuration.points
        copy.legendreCoefficients = configuration.legendreCoefficients
        copy.frequencies = configuration.storedFrequencies
        copy.target = configuration.target
        return copy
    }

    /// The descriptor names, in feature order.
    public static let descriptorNames = ["u", "log_betaD"]

    /// R, values per solver.
    public var valueWidth: Int { representation.width(points: points, legendreCoefficients: legendreCoefficients) }
    /// S·R + 2.
    public var inputWidth: Int { inputs.count * valueWidth + LearnedSolverSpecification.descriptorNames.count }
    /// R or 2F.
    public var outputWidth: Int { variant == .correction ? valueWidth : 2 * frequencies }
    /// The inputs joined by commas (as on the command line).
    public var inputList: String { inputs.joined(separator: ",") }

    /// Checks the settings; the error names the field.
    public func validate() throws(LearnedSolverError) {
        guard !inputs.isEmpty else {
            throw .invalidSetting(field: "inputs", value: "(none)", requirement: "name at least one input solver (hubbard-i, ipt, ed1, …)")
        }
        for name in inputs {
            guard let solver = ImpurityDatabaseSolver(name: name), solver != .exact else {
                throw .invalidSetting(field: "inputs", value: name, requirement: "must be hubbard-i, ipt or edK (K = 1…\(ImpurityDatabaseSolver.maximumFittedBathSites)); 'ed' is the target")
            }
        }
        guard Set(inputs).count == inputs.count else {
            throw .invalidSetting(field: "inputs", value: inputList, requirement: "must not repeat a solver")
        }
        if variant == .sigma && !inputs.contains("ipt") {
            throw .invalidSetting(field: "inputs", value: inputList, requirement: "the sigma variant learns Σ − Σ_IPT and needs ipt among the inputs")
        }
        guard !hidden.isEmpty, hidden.allSatisfy({ $0 >= 1 && $0 <= 4096 }) else {
            throw .invalidSetting(field: "hidden", value: hidden.map(String.init).joined(separator: ","), requirement: "one or more layer widths in 1…4096")
        }
        guard points >= 2, legendreCoefficients >= 1, frequencies >= 1 else {
            throw .invalidSetting(field: "grid", value: "P = \(points), L = \(legendreCoefficients), F = \(frequencies)", requirement: "must be positive")
        }
    }

    /// Checks that `database` (read from `path`) holds every field this network needs.
    /// - Throws: `ImpurityDatabaseError.missingField` naming the file and the dataset.
    public func checkFields(of database: ImpurityDatabase, path: String) throws(ImpurityDatabaseError) {
        for name in [target] + inputs where database.solvers[name] == nil {
            throw .missingField(file: path, field: "\(representation.fieldName)/\(name)")
        }
        if variant == .sigma {
            for name in [target, "ipt"] where database.solvers[name]?.sigmaMatsubara == nil {
                throw .missingField(file: path, field: "sigma_iw/\(name)")
            }
        }
    }

    /// The raw descriptors (u, log βD).
    public static func descriptors(u: Double, betaD: Double) -> [Double] { [u, Foundation.log(betaD)] }

    /// The feature row of one problem from its input solvers' outputs (every input must be present).
    public func features(outputs: [String: ImpuritySolverOutput], u: Double, betaD: Double) -> [Double] {
        var row: [Double] = []
        row.reserveCapacity(inputWidth)
        for name in inputs {
            guard let output = outputs[name] else { preconditionFailure("features: no output of input solver \(name)") }
            let values = representation.values(of: output)
            precondition(values.count == valueWidth, "solver \(name): \(values.count) values, the network expects \(valueWidth)")
            row += transform.forward(values)
        }
        return row + LearnedSolverSpecification.descriptors(u: u, betaD: betaD)
    }

    /// The training target of one database record (see the type's description).
    public func target(of record: ImpuritySampleRecord) -> [Double] {
        guard let exact = record.outputs[target] else { preconditionFailure("target: the record has no \(target) output") }
        switch variant {
        case .correction:
            return transform.forward(representation.values(of: exact))
        case .sigma:
            guard let sigma = exact.sigmaMatsubara, let ipt = record.outputs["ipt"]?.sigmaMatsubara,
                  let g = record.outputs["ipt"]?.gMatsubara else {
                preconditionFailure("target: the sigma variant needs Σ of \(target) and ipt, and G of ipt")
            }
            let d = record.parameters.halfBandwidth
            let difference = (0..<frequencies).map { (sigma[$0] - ipt[$0]) }
            return SigmaCorrection.target(difference, weights: SigmaCorrection.weights(iptGreensFunction: g, halfBandwidth: d, count: frequencies),
                                          halfBandwidth: d)
        }
    }
}
