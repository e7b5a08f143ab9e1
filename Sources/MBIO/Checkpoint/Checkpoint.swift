import Foundation
import MBNN
import MBTensor

/// Model checkpoints in the safetensors format. Keys are the parameters' and buffers' dotted
/// paths (`layers.0.weight`), so a PyTorch module with the same structure loads the file with
/// `load_state_dict(safetensors.torch.load_file(path))`. Optimizer state, if given, is stored
/// beside them under a prefix (default `optimizer/`, which no module path can start with).
///
///     try Checkpoint.save(model, to: "run/model.safetensors", metadata: ["epoch": "12"])
///     try Checkpoint.load(into: model, from: "run/model.safetensors")
public enum Checkpoint {
    /// The prefix of optimizer-state keys.
    public static let defaultOptimizerPrefix = "optimizer/"

    /// What a load returns besides filling the model.
    public struct Loaded: Sendable {
        /// The checkpoint's path.
        public let path: String
        /// The file's `__metadata__`.
        public let metadata: [String: String]
        /// The tensors stored under the optimizer prefix, keyed by name without the prefix.
        public let optimizerState: [String: StoredTensor]

        /// The optimizer tensors as `Tensor<Scalar>`, sorted by name.
        /// - Throws: `CheckpointError.dtypeMismatch` if one is stored in the other precision.
        public func optimizerTensors<Scalar: TensorScalar>(_ type: Scalar.Type) throws -> [(String, Tensor<Scalar>)] {
            try optimizerState.keys.sorted().map { name in
                let stored = optimizerState[name]!
                guard let tensor = stored.tensor(type) else {
                    throw CheckpointError.dtypeMismatch(file: path, tensor: name, expected: Scalar.dtypeName, found: stored.dtype.rawValue)
                }
                return (name, tensor)
            }
        }
    }

    /// The model's parameters and buffers (Float and Double) by path.
    public static func modelTensors(of model: Module) -> [String: StoredTensor] {
        Dictionary(uniqueKeysWithValues: slots(of: model).map { ($0.path, $0.slot.value) })
    }

    /// Saves every parameter and buffer of `model`, `metadata`, and `optimizerState` (stored
    /// under `optimizerPrefix`) to `path`, atomically.
    public static func save(
        _ model: Module, to path: String, metadata: [String: String] = [:],
        optimizerState: [(String, StoredTensor)] = [], optimizerPrefix: String = defaultOptimizerPrefix
    ) throws {
        var tensors = modelTensors(of: model)
        for (name, tensor) in optimizerState {
            let key = optimizerPrefix + name
            precondition(tensors[key] == nil, "optimizer state key '\(key)' collides with another tensor of the checkpoint")
            tensors[key] = tensor
        }
        try SafeTensors.write(tensors, metadata: metadata, to: path)
    }

    /// `save` with optimizer state of one precision.
    public static func save<Scalar: TensorScalar>(
        _ model: Module, to path: String, metadata: [String: String] = [:],
        optimizerState: [(String, Tensor<Scalar>)], optimizerPrefix: String = defaultOptimizerPrefix
    ) throws {
        try save(model, to: path, metadata: metadata, optimizerState: optimizerState.map { ($0.0, StoredTensor($0.1)) },
                 optimizerPrefix: optimizerPrefix)
    }

    public static func save(_ model: Module, to url: URL, metadata: [String: String] = [:]) throws {
        try save(model, to: url.path, metadata: metadata)
    }

    /// Loads `path` into `model`.
    ///
    /// Every parameter and buffer of the model must be in the file with the same dtype and
    /// shape, and the file may hold no other tensors outside the optimizer prefix. Otherwise
    /// nothing is changed and `CheckpointError.modelMismatch` lists every missing,
    /// unexpected and mismatched tensor at once. Malformed files give the other
    /// `CheckpointError`s. The model is modified only once everything has been read.
    @discardableResult
    public static func load(into model: Module, from path: String, optimizerPrefix: String = defaultOptimizerPrefix) throws -> Loaded {
        let file = try SafeTensors.read(from: path)
        let slots = slots(of: model)
        let modelPaths = Set(slots.map(\.path))
        var missing: [String] = []
        var shapeMismatches: [CheckpointError.ShapeMismatch] = []
        var dtypeMismatches: [CheckpointError.DTypeMismatch] = []
        for (slotPath, slot) in slots {
            guard let entry = file.entry(named: slotPath) else {
                missing.append(slotPath)
                continue
            }
            let current = slot.value
            if entry.dtype != current.dtype {
                dtypeMismatches.append(.init(tensor: slotPath, fileDType: entry.dtype.rawValue, modelDType: current.dtype.rawValue))
            } else if entry.shape != current.shape {
                shapeMismatches.append(.init(tensor: slotPath, fileShape: entry.shape, modelShape: current.shape))
            }
        }
        let isOptimizerKey = { (name: String) in !optimizerPrefix.isEmpty && name.hasPrefix(optimizerPrefix) }
        let unexpected = file.names.filter { !modelPaths.contains($0) && !isOptimizerKey($0) }
        if !(missing.isEmpty && unexpected.isEmpty && shapeMismatches.isEmpty && dtypeMismatches.isEmpty) {
            throw CheckpointError.modelMismatch(
                file: path, missing: missing.sorted(), unexpected: unexpected,
                shapeMismatches: shapeMismatches.sorted { $0.tensor < $1.tensor },
                dtypeMismatches: dtypeMismatches.sorted { $0.tensor < $1.tensor })
        }

        let values = try slots.map { try file.storedTensor(named: $0.path) }
        var optimizerState: [String: StoredTensor] = [:]
        for name in file.names where isOptimizerKey(name) {
            optimizerState[String(name.dropFirst(optimizerPrefix.count))] = try file.storedTensor(named: name)
        }
        for ((_, slot), value) in zip(slots, values) { slot.assign(value) }
        return Loaded(path: path, metadata: file.metadata, optimizerState: optimizerState)
    }

    @discardableResult
    public static func load(into model: Module, from url: URL) throws -> Loaded {
        try load(into: model, from: url.path)
    }

    // MARK: Model tensors

    /// A parameter or buffer box of either precision.
    private enum Slot {
        case floatParameter(Parameter<Float>), doubleParameter(Parameter<Double>)
        case floatBuffer(Buffer<Float>), doubleBuffer(Buffer<Double>)

        var value: StoredTensor {
            switch self {
            case let .floatParameter(box): return StoredTensor(box.wrappedValue)
            case let .doubleParameter(box): return StoredTensor(box.wrappedValue)
            case let .floatBuffer(box): return StoredTensor(box.wrappedValue)
            case let .doubleBuffer(box): return StoredTensor(box.wrappedValue)
            }
        }

        /// Stores `value`, whose dtype and shape have been checked to match.
        func assign(_ value: StoredTensor) {
            switch self {
            case let .floatParameter(box): box.wrappedValue = value.tensor(Float.self)!
            case let .doubleParameter(box): box.wrappedValue = value.tensor(Double.self)!
            case let .floatBuffer(box): box.wrappedValue = value.tensor(Float.self)!
            case let .doubleBuffer(box): box.wrappedValue = value.tensor(Double.self)!
            }
        }
    }

    private static func slots(of model: Module) -> [(path: String, slot: Slot)] {
        var result: [(String, Slot)] = []
        result += model.namedParameters(of: Float.self).map { ($0.path, Slot.floatParameter($0.parameter)) }
        result += model.namedParameters(of: Double.self).map { ($0.path, Slot.doubleParameter($0.parameter)) }
        result += model.namedBuffers(of: Float.self).map { ($0.path, Slot.floatBuffer($0.buffer)) }
        result += model.namedBuffers(of: Double.self).map { ($0.path, Slot.doubleBuffer($0.buffer)) }
        var seen = Set<String>()
        for (path, _) in result {
            precondition(seen.insert(path).inserted, "two tensors of the model share the path '\(path)'")
        }
        return result
    }
}
