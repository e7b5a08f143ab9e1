import Foundation
import MBNN
import MBTensor
@testable import MBIO

/// A fresh empty directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/mbio-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Names in the directory, sorted (hidden temporaries included).
    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A small model with a scalar-weight parameter, two Linear layers in an array, an optional
/// head, and a buffer: exercises nested paths `layers.0.weight`, `head.bias`, `mask`.
final class TinyModel<Scalar: TensorScalar>: Module {
    @Parameter var scale: Tensor<Scalar>
    let layers: [Linear<Scalar>]
    let head: Linear<Scalar>?
    @Buffer var mask: Tensor<Scalar>

    init(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        scale = generator.uniform(shape: [3], in: -1...1)
        layers = [
            Linear(inputDimensions: 4, outputDimensions: 3, generator: &generator),
            Linear(inputDimensions: 3, outputDimensions: 3, generator: &generator),
        ]
        head = Linear(inputDimensions: 3, outputDimensions: 2, generator: &generator)
        mask = generator.uniform(shape: [2, 2], in: 0...1)
    }

    /// Every tensor by path, for comparing models.
    var snapshot: [String: StoredTensor] { Checkpoint.modelTensors(of: self) }
}

typealias TinyDoubleModel = TinyModel<Double>

/// Runs Python scripts for cross-checks with numpy, safetensors and h5py.
enum Python {
    struct Output {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Runs `python3 -c script arguments...`.
    static func run(_ script: String, arguments: [String] = []) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      standardOutput: String(decoding: out, as: UTF8.self),
                      standardError: String(decoding: err, as: UTF8.self))
    }

    /// True if `python3 -c "import <modules>"` succeeds.
    static func canImport(_ modules: String) -> Bool {
        (try? run("import \(modules)").status) == 0
    }

    static let hasSafetensors = canImport("safetensors, numpy")
    static let hasH5py = canImport("h5py, numpy")
    static let hasTorch = canImport("torch, safetensors, numpy")
    static let hasPython = (try? run("pass").status) == 0

    /// Runs `script`, which must print one JSON value, and parses that value.
    static func json(_ script: String, arguments: [String] = []) throws -> Any {
        let output = try run(script, arguments: arguments)
        guard output.status == 0 else {
            throw PythonFailure(message: "python exited with \(output.status): \(output.standardError)")
        }
        return try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8), options: [.fragmentsAllowed])
    }

    struct PythonFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
