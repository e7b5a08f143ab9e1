#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Samplers beyond uniform and normal. Every sampler draws from the generator in a fixed
// order, so a seed determines the output bit for bit; tensor samplers consume the stream in
// row-major element order, exactly as the scalar sampler called once per element would.

extension RandomGenerator {
    // MARK: Scalar samplers

    /// True with probability `p` (compares one `nextUnit()` with p; p outside [0, 1] clamps).
    public mutating func nextBernoulli(probability p: Double) -> Bool { nextUnit() < p }

    /// Exponential with rate 1: −log(1 − U).
    public mutating func nextExponential() -> Double { -log1p(-nextUnit()) }

    /// An index drawn with probability proportional to `weights` (non-negative, not all zero;
    /// need not sum to 1), by inversion of the cumulative sum with one `nextUnit()`.
    public mutating func nextCategorical(weights: [Double]) -> Int {
        precondition(!weights.isEmpty, "categorical needs at least one weight")
        return weights.withUnsafeBufferPointer { categoricalIndex(UnsafePointer($0.baseAddress!), count: $0.count) }
    }

    /// Gamma(α, θ) with density x^(α−1) e^(−x/θ) / (Γ(α) θ^α), mean αθ, variance αθ².
    ///
    /// Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS
    /// 26(3): for α ≥ 1 a squeezed rejection from (1 + c·N)³; for α < 1 the boost
    /// G(α) = G(α + 1) · U^(1/α).
    public mutating func nextGamma(concentration alpha: Double, scale: Double = 1) -> Double {
        precondition(alpha > 0 && scale > 0, "gamma needs concentration > 0 and scale > 0, got \(alpha) and \(scale)")
        if alpha >= 1 { return marsagliaTsang(alpha) * scale }
        let g = marsagliaTsang(alpha + 1)
        return g * exp(log(nonZeroUnit()) / alpha) * scale
    }

    /// log of a Gamma(α, 1) variate, without underflow for tiny α (the same draws as
    /// `nextGamma`).
    public mutating func nextLogGamma(concentration alpha: Double) -> Double {
        precondition(alpha > 0, "gamma needs concentration > 0, got \(alpha)")
        if alpha >= 1 { return log(marsagliaTsang(alpha)) }
        let g = marsagliaTsang(alpha + 1)
        return log(g) + log(nonZeroUnit()) / alpha
    }

    /// Beta(a, b) on (0, 1) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b); for a or b < 1
    /// through the logs of the gammas, 1 / (1 + exp(log Y − log X)), so tiny parameters do not
    /// give 0/0.
    public mutating func nextBeta(alpha a: Double, beta b: Double) -> Double {
        precondition(a > 0 && b > 0, "beta needs positive parameters, got \(a) and \(b)")
        if a >= 1 && b >= 1 {
            let x = marsagliaTsang(a), y = marsagliaTsang(b)
            return x / (x + y)
        }
        let logX = nextLogGamma(concentration: a), logY = nextLogGamma(concentration: b)
        return 1 / (1 + exp(logY - logX))
    }

    /// Gamma(α ≥ 1, 1) by Marsaglia–Tsang.
    @inline(__always)
    mutating func marsagliaTsang(_ alpha: Double) -> Double {
        let d = alpha - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            let x = nextNormal()
            var v = 1 + c * x
            if v <= 0 { continue }
            v = v * v * v
            let u = nextUnit()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 { return d * v }
            if log(u) < 0.5 * x2 + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// Uniform in (0, 1).
    @inline(__always)
    mutating func nonZeroUnit() -> Double {
        var u = nextUnit()
        while u == 0 { u = nextUnit() }
        return u
    }

    /// Inversion of the cumulative weights; the last positive weight absorbs rounding.
    @inline(__always)
    mutating func categoricalIndex(_ w: UnsafePointer<Double>, count k: Int) -> Int {
        var total = 0.0
        for j in 0..<k {
            precondition(w[j] >= 0, "categorical weights must be non-negative, got \(w[j]) at index \(j)")
            total += w[j]
        }
        precondition(total > 0 && total.isFinite, "categorical weights must have a positive finite sum, got \(total)")
        let target = nextUnit() * total
        var cumulative = 0.0, last = 0
        for j in 0..<k where w[j] > 0 {
            cumulative += w[j]
            last = j
            if target < cumulative { return j }
        }
        return last
    }

    // MARK: Tensor samplers

    /// 0/1 tensor: element i is 1 with probability `probabilities[i]`.
    public mutating func bernoulli<Scalar: TensorScalar>(probabilities: Tensor<Scalar>) -> Tensor<Scalar> {
        let p = Tensor<Double>(converting: probabilities.detached())
        return p.withUnsafeBufferPointer { p in
            makeTensor(shape: probabilities.shape) { generator, out, n in
                for i in 0..<n { out[i] = generator.nextUnit() < p[i] ? 1 : 0 }
            }
        }
    }

    /// 0/1 tensor of i.i.d. Bernoulli(p) elements.
    public mutating func bernoulli<Scalar: TensorScalar>(probability p: Double, shape: [Int]) -> Tensor<Scalar> {
        makeTensor(shape: shape) { generator, out, n in
            for i in 0..<n { out[i] = generator.nextUnit() < p ? 1 : 0 }
        }
    }

    /// One category index per row of `probabilities` (`[..., k]`, rows of non-negative
    /// weights, normalised or not), in row-major order of the leading axes.
    public mutating func categorical<Scalar: TensorScalar>(probabilities: Tensor<Scalar>) -> [Int] {
        precondition(probabilities.rank >= 1 && probabilities.shape.last! > 0,
                     "categorical needs probabilities of shape [..., k] with k > 0, got \(probabilities.shape)")
        let k = probabilities.shape.last!
        let rows = probabilities.count / k
        let p = Tensor<Double>(converting: probabilities.detached())
        return p.withUnsafeBufferPointer { p in
            (0..<rows).map { row in categoricalIndex(p.baseAddress! + row * k, count: k) }
        }
    }

    /// One category index per row of unnormalised log-probabilities `logits` (`[..., k]`):
    /// the softmax of each row, stabilised by its maximum, then `categorical(probabilities:)`.
    public mutating func categorical<Scalar: TensorScalar>(logits: Tensor<Scalar>) -> [Int] {
        precondition(logits.rank >= 1 && logits.shape.last! > 0,
                     "categorical needs logits of shape [..., k] with k > 0, got \(logits.shape)")
        let l = logits.detached()
        return categorical(probabilities: (l - l.max(alongAxis: -1, keepingDimensions: true)).exp())
    }

    /// Gamma(α, θ) samples with element-wise concentrations α (`nextGamma` per element).
    public mutating func gamma<Scalar: TensorScalar>(concentration: Tensor<Scalar>, scale: Double = 1) -> Tensor<Scalar> {
        let alpha = Tensor<Double>(converting: concentration.detached())
        return alpha.withUnsafeBufferPointer { a in
            makeTensor(shape: concentration.shape) { generator, out, n in
                for i in 0..<n { out[i] = generator.nextGamma(concentration: a[i], scale: scale) }
            }
        }
    }

    /// i.i.d. Gamma(α, θ) samples.
    public mutating func gamma<Scalar: TensorScalar>(concentration alpha: Double, scale: Double = 1, shape: [Int]) -> Tensor<Scalar> {
        makeTensor(shape: shape) { generator, out, n in
            for i in 0..<n { out[i] = generator.nextGamma(concentration: alpha, scale: scale) }
        }
    }

    /// Beta(a, b) samples with element-wise parameters, broadcast against each other.
    public mutating func beta<Scalar: TensorScalar>(alpha: Tensor<Scalar>, beta: Tensor<Scalar>) -> Tensor<Scalar> {
        let shape = Shape.broadcast(alpha.shape, beta.shape)
        let a = Tensor<Double>(converting: alpha.detached().broadcast(to: shape))
        let b = Tensor<Double>(converting: beta.detached().broadcast(to: shape))
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                makeTensor(shape: shape) { generator, out, n in
                    for i in 0..<n { out[i] = generator.nextBeta(alpha: a[i], beta: b[i]) }
                }
            }
        }
    }

    /// i.i.d. Beta(a, b) samples.
    public mutating func beta<Scalar: TensorScalar>(alpha a: Double, beta b: Double, shape: [Int]) -> Tensor<Scalar> {
        makeTensor(shape: shape) { generator, out, n in
            for i in 0..<n { out[i] = generator.nextBeta(alpha: a, beta: b) }
        }
    }
}
