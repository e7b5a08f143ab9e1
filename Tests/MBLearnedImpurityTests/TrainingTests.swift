import Foundation
import MBImpurity
import MBIO
import MBLearnedImpurity
import MBTensor
import Testing

@Suite("Learned solver: training, model directory, validation table")
struct TrainingTests {
    @Test("An untrained network starts close to its first input solver")
    func untrainedIsFirstInput() {
        let database = Fixtures.database
        var generator = RandomGenerator(seed: 1)
        let s = Fixtures.specification
        let network = LearnedSolverNetwork(specification: s, generator: &generator)
        let record = database[0]
        let features = Tensor(shape: [1, s.inputWidth], scalars: s.features(outputs: record.outputs, u: record.parameters.u,
                                                                            betaD: record.parameters.betaD))
        let output = network(network.standardized(features)).scalars
        let first = record.outputs["ipt"]!.gTau
        let difference = zip(output, first).map { abs($0 - $1) }.max()!
        #expect(difference < 0.05, "untrained output differs from ipt by \(difference)")
        #expect(difference > 0, "the correction must not be exactly zero (the last layer is trainable from the start)")

        // Standardised with the statistics of a training set, every column has mean 0 and deviation 1
        // (above the floors), and the base is taken back exactly: a zero last layer returns the first input.
        let rows = (0..<database.count).map { database[$0] }
        let all = Tensor(shape: [rows.count, s.inputWidth], scalars: rows.flatMap {
            s.features(outputs: $0.outputs, u: $0.parameters.u, betaD: $0.parameters.betaD) })
        let targets = Tensor(shape: [rows.count, s.outputWidth], scalars: rows.flatMap { s.target(of: $0) })
        network.setNormalization(features: all, targets: targets)
        let z = network.standardized(all).scalars, w = s.inputWidth, n = Double(rows.count)
        for j in [0, s.points / 2, s.points + 3, w - 2, w - 1] {
            let column = (0..<rows.count).map { z[$0 * w + j] }
            let mean = column.reduce(0, +) / n, variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
            #expect(abs(mean) < 1e-12 && (abs(variance - 1) < 1e-12 || network.featureStandardDeviation.scalars[j] == LearnedSolverNetwork.minimumValueDeviation),
                    "column \(j): mean \(mean), variance \(variance)")
        }
        let last = network.layers[network.layers.count - 1]
        last.weight = Tensor(zeros: last.weight.shape)
        let zeroCorrection = network(network.standardized(features)).scalars
        #expect(zip(zeroCorrection, first).map { abs($0 - $1) }.max()! < 1e-14)
    }

    @Test("A few hundred Adam steps bring the validation RMSE of G below the best input solver's")
    func trainingBeatsInputs() {
        let result = Fixtures.trained
        let errors = result.errors
        #expect(!errors.isEmpty)
        let n = Double(errors.count)
        let ml = errors.reduce(0) { $0 + $1.machineLearned } / n
        let ipt = errors.reduce(0) { $0 + $1.solvers["ipt"]! } / n
        let hubbard = errors.reduce(0) { $0 + $1.solvers["hubbard-i"]! } / n
        #expect(ml < min(ipt, hubbard), "ML \(ml), IPT \(ipt), Hubbard-I \(hubbard)")
        #expect(abs(result.validationRMSE - ml) < 1e-15)
        let losses = result.history.records.compactMap(\.validationLoss)
        #expect(losses.min()! < losses[0], "validation loss did not decrease: \(losses.prefix(3)) …")
        #expect(result.model.info.bestEpoch >= 1 && result.model.info.epochsRun == result.history.records.count)
    }

    @Test("model.json and model.safetensors round trip: same description, same predictions")
    func modelRoundTrip() throws {
        let model = Fixtures.trained.model
        let path = Fixtures.temporaryDirectory("roundtrip")
        try model.save(to: OutputDirectory.prepare(path, force: true))
        let loaded = try LearnedSolverModel.load(path)
        #expect(loaded.info == model.info)
        let s = model.specification
        let record = Fixtures.database[7]
        let features = Tensor(shape: [1, s.inputWidth], scalars: s.features(outputs: record.outputs, u: record.parameters.u,
                                                                            betaD: record.parameters.betaD))
        #expect(loaded.output(features: features).scalars == model.output(features: features).scalars)
        let json = try String(contentsOfFile: path + "/model.json", encoding: .utf8)
        for key in ["\"inputs\"", "\"representation\"", "\"transform\"", "\"variant\"", "\"hidden\"", "\"activation\"", "\"grid\"",
                    "\"feature_mean\"", "\"feature_std\"", "\"domain\"", "\"beta_d\"", "\"bath_offset\"", "\"mu_is_half_u\""] {
            #expect(json.contains(key), "model.json lacks \(key)")
        }
        // A model of the earlier format (descriptor-only normalisation) is refused, naming the version.
        let earlier = json.replacingOccurrences(of: "\"format_version\" : 2", with: "\"format_version\" : 1")
        #expect(earlier != json)
        try AtomicFile.write(text: earlier, to: path + "/model.json")
        #expect(throws: LearnedSolverError.notAModel(path: path, reason: "model.json has format_version 1; this program reads 2")) {
            try LearnedSolverModel.load(path)
        }
        // Another kind of file, and weights of another shape, are refused with the path named.
        try AtomicFile.write(text: "{\"kind\": \"continuation\"}", to: path + "/model.json")
        #expect(throws: LearnedSolverError.self) { try LearnedSolverModel.load(path) }
        #expect(throws: LearnedSolverError.self) { try LearnedSolverModel.load(path + "/missing") }
    }

    @Test("A model refuses a database or request with other inputs or representation")
    func mismatchRefused() throws {
        let model = Fixtures.trained.model
        #expect(throws: LearnedSolverError.modelMismatch(path: "", field: "inputs", model: "ipt,hubbard-i", requested: "ipt")) {
            try model.checkCompatible(inputs: ["ipt"])
        }
        #expect(throws: LearnedSolverError.modelMismatch(path: "", field: "representation", model: "tau", requested: "legendre")) {
            try model.checkCompatible(representation: .legendre)
        }
        var other = Fixtures.configuration
        other.points = 51
        #expect(throws: LearnedSolverError.self) { try model.checkCompatible(configuration: other) }
        try model.checkCompatible(inputs: ["ipt", "hubbard-i"], representation: .tau, configuration: Fixtures.configuration)
    }

    @Test("A database without the requested solver is refused with the field named")
    func missingSolverRefused() {
        var s = Fixtures.specification
        s.inputs = ["ipt", "ed2"]
        #expect(throws: ImpurityDatabaseError.missingField(file: "db.h5", field: "g_tau/ed2")) {
            try LearnedSolverTraining.train(database: Fixtures.database, databasePath: "db.h5", specification: s,
                                            options: Fixtures.trainingOptions, progress: .quiet)
        }
        s.inputs = ["hubbard-i"]
        s.variant = .sigma
        #expect(throws: LearnedSolverError.self) {
            try LearnedSolverTraining.train(database: Fixtures.database, databasePath: "db.h5", specification: s,
                                            options: Fixtures.trainingOptions, progress: .quiet)
        }
    }

    @Test("validation.csv: per β and 'all', means of the per-sample RMSEs, ratios over the ML error")
    func validationTable() {
        let errors = [
            LearnedSolverValidation.SampleErrors(row: 0, beta: 2, machineLearned: 0.001, solvers: ["hubbard-i": 0.1, "ipt": 0.01]),
            LearnedSolverValidation.SampleErrors(row: 1, beta: 2, machineLearned: 0.003, solvers: ["hubbard-i": 0.2, "ipt": 0.03]),
            LearnedSolverValidation.SampleErrors(row: 2, beta: 5, machineLearned: 0.004, solvers: ["hubbard-i": 0.05, "ipt": 0.08]),
        ]
        let lines = LearnedSolverValidation.lines(inputs: ["ipt"], errors: errors, cheapSolvers: ["hubbard-i", "ipt"])
        #expect(lines.map { $0.beta } == ["2", "5", "all"])
        #expect(lines.map { $0.samples } == [2, 1, 3])
        #expect(abs(lines[0].machineLearned - 0.002) < 1e-15 && abs(lines[0].solvers["ipt"]! - 0.02) < 1e-15)
        #expect(lines[0].bestInput == "ipt" && abs(lines[0].ratioInputs - 10) < 1e-12)
        #expect(lines[1].bestInput == "ipt" && lines[1].bestCheap == "hubbard-i" && abs(lines[1].ratioCheap - 12.5) < 1e-12)
        let table = LearnedSolverValidation.table(lines, cheapSolvers: ["hubbard-i", "ipt"])
        #expect(table.header == ["inputs", "beta", "samples", "rmse_ml", "rmse_hubbard-i", "rmse_ipt", "best_input", "best_input_rmse",
                                 "ratio_inputs", "best_cheap", "best_cheap_rmse", "ratio_cheap"])
        #expect(table.rows.count == 3 && table.rows[2][0] == "ipt" && table.rows[2][1] == "all")
        #expect(LearnedSolverValidation.rmse([1, 2, 3], [1, 2, 5]) == (4.0 / 3).squareRoot())
    }

    @Test("A grid search trains every point, writes grid.csv and keeps the best by validation RMSE")
    func gridSearch() throws {
        let path = Fixtures.temporaryDirectory("grid")
        var options = Fixtures.trainingOptions
        options.epochs = 3
        let grid = LearnedSolverGrid(hidden: [[8]], learningRates: [3e-3, 1e-6], transforms: [.identity])
        let summary = try LearnedSolverTrainingPlan.run(
            database: Fixtures.database, databasePath: "(memory)", combinations: [["ipt"], ["hubbard-i", "ipt"]],
            base: Fixtures.specification, grid: grid, options: options, directory: OutputDirectory.prepare(path, force: true), force: true,
            progress: .quiet)
        #expect(summary.grid?.rows.count == 4)
        let text = try String(contentsOfFile: path + "/validation.csv", encoding: .utf8)
        #expect(text.hasPrefix("inputs,beta,samples,rmse_ml,rmse_hubbard-i,rmse_ipt,"))
        #expect(text.contains("\"hubbard-i,ipt\",all,"))
        for folder in ["ipt", "hubbard-i+ipt"] {
            for file in ["model.json", "model.safetensors", "metrics.csv", "validation.csv", "grid/0/model.json", "grid/1/model.json"] {
                #expect(FileManager.default.fileExists(atPath: "\(path)/\(folder)/\(file)"), "missing \(folder)/\(file)")
            }
        }
        let kept = try LearnedSolverModel.load(path + "/ipt")
        let rmses = summary.grid!.rows.filter { $0[0] == "ipt" }.map { Double($0[8])! }
        #expect(kept.info.validationRMSE == rmses.min()!)
        #expect(try String(contentsOfFile: path + "/grid.csv", encoding: .utf8).hasPrefix("inputs,point,hidden,learning_rate,transform,"))
    }
}
