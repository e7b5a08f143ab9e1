import Foundation
import MBTensor
import Testing
@testable import MBIO

@Suite("run records, CSV, output directories and atomic files")
struct RunRecordTests {
    struct Options: Codable, Equatable {
        var epochs: Int
        var learningRate: Double
        var kernel: String
        var layers: [Int]
    }

    @Test("run.json holds the command line, configuration, seed, threads, versions and timings")
    func runRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = try OutputDirectory.prepare(directory.file("out"), force: false)
        let options = Options(epochs: 3, learningRate: 1e-3, kernel: "fermionic", layers: [64, 64])
        let start = Date()
        var record = try RunRecord(configuration: options, seed: 17, threadCount: 2, version: "0.1.0",
                                   commandLine: ["mbml", "demo", "--seed", "17"], startTime: start)
        let answer = record.measure("training") { () -> Int in
            Thread.sleep(forTimeInterval: 0.02)
            return 42
        }
        record.recordDuration("evaluation", seconds: 0.5)
        record.recordDuration("evaluation", seconds: 0.25)
        record.finish(at: start.addingTimeInterval(2.5))
        try record.write(to: output)
        #expect(answer == 42)

        let path = output.path(for: "run.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        #expect(json["commandLine"] as? [String] == ["mbml", "demo", "--seed", "17"])
        #expect(json["seed"] as? Int == 17)
        #expect(json["threadCount"] as? Int == 2)
        #expect(json["wallTimeSeconds"] as? Double == 2.5)
        let configuration = json["configuration"] as! [String: Any]
        #expect(configuration["epochs"] as? Int == 3)
        #expect(configuration["learningRate"] as? Double == 1e-3)
        #expect(configuration["kernel"] as? String == "fermionic")
        #expect(configuration["layers"] as? [Int] == [64, 64])
        let durations = json["durations"] as! [String: Double]
        #expect(durations["evaluation"] == 0.75)
        #expect(durations["training"]! >= 0.02 && durations["training"]! < 5)
        let versions = json["versions"] as! [String: String]
        #expect(versions["manyBodyML"] == "0.1.0")
        #expect(versions["hdf5"] == HDF5Library.version)
        #expect(versions["openBLAS"]!.contains("OpenBLAS"))
        #expect(versions["swiftCompiler"]!.first?.isNumber == true || versions["swiftCompiler"]!.hasPrefix(">="))
        #expect((json["startTime"] as? String)?.hasSuffix("Z") == true)

        let back = try RunRecord.read(from: path)
        #expect(back.configuration == record.configuration)
        #expect(back.versions == record.versions)
        #expect(back.durations == record.durations)
        #expect(abs(back.startTime.timeIntervalSince(start)) < 0.002)  // written to the millisecond
        #expect(try directory.entries() == ["out"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["run.json"])
    }

    @Test("JSONValue holds any configuration and escapes strings as RFC 8259 says")
    func jsonValue() throws {
        struct Sample: Encodable {
            let b: [Double]
            let a: [String: Bool]
        }
        // A whole Double is written as "2" and so comes back as an integer: JSON has one number type.
        let value = try JSONValue(encoding: Sample(b: [1.5, 2], a: ["x": true]))
        #expect(value == .object(["a": .object(["x": .bool(true)]), "b": .array([.number(1.5), .integer(2)])]))
        #expect(value.description == #"{"a":{"x":true},"b":[1.5,2]}"#)
        #expect(JSONValue.quoted("a\"b\\c\n\u{1}é") == #""a\"b\\c\n\u0001é""#)
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(JSONValue.quoted("tab\there\u{1F}").utf8))
        #expect(parsed == .string("tab\there\u{1F}"))
    }

    @Test("CSV fields are quoted only when needed, and Python's csv module reads them back")
    func csv() throws {
        #expect(CSVTable.quoted("plain") == "plain")
        #expect(CSVTable.quoted("a,b") == "\"a,b\"")
        #expect(CSVTable.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTable.quoted("two\nlines") == "\"two\nlines\"")
        #expect(CSVTable.quoted(" padded") == "\" padded\"")
        #expect(CSVTable.quoted("") == "")
        var table = CSVTable(header: ["epoch", "loss", "note"])
        table.append(["1", "0.5", "first, best"])
        table.append(["2", "0.25", "\"quoted\""])
        #expect(table.text == "epoch,loss,note\n1,0.5,\"first, best\"\n2,0.25,\"\"\"quoted\"\"\"\n")
        var numbers = CSVTable(header: ["x", "y"])
        numbers.append([0.1, -1e-5])
        numbers.append([.nan, 3])
        #expect(numbers.text == "x,y\n0.1,-1e-05\nnan,3.0\n")

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("table.csv")
        try table.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == table.text)

        let log = try CSVLogWriter(path: directory.file("metrics.csv"), header: ["step", "loss"])
        try log.append([1, 0.5])
        #expect(try String(contentsOfFile: log.path, encoding: .utf8) == "step,loss\n1.0,0.5\n")
        try log.append(["2", "a,b"])
        log.close()
        #expect(try String(contentsOfFile: log.path, encoding: .utf8) == "step,loss\n1.0,0.5\n2,\"a,b\"\n")

        if Python.hasPython {
            let rows = try Python.json("import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))",
                                       arguments: [path]) as! [[String]]
            #expect(rows == [["epoch", "loss", "note"], ["1", "0.5", "first, best"], ["2", "0.25", "\"quoted\""]])
        } else {
            Issue.record("python3 not found: the CSV cross-check with Python's csv module did not run")
        }
    }

    @Test("an existing non-empty output directory is refused without force and reused with it")
    func outputDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fresh = try OutputDirectory.prepare(directory.file("a/b/c"), force: false)
        #expect(FileManager.default.fileExists(atPath: fresh.path))
        #expect(fresh.path(for: "run.json") == directory.file("a/b/c/run.json"))
        _ = try OutputDirectory.prepare(fresh.path, force: false)  // empty: allowed

        try AtomicFile.write(text: "old", to: fresh.path(for: "result.txt"))
        let refused = FileSystemError.outputNotEmpty(path: fresh.path, entries: ["result.txt"])
        #expect(throws: refused) { try OutputDirectory.prepare(fresh.path, force: false) }
        #expect(refused.description.contains("--force") && refused.description.contains(fresh.path))
        _ = try OutputDirectory.prepare(fresh.path, force: true)
        #expect(try String(contentsOfFile: fresh.path(for: "result.txt"), encoding: .utf8) == "old")

        #expect(throws: FileSystemError.notADirectory(path: fresh.path(for: "result.txt"))) {
            try OutputDirectory.prepare(fresh.path(for: "result.txt"), force: true)
        }
        #expect(throws: FileSystemError.cannotCreate(path: fresh.path(for: "result.txt/inner"), reason: "Not a directory")) {
            try OutputDirectory.prepare(fresh.path(for: "result.txt/inner/deeper"), force: false)
        }
    }

    @Test("atomic writes replace a file whole, and leave it untouched when the writer fails")
    func atomicFile() throws {
        struct Failed: Error {}
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notes.txt")
        try AtomicFile.write(text: "first", to: path)
        try AtomicFile.write(text: "second, longer", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer")
        var temporary = ""
        #expect(throws: Failed.self) {
            try AtomicFile.write(to: path) { temporaryPath in
                temporary = temporaryPath
                try "partial".write(toFile: temporaryPath, atomically: false, encoding: .utf8)
                throw Failed()
            }
        }
        #expect(temporary.hasPrefix(directory.path + "/.notes.txt.tmp-"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer")
        #expect(try directory.entries() == ["notes.txt"])
        #expect(throws: FileSystemError.self) { try AtomicFile.write(text: "x", to: directory.file("missing/notes.txt")) }
        #expect(AtomicFile.temporaryPath(beside: "plain").hasPrefix(".plain.tmp-"))
    }
}
