import Foundation
import MBIO
import MBTensor

/// A trained model on disk: `model.safetensors` (weights and the input normalisation) and
/// `model.json` (what the weights are: architecture, loss/head, grids, training data).
public struct ContinuationModelInfo: Codable, Sendable, Equatable {
    public static let kindName = "continuation"
    public var kind = ContinuationModelInfo.kindName
    public var architecture: ContinuationArchitecture
    public var loss: ContinuationLoss
    public var temperatures: [Double]
    public var reduced_time: [Double]
    public var frequencies: [Double]
    public var training_data: String
    public var dataset: String
    public var kernel: String
    public var noise: Double
    public var normalization = "z = (Λ − inputMean) / inputScale per (T, x), training-set mean and standard deviation"

    public init(architecture: ContinuationArchitecture, loss: ContinuationLoss, data: ContinuationDataset, dataPath: String) {
        self.architecture = architecture
        self.loss = loss
        temperatures = data.temperatures
        reduced_time = data.reducedTime
        frequencies = ContinuationGrids.frequencies
        training_data = dataPath
        dataset = data.dataset
        kernel = data.kernel
        noise = data.noise
    }
}

public enum ContinuationModelDirectory {
    public static let weightsName = "model.safetensors", infoName = "model.json"

    /// Writes weights and description into `directory`, atomically file by file.
    public static func save(_ model: ContinuationModel, info: ContinuationModelInfo, to directory: OutputDirectory) throws {
        try Checkpoint.save(model, to: directory.path(for: weightsName),
                            metadata: ["kind": info.kind, "architecture": info.architecture.rawValue, "loss": info.loss.rawValue])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(info), to: directory.path(for: infoName))
    }

    /// Loads a model directory written by `save`, checking that it is a continuation model
    /// whose weights match its description.
    public static func load(_ path: String) throws -> (model: ContinuationModel, info: ContinuationModelInfo) {
        let infoPath = (path as NSString).appendingPathComponent(infoName)
        let weightsPath = (path as NSString).appendingPathComponent(weightsName)
        guard let data = FileManager.default.contents(atPath: infoPath) else {
            throw ContinuationModelError.notAModel(path: path, reason: "no \(infoName) (train one with `mbml continuation train`)")
        }
        let info: ContinuationModelInfo
        do { info = try JSONDecoder().decode(ContinuationModelInfo.self, from: data) } catch {
            throw ContinuationModelError.notAModel(path: path, reason: "\(infoName) is not a continuation model description (\(error))")
        }
        guard info.kind == ContinuationModelInfo.kindName else {
            throw ContinuationModelError.notAModel(path: path, reason: "\(infoName) describes a '\(info.kind)' model, not a continuation model")
        }
        var generator = RandomGenerator(seed: 0)
        let model = ContinuationModel(architecture: info.architecture, loss: info.loss, temperatures: info.temperatures.count,
                                      times: info.reduced_time.count, frequencies: info.frequencies.count, generator: &generator)
        let loaded: Checkpoint.Loaded
        do { loaded = try Checkpoint.load(into: model, from: weightsPath) } catch {
            throw ContinuationModelError.notAModel(path: path, reason: "\(weightsPath) does not hold a \(info.architecture.rawValue) model with the \(info.loss.rawValue) head: \(error)")
        }
        if let stored = loaded.metadata["architecture"], stored != info.architecture.rawValue {
            throw ContinuationModelError.notAModel(path: path, reason: "the weights are of a \(stored) model but \(infoName) says \(info.architecture.rawValue)")
        }
        return (model, info)
    }
}

public enum ContinuationModelError: Error, CustomStringConvertible {
    case notAModel(path: String, reason: String)
    case incompatible(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notAModel(path, reason): "\(path) is not a usable continuation model: \(reason)"
        case let .incompatible(path, reason): "\(path) cannot be used here: \(reason)"
        }
    }
}
