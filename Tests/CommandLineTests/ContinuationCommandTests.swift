import Foundation
import Testing

/// `mbml continuation …` end to end on a tiny dataset, and its answers to bad input.
@Suite("mbml continuation", .serialized)
struct ContinuationCommandTests {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mbml-continuation-cli-\(getpid())").path

    /// A tiny dataset and a one-epoch model, made once.
    static let prepared: Result<Void, Error> = Result {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let generate = try MBMLProcess.run(["continuation", "generate", "--dataset", "element-mixed", "--train", "24", "--validation", "8",
                                            "--test", "6", "--seed", "2", "--output", folder + "/data.h5", "--quiet"])
        guard generate.status == 0 else { throw CLIFailure(generate.error) }
        let train = try MBMLProcess.run(["continuation", "train", "--data", folder + "/data.h5", "--model", "cnn1d", "--loss", "1",
                                         "--epochs", "1", "--threads", "1", "--output", folder + "/model", "--quiet"])
        guard train.status == 0 else { throw CLIFailure(train.error) }
    }

    struct CLIFailure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    func path(_ name: String) -> String { Self.folder + "/" + name }

    /// Λ of test example 0 as CSV rows `T,tau,lambda,error`, edited by `edit`.
    func writeCSV(_ name: String, edit: (inout [[Double]]) -> Void = { _ in }) throws -> String {
        var rows: [[Double]] = []
        for t in 1...10 {
            let T = Double(t) / 10
            for k in 0..<200 {
                let x = (Double(k) + 0.5) / 200
                rows.append([T, x / T, T * (1 + 0.5 * cos(2 * Double.pi * x)), 1e-4])
            }
        }
        edit(&rows)
        let text = "T,tau,lambda,error\n" + rows.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    @Test func evaluateWritesMetricsAndReport() throws {
        try Self.prepared.get()
        let result = try MBMLProcess.run(["continuation", "evaluate", "--model", path("model"), "--data", path("data.h5"),
                                          "--output", path("eval")])
        #expect(result.status == 0, "\(result.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("eval/metrics.json")))) as! [String: Any]
        for key in ["usable_fraction", "sigma0_relative_error_median", "alpha_mae", "gamma_mae"] { #expect(json[key] is Double, "\(key)") }
        #expect(json["examples"] as? Int == 6)
        let report = try String(contentsOfFile: path("eval/report.html"), encoding: .utf8)
        #expect(report.contains("<svg") && report.contains("Worst example"))
        let again = try MBMLProcess.run(["continuation", "evaluate", "--model", path("model"), "--data", path("data.h5"), "--output", path("eval")])
        #expect(again.status != 0 && again.error.contains("--force"))
    }

    @Test func maxentScoresLikeEvaluate() throws {
        try Self.prepared.get()
        let result = try MBMLProcess.run(["continuation", "maxent", "--data", path("data.h5"), "--limit", "2", "--threads", "1",
                                          "--output", path("maxent")])
        #expect(result.status == 0, "\(result.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("maxent/metrics.json")))) as! [String: Any]
        #expect(json["examples"] as? Int == 2)
        #expect(json["usable_fraction"] is Double && json["sigma0_relative_error_median"] is Double)
        let diagnostics = json["maxent"] as? [String: Any]
        #expect(diagnostics?["solves"] as? Int == 20)
        #expect((diagnostics?["failures"] as? [Any])?.isEmpty == true)
        #expect(result.output.contains("ms each"))
    }

    @Test func predictFromCSVAndEnsemble() throws {
        try Self.prepared.get()
        let csv = try writeCSV("user.csv")
        let result = try MBMLProcess.run(["continuation", "predict", "--model", path("model") + "," + path("model"), "--input", csv,
                                          "--noise-samples", "2", "--output", path("predict")])
        #expect(result.status == 0, "\(result.error)")
        let table = try String(contentsOfFile: path("predict/sigma.csv"), encoding: .utf8).split(separator: "\n")
        #expect(table.first == "example,T,omega,sigma,sigma_std" && table.count == 1 + 10 * 201)
        #expect(FileManager.default.fileExists(atPath: path("predict/sigma.svg")))
    }

    @Test func badInputIsNamedAndNothingIsWritten() throws {
        try Self.prepared.get()
        func predict(_ input: String) throws -> String {
            let out = path("bad-\(UUID().uuidString)")
            let result = try MBMLProcess.run(["continuation", "predict", "--model", path("model"), "--input", input, "--output", out])
            #expect(result.status != 0)
            #expect(!FileManager.default.fileExists(atPath: out), "an output folder was created for bad input")
            #expect(!result.error.contains("Fatal error"))
            return result.error
        }
        #expect(try predict(writeCSV("missing.csv") { $0.removeAll { $0[0] == 0.7 } }).contains("missing 0.7"))
        #expect(try predict(writeCSV("nan.csv") { $0[33][2] = .nan }).contains("line 35"))
        #expect(try predict(writeCSV("order.csv") { $0.swapAt(5, 6) }).contains("tau must increase"))
        #expect(try predict(writeCSV("coverage.csv") { $0.removeAll { $0[1] * $0[0] < 0.1 } }).contains("must cover"))
        #expect(try predict(path("nonexistent.csv")).contains("nonexistent.csv"))
        // A model directory whose description names another architecture than its weights.
        let other = path("other-model")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path("model/model.safetensors"), toPath: other + "/model.safetensors")
        let info = try String(contentsOfFile: path("model/model.json"), encoding: .utf8).replacingOccurrences(of: "\"cnn1d\"", with: "\"cnn2d\"")
        try info.write(toFile: other + "/model.json", atomically: true, encoding: .utf8)
        let mismatch = try MBMLProcess.run(["continuation", "evaluate", "--model", other, "--data", path("data.h5"), "--output", path("x")])
        #expect(mismatch.status != 0 && mismatch.error.contains("cnn2d"))
        let notModel = try MBMLProcess.run(["continuation", "evaluate", "--model", Self.folder, "--data", path("data.h5"), "--output", path("x")])
        #expect(notModel.status != 0 && notModel.error.contains("model.json"))
        // An existing output file is not replaced without --force.
        let before = try Data(contentsOf: URL(fileURLWithPath: path("data.h5")))
        let again = try MBMLProcess.run(["continuation", "generate", "--dataset", "easy", "--output", path("data.h5")])
        #expect(again.status != 0 && again.error.contains("--force"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("data.h5"))) == before)
    }
}
