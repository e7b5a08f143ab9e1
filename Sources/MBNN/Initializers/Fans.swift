import MBTensor

/// Fan-in and fan-out of a weight tensor, as PyTorch's `_calculate_fan_in_and_fan_out`.
///
/// Linear weights `[outputs, inputs]`: fan-in = inputs, fan-out = outputs. Convolution
/// weights `[outputChannels, inputChannels, k₁, k₂, …]`: fan-in = inputChannels·Πkᵢ,
/// fan-out = outputChannels·Πkᵢ (the receptive field multiplies both).
public struct Fans: Equatable, Sendable {
    public let fanIn: Int
    public let fanOut: Int

    public init(fanIn: Int, fanOut: Int) {
        self.fanIn = fanIn
        self.fanOut = fanOut
    }

    public init(shape: [Int]) {
        precondition(shape.count >= 2, "fans need a weight of rank ≥ 2, got shape \(shape)")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        self.init(fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField)
    }

    /// Fans of a `Linear(inputs, outputs)` weight.
    public static func linear(inputs: Int, outputs: Int) -> Fans { Fans(fanIn: inputs, fanOut: outputs) }

    /// Fans of a convolution weight with the given kernel extents.
    public static func convolution(inputChannels: Int, outputChannels: Int, kernelSize: [Int]) -> Fans {
        let field = kernelSize.reduce(1, *)
        return Fans(fanIn: inputChannels * field, fanOut: outputChannels * field)
    }

    public func value(_ mode: FanMode) -> Int {
        switch mode {
        case .fanIn: fanIn
        case .fanOut: fanOut
        }
    }
}

/// Which fan Kaiming initialisation preserves the variance of: the forward pass (`fanIn`)
/// or the backward pass (`fanOut`).
public enum FanMode: Sendable {
    case fanIn, fanOut
}

/// The nonlinearity following a layer, for the gains of Kaiming and Xavier initialisation
/// (PyTorch's `calculate_gain`).
public enum Nonlinearity: Sendable, Equatable {
    case linear, sigmoid, tanh, relu, selu
    case leakyReLU(negativeSlope: Double)

    /// linear, sigmoid: 1; tanh: 5/3; relu: √2; leaky ReLU: √(2 / (1 + a²)); selu: 3/4.
    public var gain: Double {
        switch self {
        case .linear, .sigmoid: 1
        case .tanh: 5.0 / 3
        case .relu: 2.0.squareRoot()
        case .selu: 0.75
        case .leakyReLU(let a): (2 / (1 + a * a)).squareRoot()
        }
    }
}
