import Foundation
import MBImpurity
import MBIO
import MBTensor

/// A trained network with its description: the unit a model directory holds.
///
/// Directory layout: `model.safetensors` (weights and buffers, keys as in
/// `LearnedSolverNetwork`), `model.json` (`LearnedSolverModelInfo`), and from training
/// `metrics.csv`, `validation.csv`, `run.json`.
public final class LearnedSolverModel: @unchecked Sendable {
    public static let weightsName = "model.safetensors", infoName = "model.json"

    public let network: LearnedSolverNetwork
    public let info: LearnedSolverModelInfo
    /// The directory it was loaded from (or "" for a model still in memory).
    public let path: String
    /// The database's representations (grid, Legendre count).
    public let grid: ImaginaryTimeRepresentation

    public init(network: LearnedSolverNetwork, info: LearnedSolverModelInfo, path: String = "") {
        self.network = network
        self.info = info
        self.path = path
        grid = ImaginaryTimeRepresentation(pointCount: info.specification.points, legendreCount: info.specification.legendreCoefficients)
    }

    public var specification: LearnedSolverSpecification { info.specification }

    /// Writes `model.safetensors` and `model.json` into `directory` (each atomically).
    public func save(to directory: OutputDirectory) throws {
        try Checkpoint.save(network, to: directory.path(for: LearnedSolverModel.weightsName),
                            metadata: ["kind": LearnedSolverModelInfo.kindName, "inputs": info.specification.inputList,
                                       "representation": info.specification.representation.rawValue,
                                       "variant": info.specification.variant.rawValue])
        try AtomicFile.write(try LearnedSolverModel.encoder().encode(info), to: directory.path(for: LearnedSolverModel.infoName))
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Loads a model directory, checking that `model.json` describes a learned solver whose
    /// network matches the weights.
    /// - Throws: `LearnedSolverError.notAModel` naming the directory and what is wrong.
    public static func load(_ path: String) throws(LearnedSolverError) -> LearnedSolverModel {
        let infoPath = (path as NSString).appendingPathComponent(infoName)
        let weightsPath = (path as NSString).appendingPathComponent(weightsName)
        guard let data = FileManager.default.contents(atPath: infoPath) else {
            throw .notAModel(path: path, reason: "no \(infoName) (train one with `mbml dmft train-solver`)")
        }
        let info: LearnedSolverModelInfo
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            info = try decoder.decode(LearnedSolverModelInfo.self, from: data)
        } catch {
            throw .notAModel(path: path, reason: "\(infoName) is not a learned-solver description (\(error))")
        }
        guard info.kind == LearnedSolverModelInfo.kindName else {
            throw .notAModel(path: path, reason: "\(infoName) describes a '\(info.kind)' model")
        }
        guard info.formatVersion == LearnedSolverModelInfo.currentFormatVersion else {
            throw .notAModel(path: path, reason: "\(infoName) has format_version \(info.formatVersion); this program reads \(LearnedSolverModelInfo.currentFormatVersion)")
        }
        do { try info.specification.validate() } catch {
            throw .notAModel(path: path, reason: "\(infoName): \(error)")
        }
        var generator = RandomGenerator(seed: 0)
        let network = LearnedSolverNetwork(specification: info.specification, generator: &generator)
        do { try Checkpoint.load(into: network, from: weightsPath) } catch {
            throw .notAModel(path: path, reason: "\(weightsPath) does not hold the network \(infoName) describes: \(error)")
        }
        return LearnedSolverModel(network: network, info: info, path: path)
    }

    /// The network's raw output for raw feature rows [batch, S·R + 2]: [batch, outputs] (the
    /// transformed representation for `correction`, Σ³/D for `sigma`).
    public func output(features: Tensor<Double>) -> Tensor<Double> {
        network(network.standardized(features))
    }

    /// Checks that this model reads the inputs and representation `requested` asks for, and
    /// the grids of `configuration` (when given).
    public func checkCompatible(inputs: [String]? = nil, representation: LearnedSolverRepresentation? = nil,
                                variant: LearnedSolverVariant? = nil,
                                configuration: ImpurityDatabaseConfiguration? = nil) throws(LearnedSolverError) {
        let s = specification
        if let inputs, inputs != s.inputs {
            throw .modelMismatch(path: path, field: "inputs", model: s.inputList, requested: inputs.joined(separator: ","))
        }
        if let representation, representation != s.representation {
            throw .modelMismatch(path: path, field: "representation", model: s.representation.rawValue, requested: representation.rawValue)
        }
        if let variant, variant != s.variant {
            throw .modelMismatch(path: path, field: "variant", model: s.variant.rawValue, requested: variant.rawValue)
        }
        if let c = configuration {
            for (field, model, data) in [("points", s.points, c.points), ("legendre_coefficients", s.legendreCoefficients, c.legendreCoefficients),
                                         ("matsubara_stored", s.frequencies, c.storedFrequencies)] where model != data {
                throw .modelMismatch(path: path, field: field, model: "\(model)", requested: "\(data) (the database's)")
            }
            for name in s.inputs where !c.inputs.contains(name) {
                throw .modelMismatch(path: path, field: "inputs", model: s.inputList, requested: "a database with inputs \(c.inputs.joined(separator: ","))")
            }
        }
    }
}
