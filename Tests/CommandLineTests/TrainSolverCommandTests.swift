import Foundation
import MBImpurity
import Testing

@Suite("mbml dmft train-solver and --solver ml", .serialized)
struct TrainSolverCommandTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mbml-train-solver-cli-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A tiny database around the Bethe lattice at β = 2 (D ∈ [0.8, 1.2], U ∈ [1, 3]).
    func database(name: String = "db", samples: Int = 24, points: Int = 21, seed: Int = 3) throws -> String {
        let path = folder + "/\(name).h5"
        let result = try MBMLProcess.run(["dmft", "database", "--samples", String(samples), "--bath-sites", "3", "--beta", "2",
                                          "--inputs", "hubbard-i,ipt", "--points", String(points), "--legendre", "12", "--w-range", "1.6:2.4",
                                          "--u-range", "1:3", "--seed", String(seed), "--quiet", "--output", path])
        #expect(result.status == 0, "\(result.error)")
        return path
    }

    func train(_ data: String, _ output: String, _ extra: [String] = []) throws -> (status: Int32, output: String, error: String) {
        try MBMLProcess.run(["dmft", "train-solver", "--data", data, "--epochs", "3", "--hidden", "8", "--learning-rate", "1e-3",
                             "--validation-fraction", "0.25", "--seed", "2", "--output", output] + extra)
    }

    @Test func trainValidateAndRunTheLoop() throws {
        let data = try database()
        let models = folder + "/models"
        let trained = try train(data, models, ["--inputs", "ipt;hubbard-i,ipt"])
        #expect(trained.status == 0, "\(trained.error)")
        #expect(trained.output.contains("validation RMSE"))
        let table = try String(contentsOfFile: models + "/validation.csv", encoding: .utf8)
        let lines = table.split(separator: "\n")
        #expect(lines.first == "inputs,beta,samples,rmse_ml,rmse_hubbard-i,rmse_ipt,best_input,best_input_rmse,ratio_inputs,best_cheap,best_cheap_rmse,ratio_cheap")
        #expect(lines.count == 5 && lines[1].hasPrefix("ipt,2,6,") && lines[2].hasPrefix("ipt,all,6,") && lines[4].hasPrefix("\"hubbard-i,ipt\",all,6,"))
        for file in ["ipt/model.json", "ipt/model.safetensors", "ipt/metrics.csv", "hubbard-i+ipt/model.json", "run.json"] {
            #expect(FileManager.default.fileExists(atPath: models + "/" + file), "missing \(file)")
        }
        let metrics = try String(contentsOfFile: models + "/ipt/metrics.csv", encoding: .utf8)
        #expect(metrics.hasPrefix("epoch,training_loss,validation_loss") && metrics.split(separator: "\n").count == 4)

        // The loop with the learned solver: converges and reports its calls.
        let loop = folder + "/loop"
        let run = try MBMLProcess.run(["dmft", "loop", "--solver", "ml", "--model", models + "/ipt", "--U", "2", "--beta", "2",
                                       "--frequencies", "256", "--tolerance", "1e-6", "--output", loop])
        #expect(run.status == 0, "\(run.error)")
        let observables = try String(contentsOfFile: loop + "/observables.json", encoding: .utf8)
        #expect(observables.contains("\"solver\" : \"ml\"") && observables.contains("\"exact_calls\" : 0"))
        #expect(observables.contains("\"converged\" : true"))

        // An ensemble of models with other inputs is refused, naming the field.
        let mixed = try MBMLProcess.run(["dmft", "loop", "--solver", "ml", "--model", models + "/ipt," + models + "/hubbard-i+ipt", "--U", "2",
                                         "--beta", "2", "--frequencies", "256", "--output", folder + "/mixed"])
        #expect(mixed.status != 0 && mixed.error.contains("inputs") && mixed.error.contains("hubbard-i+ipt"), "\(mixed.error)")

        // Outside the training domain: a clear refusal, not an extrapolation.
        let far = try MBMLProcess.run(["dmft", "loop", "--solver", "ml", "--model", models + "/ipt", "--U", "2", "--beta", "30",
                                       "--frequencies", "256", "--output", folder + "/far"])
        #expect(far.status != 0 && far.error.contains("outside the training domain") && far.error.contains("βD"), "\(far.error)")
        let offCentre = try MBMLProcess.run(["dmft", "loop", "--solver", "ml", "--model", models + "/ipt", "--U", "2", "--mu", "0.5",
                                             "--beta", "2", "--frequencies", "256", "--output", folder + "/mu"])
        #expect(offCentre.status != 0 && offCentre.error.contains("μ = U/2"), "\(offCentre.error)")

        // Dynamic mode with two members: exact calls are counted and their problems appended.
        let second = folder + "/second"
        #expect(try train(data, second, ["--inputs", "ipt", "--seed", "9"]).status == 0)
        let grown = folder + "/grown.h5"
        try FileManager.default.copyItem(atPath: data, toPath: grown)
        let dynamic = try MBMLProcess.run(["dmft", "loop", "--solver", "ml", "--model", models + "/ipt," + second, "--dynamic",
                                           "--dynamic-threshold", "1e-12", "--database", grown, "--U", "2", "--beta", "2",
                                           "--frequencies", "256", "--max-iterations", "3", "--output", folder + "/dynamic"])
        #expect(dynamic.status == 2, "three iterations do not converge: exit status 2, got \(dynamic.status): \(dynamic.error)")
        let report = try String(contentsOfFile: folder + "/dynamic/observables.json", encoding: .utf8)
        #expect(report.contains("\"exact_calls\" : 3") && report.contains("\"added_samples\" : 3"), "\(report)")
        #expect(try ImpurityDatabase(contentsOf: grown).count == 27)
    }

    @Test func separateValidationDatabase() throws {
        let data = try database(), held = try database(name: "held", samples: 7, seed: 4)
        let models = folder + "/held-out"
        let trained = try train(data, models, ["--inputs", "ipt", "--validation-data", held])
        #expect(trained.status == 0, "\(trained.error)")
        // All 7 held-out problems validate (not a quarter of the training database's 24).
        let table = try String(contentsOfFile: models + "/validation.csv", encoding: .utf8)
        #expect(table.split(separator: "\n").contains { $0.hasPrefix("ipt,all,7,") }, "\(table)")
        // A held-out database on another grid is refused before anything is written.
        let otherGrid = try database(name: "grid15", samples: 4, points: 15, seed: 5)
        let refused = try train(data, folder + "/refused", ["--inputs", "ipt", "--validation-data", otherGrid])
        #expect(refused.status != 0 && refused.error.contains("grid15.h5") && refused.error.contains("points") && refused.error.contains("21"),
                "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/refused"))
    }

    @Test func badInputsAreNamed() throws {
        let data = try database()
        let missing = try train(data, folder + "/missing", ["--inputs", "ipt,ed2"])
        #expect(missing.status != 0 && missing.error.contains("g_tau/ed2"), "\(missing.error)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/missing"), "a refused training must leave no output directory")
        let sigma = try train(data, folder + "/sigma", ["--inputs", "hubbard-i", "--variant", "sigma"])
        #expect(sigma.status != 0 && sigma.error.contains("ipt"), "\(sigma.error)")
        let transform = try train(data, folder + "/transform", ["--transform", "cube"])
        #expect(transform.status != 0 && transform.error.contains("--transform"))
        let notADatabase = try train(folder + "/nothing.h5", folder + "/none")
        #expect(notADatabase.status != 0 && notADatabase.error.contains("nothing.h5"))
        let noModel = try MBMLProcess.run(["dmft", "loop", "--solver", "ml", "--U", "2", "--beta", "2", "--output", folder + "/nomodel"])
        #expect(noModel.status != 0 && noModel.error.contains("--model"))
        let notAModel = try MBMLProcess.run(["dmft", "loop", "--solver", "ml", "--model", folder, "--U", "2", "--beta", "2",
                                             "--output", folder + "/notamodel"])
        #expect(notAModel.status != 0 && notAModel.error.contains("model.json"), "\(notAModel.error)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/notamodel"), "a refused model must leave no output directory")
        let sweepNotAModel = try MBMLProcess.run(["dmft", "sweep", "--solver", "ml", "--model", folder, "--u", "1:2:1", "--beta", "2",
                                                  "--output", folder + "/sweep-notamodel"])
        #expect(sweepNotAModel.status != 0 && !FileManager.default.fileExists(atPath: folder + "/sweep-notamodel"))
    }
}
