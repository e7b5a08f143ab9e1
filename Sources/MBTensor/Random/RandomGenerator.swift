/// A seeded pseudo-random generator (xoshiro256**, Blackman & Vigna 2018), passed explicitly
/// to every stochastic routine: there is no global generator. The same seed gives the same
/// stream on every machine.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the four state words through SplitMix64, as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// An independent generator for a sub-task (e.g. a worker thread or a data shuffle),
    /// derived deterministically from this one's stream.
    public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by the Box–Muller transform.
    public mutating func nextNormal() -> Double {
        var u = nextUnit()
        while u == 0 { u = nextUnit() }
        let v = nextUnit()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int(next() % UInt64(i + 1))) }
        }
        return p
    }

    /// Tensor of i.i.d. uniform samples in `range`.
    public mutating func uniform<Scalar: TensorScalar>(shape: [Int], in range: ClosedRange<Double> = 0...1) -> Tensor<Scalar> {
        let n = shape.reduce(1, *)
        var t = Tensor<Scalar>(uninitializedShape: shape)
        let width = range.upperBound - range.lowerBound
        t.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i] = Scalar(range.lowerBound + width * nextUnit()) }
        }
        return t
    }

    /// Tensor of i.i.d. normal samples.
    public mutating func normal<Scalar: TensorScalar>(shape: [Int], mean: Double = 0, standardDeviation: Double = 1) -> Tensor<Scalar> {
        let n = shape.reduce(1, *)
        var t = Tensor<Scalar>(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i] = Scalar(mean + standardDeviation * nextNormal()) }
        }
        return t
    }
}
