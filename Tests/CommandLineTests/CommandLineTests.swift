import Foundation
import Testing

/// Runs the built `mbml` executable (SwiftPM builds it next to the test bundle).
struct MBMLProcess {
    static var executable: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundleDirectory.appendingPathComponent("mbml")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

@Suite("mbml command line")
struct CommandLineTests {
    @Test func executableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: MBMLProcess.executable.path),
                "mbml not found at \(MBMLProcess.executable.path)")
    }

    @Test func unknownOptionPrintsUsageAndFails() throws {
        let result = try MBMLProcess.run(["demo", "--no-such-option"])
        #expect(result.status != 0)
        #expect(result.error.contains("Usage"))
        #expect(result.error.contains("--no-such-option"))
    }

    @Test func unknownCommandFails() throws {
        let result = try MBMLProcess.run(["no-such-command"])
        #expect(result.status != 0)
        #expect(result.error.contains("Usage"))
    }

    @Test func invalidValueNamesTheOption() throws {
        let result = try MBMLProcess.run(["demo", "--epochs", "0"])
        #expect(result.status != 0)
        #expect(result.error.contains("--epochs"))
        let threads = try MBMLProcess.run(["demo", "--threads", "-2"])
        #expect(threads.status != 0)
        #expect(threads.error.contains("--threads"))
    }

    @Test func demoIsReproducibleForASeed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mbml-demo-test-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let arguments = ["demo", "--epochs", "2", "--train", "40", "--seed", "7", "--threads", "1", "--output", folder]
        func artefacts() throws -> (weights: Data, metrics: String) {
            let weights = try Data(contentsOf: URL(fileURLWithPath: folder + "/model/model.safetensors"))
            let metrics = try String(contentsOfFile: folder + "/evaluation/metrics.json", encoding: .utf8)
                .split(separator: "\n").filter { !$0.contains("seconds") }.joined(separator: "\n")
            return (weights, metrics)
        }
        let a = try MBMLProcess.run(arguments)
        #expect(a.status == 0, "demo failed: \(a.error)")
        #expect(a.output.contains("report.html"))
        let first = try artefacts()
        let b = try MBMLProcess.run(arguments)  // replaces its own earlier output without --force
        #expect(b.status == 0, "demo failed: \(b.error)")
        let second = try artefacts()
        #expect(first.weights == second.weights)
        #expect(first.metrics == second.metrics && first.metrics.contains("usable_fraction"))
        for file in ["data.h5", "model/model.json", "model/metrics.csv", "evaluation/report.html", "dmft-sweep/sweep.svg", "dmft-sweep/summary.json", "run.json"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "demo did not write \(file)")
        }
    }

    @Test func demoRefusesAFolderOfSomethingElse() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mbml-foreign-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let precious = folder + "/data.txt"
        try "keep me".write(toFile: precious, atomically: true, encoding: .utf8)
        let result = try MBMLProcess.run(["demo", "--epochs", "2", "--quiet", "--output", folder])
        #expect(result.status != 0)
        #expect(result.error.contains(folder))
        #expect(try String(contentsOfFile: precious, encoding: .utf8) == "keep me")
        #expect(!FileManager.default.fileExists(atPath: folder + "/run.json"))
    }
}
