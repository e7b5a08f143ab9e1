import ComplexModule
import Foundation
import MBGreens
import MBImpurity
import MBIO
import MBLearnedImpurity
import MBPlot
import MBTensor

/// Files written by the DMFT commands.
enum DMFTOutput {
    struct Observables: Codable {
        var solver: String, U: Double, mu: Double, beta: Double, n_up: Double, Z: Double, double_occupancy: Double, g_half_beta: Double
        var energy: Double?, bath_energies: [Double]?, bath_hoppings: [Double]?
        var converged: Bool, iterations: Int
        /// --solver ml: how many solver calls there were and how many were exact (--dynamic).
        var learned_solver: LearnedSolverReport?
    }

    /// The learned solver's call counts (`exact_calls`: answered by ED in --dynamic mode) and the
    /// samples appended to the database.
    struct LearnedSolverReport: Codable {
        var calls: Int, exact_calls: Int, largest_spread: Double, added_samples: Int, models: [String], database: String?
    }

    /// For --solver ml: appends the pending --dynamic samples to the database and reports the counts.
    static func learnedSolverStatistics(_ solver: any ImpuritySolver, options: DMFTOptions) throws -> LearnedSolverReport? {
        guard let learned = solver as? LearnedImpuritySolver else { return nil }
        _ = try options.appendDynamicSamples(learned)
        let s = learned.statistics
        return LearnedSolverReport(calls: s.calls, exact_calls: s.exactCalls, largest_spread: s.largestSpread, added_samples: s.addedSamples,
                                   models: learned.models.map(\.path),
                                   database: options.dynamic ? (options.database ?? learned.models[0].info.databasePath) : nil)
    }

    /// A(ω) = −Im G(ω + iη)/π on [−4D, 4D] by Padé from the first 64 frequencies (η = 0.02D):
    /// DIR/spectral.csv (omega,A) and DIR/spectral.svg.
    static func writeSpectralFunction(g: MatsubaraGreensFunction, halfBandwidth: Double, title: String, directory: OutputDirectory) throws {
        let mesh = try RealFrequencyMesh(range: -4 * halfBandwidth...4 * halfBandwidth, count: 801)
        let continued = try g.padeContinuation(to: mesh, pointCount: min(64, g.count), broadening: 0.02 * halfBandwidth)
        let omegas = mesh.points, spectrum = continued.values.map { -$0.imaginary / Double.pi }
        var table = CSVTable(header: ["omega", "A"])
        for (omega, a) in zip(omegas, spectrum) { table.append([omega, a]) }
        try table.write(to: directory.path(for: "spectral.csv"))
        let plot = LinePlot(title: title, xAxis: PlotAxis(label: "ω/D"), yAxis: PlotAxis(label: "A(ω)"),
                            series: [PlotSeries(name: "Padé, 64 frequencies", x: omegas, y: spectrum, color: "#1f77b4")])
        try AtomicFile.write(text: plot.svg(), to: directory.path(for: "spectral.svg"))
    }

    static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(try encoder.encode(value), to: path)
    }

    /// n, ω_n, Re G, Im G, Re Σ, Im Σ for the first 64 frequencies.
    static func writeMatsubara(g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction, to path: String) throws {
        var table = CSVTable(header: ["n", "omega", "re", "im", "re_sigma", "im_sigma"])
        for n in 0..<min(64, g.count) {
            table.append([Double(n), g.mesh.frequency(n), g[n].real, g[n].imaginary, sigma[n].real, sigma[n].imaginary])
        }
        try table.write(to: path)
    }

    /// /beta, /omega [N], /g_iw and /sigma_iw [N, 2] (real, imaginary).
    static func writeHDF5(g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction, to path: String) throws {
        try HDF5File.writeAtomically(to: path) { file in
            try file.write([g.mesh.beta], at: "beta")
            try file.write(g.mesh.points, at: "omega")
            try file.write(g.values.flatMap { [$0.real, $0.imaginary] }, shape: [g.count, 2], at: "g_iw")
            try file.write(sigma.values.flatMap { [$0.real, $0.imaginary] }, shape: [g.count, 2], at: "sigma_iw")
        }
    }
}
