import MBTensor

/// A rule giving the initial value of a parameter of a given shape. Every random initialiser
/// draws from the generator it is given, so a model built from one seed is always the same.
public protocol TensorInitializer: Sendable {
    func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar>
}

/// All zeros.
public struct Zeros: TensorInitializer {
    public init() {}
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        Tensor(zeros: shape)
    }
}

/// Every element equal to `value`.
public struct Constant: TensorInitializer {
    public let value: Double
    public init(_ value: Double) { self.value = value }
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        Tensor(repeating: Scalar(value), shape: shape)
    }
}

/// U(lower, upper), i.i.d.
public struct Uniform: TensorInitializer {
    public let range: ClosedRange<Double>
    public init(_ range: ClosedRange<Double>) { self.range = range }
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        RandomFill.uniform(shape: shape, in: range, generator: &generator)
    }
}

/// N(mean, standardDeviation²), i.i.d.
public struct Normal: TensorInitializer {
    public let mean: Double, standardDeviation: Double
    public init(mean: Double = 0, standardDeviation: Double = 1) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        RandomFill.normal(shape: shape, mean: mean, standardDeviation: standardDeviation, generator: &generator)
    }
}

/// Glorot & Bengio (2010): U(±a) with a = gain·√(6 / (fanIn + fanOut)).
public struct XavierUniform: TensorInitializer {
    public let gain: Double
    public init(gain: Double = 1) { self.gain = gain }
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        let fans = Fans(shape: shape)
        let bound = gain * (6 / Double(fans.fanIn + fans.fanOut)).squareRoot()
        return RandomFill.uniform(shape: shape, in: -bound...bound, generator: &generator)
    }
}

/// Glorot & Bengio (2010): N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)).
public struct XavierNormal: TensorInitializer {
    public let gain: Double
    public init(gain: Double = 1) { self.gain = gain }
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        let fans = Fans(shape: shape)
        let sigma = gain * (2 / Double(fans.fanIn + fans.fanOut)).squareRoot()
        return RandomFill.normal(shape: shape, mean: 0, standardDeviation: sigma, generator: &generator)
    }
}

/// He et al. (2015): U(±b) with b = gain·√(3 / fan), fan chosen by `mode`.
///
/// With `.leakyReLU(negativeSlope: √5)` and `.fanIn` this is PyTorch's default for `Linear`
/// and convolution weights: b = √(1/3)·√(3/fanIn) = 1/√fanIn.
public struct KaimingUniform: TensorInitializer {
    public let nonlinearity: Nonlinearity, mode: FanMode
    public init(nonlinearity: Nonlinearity = .leakyReLU(negativeSlope: 0), mode: FanMode = .fanIn) {
        self.nonlinearity = nonlinearity
        self.mode = mode
    }
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        let fan = Double(Fans(shape: shape).value(mode))
        let bound = nonlinearity.gain * (3 / fan).squareRoot()
        return RandomFill.uniform(shape: shape, in: -bound...bound, generator: &generator)
    }
}

/// He et al. (2015): N(0, σ²) with σ = gain / √fan, fan chosen by `mode`.
public struct KaimingNormal: TensorInitializer {
    public let nonlinearity: Nonlinearity, mode: FanMode
    public init(nonlinearity: Nonlinearity = .leakyReLU(negativeSlope: 0), mode: FanMode = .fanIn) {
        self.nonlinearity = nonlinearity
        self.mode = mode
    }
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        let fan = Double(Fans(shape: shape).value(mode))
        return RandomFill.normal(shape: shape, mean: 0, standardDeviation: nonlinearity.gain / fan.squareRoot(),
                                 generator: &generator)
    }
}

/// PyTorch's default weight initialisation for `Linear` and convolutions: Kaiming uniform
/// with a = √5, that is U(±1/√fanIn).
public struct PyTorchDefaultWeight: TensorInitializer {
    public init() {}
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        KaimingUniform(nonlinearity: .leakyReLU(negativeSlope: 5.0.squareRoot())).initialValue(shape: shape, generator: &generator)
    }
}

/// PyTorch's default bias initialisation: U(±1/√fanIn), with the fan-in of the layer's weight.
public struct PyTorchDefaultBias: TensorInitializer {
    public let fanIn: Int
    public init(fanIn: Int) { self.fanIn = fanIn }
    public func initialValue<Scalar: TensorScalar>(shape: [Int], generator: inout RandomGenerator) -> Tensor<Scalar> {
        let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
        return RandomFill.uniform(shape: shape, in: -bound...bound, generator: &generator)
    }
}

/// Random tensors drawn in concrete `Double` code and converted once, so that large weights
/// (millions of elements) initialise at memory speed rather than through a generic loop.
enum RandomFill {
    static func uniform<Scalar: TensorScalar>(shape: [Int], in range: ClosedRange<Double>,
                                              generator: inout RandomGenerator) -> Tensor<Scalar> {
        let values = uniformValues(count: shape.reduce(1, *), in: range, generator: &generator)
        return Tensor(converting: Tensor<Double>(shape: shape, scalars: values))
    }

    static func normal<Scalar: TensorScalar>(shape: [Int], mean: Double, standardDeviation: Double,
                                             generator: inout RandomGenerator) -> Tensor<Scalar> {
        let values = normalValues(count: shape.reduce(1, *), mean: mean, standardDeviation: standardDeviation,
                                  generator: &generator)
        return Tensor(converting: Tensor<Double>(shape: shape, scalars: values))
    }

    /// lower + (upper − lower)·u with u = `nextUnit()`, the same stream as `RandomGenerator.uniform`.
    static func uniformValues(count: Int, in range: ClosedRange<Double>, generator: inout RandomGenerator) -> [Double] {
        let lower = range.lowerBound, width = range.upperBound - range.lowerBound
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = lower + width * generator.nextUnit() }
            initialized = count
        }
    }

    static func normalValues(count: Int, mean: Double, standardDeviation: Double, generator: inout RandomGenerator) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = mean + standardDeviation * generator.nextNormal() }
            initialized = count
        }
    }
}

extension TensorInitializer where Self == Zeros {
    public static var zeros: Zeros { Zeros() }
}
extension TensorInitializer where Self == Constant {
    public static func constant(_ value: Double) -> Constant { Constant(value) }
}
extension TensorInitializer where Self == XavierUniform {
    public static func xavierUniform(gain: Double = 1) -> XavierUniform { XavierUniform(gain: gain) }
}
extension TensorInitializer where Self == XavierNormal {
    public static func xavierNormal(gain: Double = 1) -> XavierNormal { XavierNormal(gain: gain) }
}
extension TensorInitializer where Self == KaimingUniform {
    public static func kaimingUniform(nonlinearity: Nonlinearity = .leakyReLU(negativeSlope: 0), mode: FanMode = .fanIn)
        -> KaimingUniform { KaimingUniform(nonlinearity: nonlinearity, mode: mode) }
}
extension TensorInitializer where Self == KaimingNormal {
    public static func kaimingNormal(nonlinearity: Nonlinearity = .leakyReLU(negativeSlope: 0), mode: FanMode = .fanIn)
        -> KaimingNormal { KaimingNormal(nonlinearity: nonlinearity, mode: mode) }
}
extension TensorInitializer where Self == PyTorchDefaultWeight {
    public static var pyTorchDefault: PyTorchDefaultWeight { PyTorchDefaultWeight() }
}
