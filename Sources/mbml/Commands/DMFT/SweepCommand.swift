import ArgumentParser
import Foundation
import MBGreens
import MBImpurity
import MBIO
import MBPlot

extension DMFTCommand {
    struct SweepCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweep",
            abstract: "Sweep U through the Mott transition (up, down or both), each U started from the previous solution.",
            discussion: """
                Writes DIR/sweep.csv (U,direction,Z,double_occupancy,converged,iterations,g_half_beta), DIR/sweep.svg \
                (Z(U) and ⟨n↑n↓⟩(U), both directions: the hysteresis), DIR/summary.json (the coexistence window \
                Uc1, Uc2 from the sweeps, to the grid step) and DIR/run.json.
                """)

        @OptionGroup var options: DMFTOptions
        @Option(name: .customLong("u"), help: "U grid START:STOP:STEP.") var grid: String
        @Option(help: "up, down or both.") var direction: MottSweep.Direction = .both
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        func values() throws -> [Double] {
            let parts = grid.split(separator: ":").map { Double($0) }
            guard parts.count == 3, let start = parts[0], let stop = parts[1], let step = parts[2], start >= 0, step > 0, stop >= start else {
                throw ValidationError("--u must be START:STOP:STEP with 0 ≤ START ≤ STOP and STEP > 0, got '\(grid)'")
            }
            let count = Int(((stop - start) / step + 1e-9).rounded(.down)) + 1
            guard count <= 10_000 else { throw ValidationError("--u gives \(count) values; at most 10 000") }
            return (0..<count).map { start + Double($0) * step }
        }

        func validate() throws { _ = try values() }

        func run() throws {
            common.applyThreads()
            let us = try values()
            let solver = try options.makeSolver()  // a bad --model is refused before any output exists
            let directory = try OutputDirectory.prepare(output, force: force)
            var record = try RunRecord(configuration: ["beta": String(options.beta), "u": grid, "direction": direction.rawValue],
                                       seed: nil, version: ManyBodyMLVersion.string)
            let (uc1, uc2) = try record.measure("sweep") {
                try Self.perform(options: options, solver: solver, values: us, direction: direction, directory: directory,
                                 quiet: common.quiet)
            }
            record.finish()
            try record.write(to: directory)
            if !common.quiet {
                print("coexistence window: Uc1 = \(uc1.map { String($0) } ?? "–"), Uc2 = \(uc2.map { String($0) } ?? "–")")
                print("wrote \(directory.path)/: sweep.csv, sweep.svg, summary.json, run.json")
            }
        }

        /// Runs the sweep and writes sweep.csv, summary.json and sweep.svg into `directory`.
        static func perform(options: DMFTOptions, solver: any ImpuritySolver, values us: [Double], direction: MottSweep.Direction,
                            directory: OutputDirectory, quiet: Bool) throws -> (uc1: Double?, uc2: Double?) {
            let sweep = MottSweep(beta: options.beta)
            let points = try sweep.run(values: us, direction: direction) { U, previous, start in
                let result = try options.converge(U: U, initial: previous, start: start, solver: solver)
                if !quiet {
                    print(String(format: "U = %.3f (%@): Z = %.4f, ⟨n↑n↓⟩ = %.4f, %@ (%d iterations)", U, previous == nil ? start.rawValue : "continued",
                                 result.quasiparticleWeight, result.impurity.doubleOccupancy, result.converged ? "converged" : "NOT converged", result.iterations))
                }
                return result
            }
            var table = CSVTable(header: ["U", "direction", "Z", "double_occupancy", "converged", "iterations", "g_half_beta"])
            for p in points {
                let row: [String] = [String(p.U), p.direction, String(p.Z), String(p.doubleOccupancy), String(p.converged),
                                     String(p.iterations), String(p.gHalfBeta)]
                table.append(row)
            }
            try table.write(to: directory.path(for: "sweep.csv"))
            let (uc1, uc2) = sweep.coexistence(points)
            struct Summary: Encodable {
                let beta: Double; let uc1: Double?; let uc2: Double?; let step: Double; let unconverged: Int
                let learned_solver: DMFTOutput.LearnedSolverReport?
            }
            try DMFTOutput.writeJSON(Summary(beta: options.beta, uc1: uc1, uc2: uc2, step: us.count > 1 ? us[1] - us[0] : 0,
                                             unconverged: points.filter { !$0.converged }.count,
                                             learned_solver: try DMFTOutput.learnedSolverStatistics(solver, options: options)),
                                     to: directory.path(for: "summary.json"))
            try AtomicFile.write(text: figure(points, beta: options.beta), to: directory.path(for: "sweep.svg"))
            return (uc1, uc2)
        }

        static func figure(_ points: [MottSweep.Point], beta: Double) -> String {
            func series(_ name: String, _ value: (MottSweep.Point) -> Double, _ direction: String, _ color: String) -> PlotSeries {
                let chosen = points.filter { $0.direction == direction }.sorted { $0.U < $1.U }
                return PlotSeries(name: "\(name) (\(direction))", x: chosen.map(\.U), y: chosen.map(value), color: color,
                                  style: direction == "up" ? .solid : .dashed, markers: true)
            }
            let z = LinePlot(title: String(format: "quasiparticle weight, β = %g", beta), xAxis: PlotAxis(label: "U/D"),
                             yAxis: PlotAxis(label: "Z", range: 0...1),
                             series: [series("Z", \.Z, "up", "#1f77b4"), series("Z", \.Z, "down", "#d62728")])
            let d = LinePlot(title: "double occupancy", xAxis: PlotAxis(label: "U/D"), yAxis: PlotAxis(label: "⟨n↑n↓⟩"),
                             series: [series("d", \.doubleOccupancy, "up", "#1f77b4"), series("d", \.doubleOccupancy, "down", "#d62728")])
            let width = 860.0
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"300\">"
                + "<g>\(z.svg())</g><g transform=\"translate(430,0)\">\(d.svg())</g></svg>"
        }
    }
}
