import Foundation
import Testing

@Suite("mbml dmft")
struct DMFTCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mbml-dmft-cli-\(getpid())").path

    @Test func solveAtomicLimitMatchesTheClosedForm() throws {
        // No bath: G(τ) = −[(1 − n) e^{μτ} + n e^{(μ − U)τ}]·(weights) with the grand-canonical
        // weights 1, 2e^{βμ}, e^{β(2μ − U)} of the empty, singly and doubly occupied states.
        let (U, mu, beta) = (2.0, 0.7, 3.0)
        let out = folder + "/atomic"
        let result = try MBMLProcess.run(["dmft", "solve", "--U", "\(U)", "--mu", "\(mu)", "--beta", "\(beta)", "--tau-points", "11", "--output", out])
        #expect(result.status == 0, "\(result.error)")
        let z = 1 + 2 * exp(beta * mu) + exp(beta * (2 * mu - U))
        let rows = try String(contentsOfFile: out + "/g_tau.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count == 11)
        for row in rows {
            let fields = row.split(separator: ",").map { Double($0)! }
            let tau = fields[0]
            // G(τ) = −(1/Z) Σ_{a,b} |⟨b|c†|a⟩|² e^{−βE_a} e^{−τ(E_b − E_a)}, E = 0, −μ, −μ, U − 2μ.
            let exact = -(exp(mu * tau) + exp(beta * mu) * exp(-(U - mu) * tau)) / z
            #expect(abs(fields[1] - exact) < 1e-12, "τ = \(tau): \(fields[1]) vs \(exact)")
        }
    }

    @Test func badInputIsNamed() throws {
        let lengths = try MBMLProcess.run(["dmft", "solve", "--U", "1", "--mu", "0.5", "--beta", "10", "--bath-energies", "-0.5",
                                           "--bath-hoppings", "0.4,0.4", "--output", folder + "/bad"])
        #expect(lengths.status != 0 && lengths.error.contains("--bath-hoppings has 2"))
        let beta = try MBMLProcess.run(["dmft", "solve", "--U", "1", "--mu", "0.5", "--beta", "-1", "--output", folder + "/bad"])
        #expect(beta.status != 0 && beta.error.contains("beta = -1"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/bad"))
        let tau = try MBMLProcess.run(["dmft", "solve", "--U", "1", "--mu", "0.5", "--beta", "10", "--tau-points", "1", "--output", folder + "/bad"])
        #expect(tau.status != 0 && tau.error.contains("--tau-points"))
    }

    @Test func sweepShowsHysteresis() throws {
        let out = folder + "/sweep"
        let result = try MBMLProcess.run(["dmft", "sweep", "--beta", "50", "--u", "2.2:3.2:0.5", "--frequencies", "512", "--quiet", "--output", out])
        #expect(result.status == 0, "\(result.error)")
        let csv = try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "U,direction,Z,double_occupancy,converged,iterations,g_half_beta" && csv.count == 7)
        // At U = 2.7 the upward sweep is metallic and the downward one insulating.
        let at27 = csv.filter { $0.hasPrefix("2.7,") }.map { $0.split(separator: ",") }
        let zUp = Double(at27.first { $0[1] == "up" }![2])!, zDown = Double(at27.first { $0[1] == "down" }![2])!
        #expect(zUp > 0.1 && zDown < 0.02, "Z up \(zUp), down \(zDown)")
        let summary = try String(contentsOfFile: out + "/summary.json", encoding: .utf8)
        #expect(summary.contains("\"uc1\" : 2.7") && summary.contains("\"uc2\" : 2.7"))
    }

    @Test func loopWithAnySolverAndChemicalPotential() throws {
        // Hubbard-I away from half filling: μ > U/2 fills the band above 1/2 per spin; the files are all there.
        let out = folder + "/loop-hi"
        let result = try MBMLProcess.run(["dmft", "loop", "--solver", "hubbard-i", "--U", "1", "--mu", "1.2", "--beta", "10",
                                          "--frequencies", "256", "--quiet", "--output", out])
        #expect(result.status == 0, "\(result.error)")
        for file in ["g_iw.csv", "g_tau.csv", "spectral.csv", "spectral.svg", "convergence.csv", "observables.json", "result.h5", "run.json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/observables.json"))) as! [String: Any]
        let n = json["n_up"] as! Double
        #expect(n > 0.55 && n < 1 && json["solver"] as? String == "hubbard-i" && json["converged"] as? Bool == true)
        // G(β⁻) = −n and G(0⁺) = n − 1 in g_tau.csv.
        let rows = try String(contentsOfFile: out + "/g_tau.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
        #expect(abs(rows.last![1] + n) < 1e-6 && abs(rows.first![1] - (n - 1)) < 1e-6)
        // ED reports its fitted (particle–hole symmetric) bath.
        let ed = try MBMLProcess.run(["dmft", "loop", "--solver", "ed", "--bath-sites", "2", "--U", "1", "--beta", "10",
                                      "--frequencies", "128", "--tolerance", "1e-6", "--quiet", "--output", folder + "/loop-ed"])
        #expect(ed.status == 0, "\(ed.error)")
        let edJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/loop-ed/observables.json"))) as! [String: Any]
        let energies = edJSON["bath_energies"] as! [Double]
        #expect(energies.count == 2 && abs(energies[0] + energies[1]) < 1e-10 && edJSON["energy"] is Double)
    }
}
