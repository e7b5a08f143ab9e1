import ComplexModule
import RealModule
import MBTensor

/// A database of random impurity problems, each solved by the exact target and the cheap input
/// solvers, held column by column in the layout of its HDF5 file (`ImpurityDatabase+HDF5`).
/// Built by `ImpurityDatabaseBuilder`, read back by `init(contentsOf:)` for training.
///
/// Rows are samples in ascending global index. For N rows, P grid points, L Legendre
/// coefficients, F stored frequencies and Nb bath sites:
///
/// | column | shape | content |
/// | --- | --- | --- |
/// | `indices` | [N] | global sample index k |
/// | `parameters` | [N, 6 + 2Nb] | U, D, beta, mu, u = U/D, betaD, eps_1…eps_Nb, V_1…V_Nb |
/// | `gTau` | [N, P] | G(x_k), x_k = −cos(πk/(P−1)) |
/// | `legendre` | [N, L] | g_l = G_l/β |
/// | `gMatsubara`, `sigmaMatsubara` | [N, F, 2] | Re, Im of G(iω_n), Σ(iω_n) (target and IPT only) |
/// | `occupation`, `doubleOccupancy`, `seconds` | [N] | ⟨n↑⟩, ⟨n↑n↓⟩, solver wall time |
public struct ImpurityDatabase: Sendable {
    /// One solver's columns (row-major, one row per sample).
    public struct SolverColumns: Sendable, Equatable {
        public var gTau: [Double] = []
        public var legendre: [Double] = []
        public var gMatsubara: [Double]?
        public var sigmaMatsubara: [Double]?
        public var occupation: [Double] = []
        public var doubleOccupancy: [Double] = []
        public var seconds: [Double] = []

        public init(storesMatsubara: Bool) {
            if storesMatsubara {
                gMatsubara = []
                sigmaMatsubara = []
            }
        }

        public init(gTau: [Double], legendre: [Double], gMatsubara: [Double]?, sigmaMatsubara: [Double]?,
                    occupation: [Double], doubleOccupancy: [Double], seconds: [Double]) {
            self.gTau = gTau
            self.legendre = legendre
            self.gMatsubara = gMatsubara
            self.sigmaMatsubara = sigmaMatsubara
            self.occupation = occupation
            self.doubleOccupancy = doubleOccupancy
            self.seconds = seconds
        }
    }

    public let configuration: ImpurityDatabaseConfiguration
    public let representation: ImaginaryTimeRepresentation
    public private(set) var indices: [Int] = []
    public private(set) var parameters: [Double] = []
    /// Columns by solver name (`configuration.solvers`).
    public private(set) var solvers: [String: SolverColumns]

    /// An empty database for `configuration`.
    public init(configuration: ImpurityDatabaseConfiguration) {
        self.configuration = configuration
        representation = ImaginaryTimeRepresentation(pointCount: configuration.points, legendreCount: configuration.legendreCoefficients)
        solvers = Dictionary(uniqueKeysWithValues: configuration.solvers.map { ($0.name, SolverColumns(storesMatsubara: $0.storesMatsubara)) })
    }

    /// A database of `records` (in the order given).
    public init(configuration: ImpurityDatabaseConfiguration, records: [ImpuritySampleRecord]) {
        self.init(configuration: configuration)
        for record in records { append(record) }
    }

    /// Columns read from a file (shapes checked by the reader).
    init(configuration: ImpurityDatabaseConfiguration, indices: [Int], parameters: [Double], solvers: [String: SolverColumns]) {
        self.init(configuration: configuration)
        self.indices = indices
        self.parameters = parameters
        self.solvers = solvers
    }

    /// N, the samples held.
    public var count: Int { indices.count }
    /// 6 + 2Nb.
    public var parameterColumnCount: Int { 6 + 2 * configuration.bathSites }
    /// The names of the `parameters` columns.
    public var parameterColumns: [String] { ImpuritySampleParameters.columnNames(bathSites: configuration.bathSites) }

    /// Adds one sample at the end. The record must hold every solver of the configuration with
    /// the configured sizes (a programmer error otherwise).
    public mutating func append(_ record: ImpuritySampleRecord) {
        let p = configuration.points, l = configuration.legendreCoefficients, f = configuration.storedFrequencies
        precondition(record.parameters.bathSites == configuration.bathSites,
                     "sample \(record.parameters.index) has \(record.parameters.bathSites) bath sites, the database \(configuration.bathSites)")
        indices.append(record.parameters.index)
        parameters += record.parameters.row
        for solver in configuration.solvers {
            guard let output = record.outputs[solver.name] else {
                preconditionFailure("sample \(record.parameters.index) has no output of solver \(solver.name)")
            }
            precondition(output.gTau.count == p && output.legendre.count == l,
                         "solver \(solver.name): \(output.gTau.count) G(τ) values, \(output.legendre.count) coefficients; expected \(p), \(l)")
            var columns = solvers[solver.name]!
            columns.gTau += output.gTau
            columns.legendre += output.legendre
            if solver.storesMatsubara {
                let g = output.gMatsubara ?? [], sigma = output.sigmaMatsubara ?? []
                precondition(g.count == f && sigma.count == f, "solver \(solver.name): \(g.count), \(sigma.count) frequencies, expected \(f)")
                columns.gMatsubara! += g.flatMap { [$0.real, $0.imaginary] }
                columns.sigmaMatsubara! += sigma.flatMap { [$0.real, $0.imaginary] }
            }
            columns.occupation.append(output.occupation)
            columns.doubleOccupancy.append(output.doubleOccupancy)
            columns.seconds.append(output.seconds)
            solvers[solver.name] = columns
        }
    }

    /// Appends all rows of `other` (same configuration apart from the shard; checked by the callers).
    public mutating func append(contentsOf other: ImpurityDatabase) {
        precondition(configuration.differences(from: other.configuration, includingShard: false).isEmpty,
                     "append(contentsOf:) needs databases of one configuration")
        indices += other.indices
        parameters += other.parameters
        for (name, theirs) in other.solvers {
            var columns = solvers[name]!
            columns.gTau += theirs.gTau
            columns.legendre += theirs.legendre
            if columns.gMatsubara != nil {
                columns.gMatsubara! += theirs.gMatsubara ?? []
                columns.sigmaMatsubara! += theirs.sigmaMatsubara ?? []
            }
            columns.occupation += theirs.occupation
            columns.doubleOccupancy += theirs.doubleOccupancy
            columns.seconds += theirs.seconds
            solvers[name] = columns
        }
    }

    /// The same rows under another configuration (the shard of a merge or an assembled build).
    func relabelled(_ configuration: ImpurityDatabaseConfiguration) -> ImpurityDatabase {
        ImpurityDatabase(configuration: configuration, indices: indices, parameters: parameters, solvers: solvers)
    }

    /// The parameters of row `row`.
    public func parameters(at row: Int) -> ImpuritySampleParameters {
        let width = parameterColumnCount
        return ImpuritySampleParameters(index: indices[row], row: Array(parameters[(row * width)..<((row + 1) * width)]))
    }

    /// Row `row` as a record with every solver's output.
    public subscript(row: Int) -> ImpuritySampleRecord {
        precondition(row >= 0 && row < count, "row \(row) outside 0..<\(count)")
        let p = configuration.points, l = configuration.legendreCoefficients, f = configuration.storedFrequencies
        func complex(_ values: [Double]?) -> [Complex<Double>]? {
            values.map { v in (0..<f).map { Complex(v[(row * f + $0) * 2], v[(row * f + $0) * 2 + 1]) } }
        }
        var outputs: [String: ImpuritySolverOutput] = [:]
        for (name, c) in solvers {
            outputs[name] = ImpuritySolverOutput(
                gTau: Array(c.gTau[(row * p)..<((row + 1) * p)]), legendre: Array(c.legendre[(row * l)..<((row + 1) * l)]),
                gMatsubara: complex(c.gMatsubara), sigmaMatsubara: complex(c.sigmaMatsubara),
                occupation: c.occupation[row], doubleOccupancy: c.doubleOccupancy[row], seconds: c.seconds[row])
        }
        return ImpuritySampleRecord(parameters: parameters(at: row), outputs: outputs)
    }

    /// G(x_k) of `solver` as a [N, P] tensor (nil for a solver not in the database).
    public func gTauTensor(solver: String) -> Tensor<Double>? {
        solvers[solver].map { Tensor(shape: [count, configuration.points], scalars: $0.gTau) }
    }

    /// g_l of `solver` as a [N, L] tensor (nil for a solver not in the database).
    public func legendreTensor(solver: String) -> Tensor<Double>? {
        solvers[solver].map { Tensor(shape: [count, configuration.legendreCoefficients], scalars: $0.legendre) }
    }

    /// The parameters as a [N, 6 + 2Nb] tensor.
    public var parameterTensor: Tensor<Double> { Tensor(shape: [count, parameterColumnCount], scalars: parameters) }
}
