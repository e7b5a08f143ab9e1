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

    /// Standard normal by the 256-layer ziggurat (Marsaglia & Tsang 2000; `NormalZiggurat`):
    /// usually one 64-bit draw and no transcendental function per variate.
    public mutating func nextNormal() -> Double { NormalZiggurat.shared.sample(&self) }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int(next() % UInt64(i + 1))) }
        }
        return p
    }

    /// Tensor of i.i.d. uniform samples in `range` (from `nextUnit`, so the upper bound is
    /// excluded up to rounding).
    public mutating func uniform<Scalar: TensorScalar>(shape: [Int], in range: ClosedRange<Double> = 0...1) -> Tensor<Scalar> {
        let (low, width) = (range.lowerBound, range.upperBound - range.lowerBound)
        return makeTensor(shape: shape) { generator, p, n in
            for i in 0..<n { p[i] = low + width * generator.nextUnit() }
        }
    }

    /// Tensor of i.i.d. normal samples (the stream of `nextNormal`).
    public mutating func normal<Scalar: TensorScalar>(shape: [Int], mean: Double = 0, standardDeviation: Double = 1) -> Tensor<Scalar> {
        makeTensor(shape: shape) { generator, p, n in
            let ziggurat = NormalZiggurat.shared
            for i in 0..<n { p[i] = mean + standardDeviation * ziggurat.sample(&generator) }
        }
    }

    /// A tensor whose elements `fill` writes as Doubles in concrete (non-generic) code,
    /// converted once by a C kernel, so generic samplers never loop per element.
    mutating func makeTensor<Scalar: TensorScalar>(
        shape: [Int], _ fill: (inout RandomGenerator, UnsafeMutablePointer<Double>, Int) -> Void
    ) -> Tensor<Scalar> {
        let n = shape.reduce(1, *)
        let t = Tensor<Scalar>(uninitializedShape: shape)
        if Scalar.self == Double.self {
            fill(&self, UnsafeMutableRawPointer(t.storage.pointer).assumingMemoryBound(to: Double.self), n)
        } else {
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(n, 1))
            defer { buffer.deallocate() }
            fill(&self, buffer, n)
            Scalar.fromDouble(buffer, t.storage.pointer, n)
        }
        return t
    }
}
