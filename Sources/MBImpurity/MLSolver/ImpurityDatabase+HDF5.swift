import Foundation
import MBIO

/// The HDF5 file of an impurity database (all datasets float64 except `index`, int64):
///
///     /x                          [P]          the grid x_k = −cos(πk/(P−1))
///     /index                      [N]          global sample indices, ascending
///     /parameters                 [N, 6+2Nb]   U, D, beta, mu, u, betaD, eps_1…, V_1… (attribute `columns`)
///     /g_tau/<solver>             [N, P]       G(x_k)
///     /legendre/<solver>          [N, L]       g_l = G_l/β
///     /g_iw/<solver>              [N, F, 2]    Re, Im G(iω_n), n < F    (solver ∈ {ed, ipt})
///     /sigma_iw/<solver>          [N, F, 2]    Re, Im Σ(iω_n)           (solver ∈ {ed, ipt})
///     /occupation/<solver>        [N]          ⟨n↑⟩
///     /double_occupancy/<solver>  [N]          ⟨n↑n↓⟩
///     /seconds/<solver>           [N]          wall time of the solve (not reproducible)
///
/// Root attributes: `config` (the configuration as JSON, the source of truth), and for
/// convenience `format_version`, `samples` (N of the whole run), `shard` ("i/n"), `seed`
/// (decimal string), `bath_sites`, `solvers` (target first), `target`. The parts of an
/// interrupted build have the same layout plus the attribute `chunk_size`.
extension ImpurityDatabase {
    /// Reads and validates a database file: the configuration must parse and be valid, every
    /// dataset it implies must exist with the implied shape, and the indices must ascend inside
    /// the shard's range. With `requireComplete` (the default) the file must hold its whole
    /// shard, as a finished build or merge does.
    /// - Throws: `ImpurityDatabaseError` naming the file and the missing or misshapen field;
    ///   `HDF5Error` for a file that is not HDF5 or a dataset of the wrong element type.
    public init(contentsOf path: String, requireComplete: Bool = true) throws {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        let configuration = try ImpurityDatabase.configuration(in: file)
        let p = configuration.points, l = configuration.legendreCoefficients, f = configuration.storedFrequencies
        func read(_ field: String, _ shape: (Int) -> [Int]) throws -> (values: [Double], rows: Int) {
            guard file.kind(at: field) == .dataset else { throw ImpurityDatabaseError.missingField(file: path, field: field) }
            let found = try file.datasetShape(at: field)
            let rows = found.first ?? -1
            guard found.count == shape(0).count, rows >= 0, found == shape(rows) else {
                throw ImpurityDatabaseError.wrongShape(file: path, field: field, expected: shape(max(rows, 0)), found: found)
            }
            return (try file.readArray(Double.self, at: field).values, rows)
        }
        guard file.kind(at: "index") == .dataset else { throw ImpurityDatabaseError.missingField(file: path, field: "index") }
        let indexShape = try file.datasetShape(at: "index")
        guard indexShape.count == 1 else { throw ImpurityDatabaseError.wrongShape(file: path, field: "index", expected: [-1], found: indexShape) }
        let indices = try file.readArray(Int.self, at: "index").values
        let n = indices.count
        let x = try read("x") { _ in [p] }.values
        let expectedX = ImaginaryTimeRepresentation.chebyshevLobattoPoints(p)
        if let k = x.indices.first(where: { abs(x[$0] - expectedX[$0]) > 1e-14 }) {
            throw ImpurityDatabaseError.configurationMismatch(file: path, field: "x[\(k)]", expected: "\(expectedX[k])", found: "\(x[k])",
                                                              context: "does not hold the Chebyshev–Lobatto grid")
        }
        let parameters = try read("parameters") { _ in [n, 6 + 2 * configuration.bathSites] }.values
        var solvers: [String: SolverColumns] = [:]
        for solver in configuration.solvers {
            let name = solver.name
            var columns = SolverColumns(storesMatsubara: solver.storesMatsubara)
            columns.gTau = try read("g_tau/\(name)") { _ in [n, p] }.values
            columns.legendre = try read("legendre/\(name)") { _ in [n, l] }.values
            if solver.storesMatsubara {
                columns.gMatsubara = try read("g_iw/\(name)") { _ in [n, f, 2] }.values
                columns.sigmaMatsubara = try read("sigma_iw/\(name)") { _ in [n, f, 2] }.values
            }
            columns.occupation = try read("occupation/\(name)") { _ in [n] }.values
            columns.doubleOccupancy = try read("double_occupancy/\(name)") { _ in [n] }.values
            columns.seconds = try read("seconds/\(name)") { _ in [n] }.values
            solvers[name] = columns
        }
        let range = configuration.indexRange
        for (row, index) in indices.enumerated() where !range.contains(index) || (row > 0 && index <= indices[row - 1]) {
            throw ImpurityDatabaseError.configurationMismatch(
                file: path, field: "index[\(row)]", expected: "ascending indices in \(range.lowerBound)..<\(range.upperBound) (shard \(configuration.shard))",
                found: "\(index)", context: "has an inconsistent sample index")
        }
        if requireComplete && n != range.count {
            let missing = Set(range).subtracting(indices)
            throw ImpurityDatabaseError.missingSamples(ranges: ImpurityDatabase.describeRanges(missing.sorted()) + " in '\(path)'", total: range.count)
        }
        self.init(configuration: configuration, indices: indices, parameters: parameters, solvers: solvers)
    }

    /// The configuration stored in `path`, without reading the data.
    public static func configuration(of path: String) throws -> ImpurityDatabaseConfiguration {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        return try configuration(in: file)
    }

    /// An integer root attribute of `path` (e.g. a part's `chunk_size`), nil if absent.
    static func integerAttribute(_ name: String, of path: String) throws -> Int? {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        return file.hasAttribute(name) ? try file.attribute(name, as: Int.self) : nil
    }

    static func configuration(in file: HDF5File) throws -> ImpurityDatabaseConfiguration {
        guard file.hasAttribute("config") else {
            throw ImpurityDatabaseError.notADatabase(file: file.path, reason: "it has no 'config' attribute on its root group")
        }
        guard case let .string(json) = try file.attribute("config") else {
            throw ImpurityDatabaseError.notADatabase(file: file.path, reason: "its 'config' attribute is not a string")
        }
        let configuration = try ImpurityDatabaseConfiguration.parse(json: json, file: file.path)
        do {
            try configuration.validate()
        } catch {
            throw ImpurityDatabaseError.notADatabase(file: file.path, reason: "\(error)")
        }
        return configuration
    }

    /// Writes the database atomically to `path` (a reader sees the old file or the whole new
    /// one). `integerAttributes` are added to the root group (the builder's `chunk_size`).
    public func write(to path: String, integerAttributes: [String: Int] = [:]) throws {
        let c = configuration
        let n = count, p = c.points, l = c.legendreCoefficients, f = c.storedFrequencies
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("config", c.jsonString())
            try file.setAttribute("format_version", c.formatVersion)
            try file.setAttribute("samples", c.samples)
            try file.setAttribute("shard", c.shard.description)
            try file.setAttribute("seed", String(c.seed))
            try file.setAttribute("bath_sites", c.bathSites)
            try file.setAttribute("solvers", c.solvers.map(\.name))
            try file.setAttribute("target", c.target)
            for (name, value) in integerAttributes.sorted(by: { $0.key < $1.key }) { try file.setAttribute(name, value) }
            try file.write(representation.points, at: "x")
            try file.write(indices, at: "index")
            try file.write(parameters, shape: [n, parameterColumnCount], at: "parameters")
            try file.setAttribute("columns", parameterColumns, on: "parameters")
            for solver in c.solvers {
                let name = solver.name, columns = solvers[name]!
                try file.write(columns.gTau, shape: [n, p], at: "g_tau/\(name)")
                try file.write(columns.legendre, shape: [n, l], at: "legendre/\(name)")
                if let g = columns.gMatsubara, let sigma = columns.sigmaMatsubara {
                    try file.write(g, shape: [n, f, 2], at: "g_iw/\(name)")
                    try file.write(sigma, shape: [n, f, 2], at: "sigma_iw/\(name)")
                }
                try file.write(columns.occupation, at: "occupation/\(name)")
                try file.write(columns.doubleOccupancy, at: "double_occupancy/\(name)")
                try file.write(columns.seconds, at: "seconds/\(name)")
            }
        }
    }

    /// "3..<7, 12" for sorted indices.
    static func describeRanges(_ sorted: [Int], limit: Int = 8) -> String {
        var ranges: [ClosedRange<Int>] = []
        for index in sorted {
            if let last = ranges.last, last.upperBound + 1 == index {
                ranges[ranges.count - 1] = last.lowerBound...index
            } else {
                ranges.append(index...index)
            }
        }
        let text = ranges.prefix(limit).map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)..<\($0.upperBound + 1)" }
        return text.joined(separator: ", ") + (ranges.count > limit ? ", … (\(ranges.count) ranges)" : "")
    }
}
