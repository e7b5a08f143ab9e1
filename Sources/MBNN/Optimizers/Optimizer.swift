import MBTensor

/// Updates parameters in place from their gradients, keeping per-parameter state.
///
/// State is keyed by parameter path and can be exported and imported as named tensors
/// (`optimizer.step`, `optimizer.m.layers.0.weight`, …) so that a checkpoint resumes training
/// exactly where it stopped.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: TensorScalar
    /// Current step size; schedules set it before each step.
    var learningRate: Double { get set }
    /// Number of updates made so far.
    var step: Int { get }
    func update(_ parameters: ParameterSet<Scalar>, with gradients: Gradients<Scalar>)
    /// The optimizer's state as named tensors; empty slots (before the first update) are omitted.
    func stateTensors() -> [(String, Tensor<Scalar>)]
    /// Replaces the state by tensors from `stateTensors()` (in any order). Per-parameter
    /// state is matched to parameters by path in `prepareState(for:)` or at the next update.
    func loadState(_ tensors: [(String, Tensor<Scalar>)]) throws(OptimizerStateError)
    /// Builds the per-parameter state for `parameters` now (zeros, or a loaded state matched
    /// by path), throwing when a loaded state does not fit them. Updates do this on first use.
    func prepareState(for parameters: ParameterSet<Scalar>) throws(OptimizerStateError)
}

/// A saved optimizer state that cannot be loaded.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    case missingTensor(name: String)
    case unexpectedTensor(name: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case invalidValue(name: String, reason: String)

    public var description: String {
        switch self {
        case .missingTensor(let name):
            "optimizer state has no tensor '\(name)'; was it saved by a different optimizer or model?"
        case .unexpectedTensor(let name):
            "optimizer state tensor '\(name)' is not part of this optimizer's state; was it saved by a different optimizer?"
        case .shapeMismatch(let name, let expected, let found):
            "optimizer state tensor '\(name)' has shape \(found), expected \(expected)"
        case .invalidValue(let name, let reason):
            "optimizer state tensor '\(name)' is invalid: \(reason)"
        }
    }
}

/// Per-parameter state slots of an optimizer (Adam's m and v, SGD's momentum buffer), keyed
/// by parameter path, with their import and export as named tensors.
struct OptimizerSlots<Scalar: TensorScalar> {
    /// Slot names, for example `["m", "v"]`.
    let names: [String]
    /// Parameter paths, in the order of the parameter set the state was built for.
    private(set) var paths: [String] = []
    /// `values[i][s]`: slot `s` of parameter `i`.
    var values: [[Tensor<Scalar>]] = []
    /// State loaded before the parameter set is known: slot name → path → tensor.
    private var pending: [String: [String: Tensor<Scalar>]]?

    init(names: [String]) { self.names = names }

    var isEmpty: Bool { values.isEmpty }
    /// True when no loaded state waits to be matched to parameters.
    var pendingIsEmpty: Bool { pending == nil }

    /// Creates the slots for `parameters` on first use: from a loaded state when there is
    /// one (matched by path, shapes checked), otherwise zeros. Returns true when the slots
    /// are fresh zeros (no history).
    @discardableResult
    mutating func prepare(for parameters: ParameterSet<Scalar>, prefix: String) throws(OptimizerStateError) -> Bool {
        if !values.isEmpty {
            precondition(paths == parameters.paths, "optimizer state was built for parameters \(paths), got \(parameters.paths)")
            return false
        }
        guard let loaded = pending else {
            paths = parameters.paths
            values = parameters.boxes.map { box in names.map { _ in Tensor(zeros: box.wrappedValue.shape) } }
            return true
        }
        var slots: [[Tensor<Scalar>]] = []
        for (path, box) in zip(parameters.paths, parameters.boxes) {
            var slot: [Tensor<Scalar>] = []
            for name in names {
                guard let t = loaded[name]?[path] else { throw .missingTensor(name: "\(prefix)\(name).\(path)") }
                guard t.shape == box.wrappedValue.shape else {
                    throw .shapeMismatch(name: "\(prefix)\(name).\(path)", expected: box.wrappedValue.shape, found: t.shape)
                }
                slot.append(t)
            }
            slots.append(slot)
        }
        let known = Set(parameters.paths)
        for name in names {
            for path in (loaded[name] ?? [:]).keys.sorted() where !known.contains(path) {
                throw .unexpectedTensor(name: "\(prefix)\(name).\(path)")
            }
        }
        pending = nil
        paths = parameters.paths
        values = slots
        return false
    }

    /// `prepare` inside an update, where a mismatch is a programmer error (a caller that
    /// loads untrusted state calls the optimizer's `prepareState(for:)` first).
    @discardableResult
    mutating func prepareForUpdate(_ parameters: ParameterSet<Scalar>, prefix: String) -> Bool {
        do { return try prepare(for: parameters, prefix: prefix) } catch { preconditionFailure("\(error)") }
    }

    func exported(prefix: String) -> [(String, Tensor<Scalar>)] {
        var result: [(String, Tensor<Scalar>)] = []
        for (s, name) in names.enumerated() {
            for (i, path) in paths.enumerated() { result.append(("\(prefix)\(name).\(path)", values[i][s])) }
        }
        return result
    }

    /// Takes every tensor named `<prefix><slot>.<path>` out of `tensors`; the rest is left.
    mutating func load(from tensors: inout [String: Tensor<Scalar>], prefix: String) throws(OptimizerStateError) {
        var loaded: [String: [String: Tensor<Scalar>]] = [:]
        var pathOrder: [String: [String]] = [:]
        for name in names {
            let slotPrefix = "\(prefix)\(name)."
            for key in tensors.keys.sorted() where key.hasPrefix(slotPrefix) {
                let path = String(key.dropFirst(slotPrefix.count))
                loaded[name, default: [:]][path] = tensors.removeValue(forKey: key)
                pathOrder[name, default: []].append(path)
            }
        }
        // Every slot must cover the same parameters with the same shapes.
        if let first = names.first {
            let reference = loaded[first] ?? [:]
            for name in names.dropFirst() {
                let other = loaded[name] ?? [:]
                for (path, t) in reference {
                    guard let u = other[path] else { throw .missingTensor(name: "\(prefix)\(name).\(path)") }
                    if u.shape != t.shape { throw .shapeMismatch(name: "\(prefix)\(name).\(path)", expected: t.shape, found: u.shape) }
                }
                for path in other.keys where reference[path] == nil {
                    throw .missingTensor(name: "\(prefix)\(first).\(path)")
                }
            }
        }
        paths = []
        values = []
        pending = loaded.isEmpty ? nil : loaded
    }

    mutating func reset() {
        paths = []
        values = []
        pending = nil
    }
}

/// Reads the step counter saved as a one-element tensor.
func loadStepCount<Scalar: TensorScalar>(_ tensors: inout [String: Tensor<Scalar>], name: String) throws(OptimizerStateError) -> Int {
    guard let t = tensors.removeValue(forKey: name) else { throw .missingTensor(name: name) }
    guard t.count == 1 else { throw .shapeMismatch(name: name, expected: [], found: t.shape) }
    let value = Double(t.scalar)
    guard value >= 0, value == value.rounded(), value < 1e15 else {
        throw .invalidValue(name: name, reason: "step count must be a non-negative whole number, got \(value)")
    }
    return Int(value)
}

/// Named tensors as a dictionary; a repeated name is an error.
func stateDictionary<Scalar: TensorScalar>(_ tensors: [(String, Tensor<Scalar>)]) throws(OptimizerStateError) -> [String: Tensor<Scalar>] {
    var result: [String: Tensor<Scalar>] = [:]
    for (name, t) in tensors {
        if result.updateValue(t, forKey: name) != nil { throw .invalidValue(name: name, reason: "appears twice") }
    }
    return result
}

/// Mutable raw views of a parameter, its gradient and state tensors, typed for the C kernels.
enum KernelBuffers {
    static func withPointers<Scalar: TensorScalar>(
        _ p: inout Tensor<Scalar>, _ g: Tensor<Scalar>, _ states: inout [Tensor<Scalar>],
        _ body: (UnsafeMutableRawPointer, UnsafeRawPointer, [UnsafeMutableRawPointer], Int) -> Void
    ) {
        precondition(p.shape == g.shape, "gradient shape \(g.shape) does not match parameter shape \(p.shape)")
        let n = p.count
        g.withUnsafeBufferPointer { gp in
            p.withUnsafeMutableBufferPointer { pp in
                var pointers: [UnsafeMutableRawPointer] = []
                for i in states.indices {
                    states[i].withUnsafeMutableBufferPointer { pointers.append(UnsafeMutableRawPointer($0.baseAddress!)) }
                }
                body(UnsafeMutableRawPointer(pp.baseAddress!), UnsafeRawPointer(gp.baseAddress!), pointers, n)
            }
        }
    }
}

extension OptimizerSlots {
    /// The optimizer state as named tensors: `optimizer.step` and every slot under `optimizer.`.
    func exportedState(step: Int) -> [(String, Tensor<Scalar>)] {
        [("optimizer.step", Tensor(Scalar(step)))] + exported(prefix: "optimizer.")
    }

    /// The step count and slots read back from `exportedState`; every tensor must be used.
    func loadingState(_ tensors: [(String, Tensor<Scalar>)]) throws(OptimizerStateError) -> (step: Int, slots: OptimizerSlots) {
        var named = try stateDictionary(tensors)
        let step = try loadStepCount(&named, name: "optimizer.step")
        var loaded = OptimizerSlots(names: names)
        try loaded.load(from: &named, prefix: "optimizer.")
        if let extra = named.keys.sorted().first { throw .unexpectedTensor(name: extra) }
        return (step, loaded)
    }
}
