import ComplexModule
import Foundation
import MBGreens
import MBIO
import MBTensor

/// Files written by the DMFT commands.
enum DMFTOutput {
    struct Observables: Codable {
        var U: Double, beta: Double, Z: Double, double_occupancy: Double, g_half_beta: Double
        var converged: Bool, iterations: Int
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
