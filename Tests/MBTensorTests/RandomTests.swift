import Foundation
import Testing
@testable import MBTensor

// Statistical tests. Seeds are fixed, so every run is deterministic; the stated false-failure
// rates say how likely a *correct* sampler would be to fail with a fresh seed:
// - moment checks: |estimate − exact| < 6 standard errors (CLT), ≈ 2·10⁻⁹ per comparison;
// - Kolmogorov–Smirnov: √N·D < 2.5, P(K > 2.5) = 2 Σ (−1)^(k−1) e^(−2k²·6.25) ≈ 7.5·10⁻⁶.
// Each KS check is paired with a power check: the same samples against a slightly wrong
// distribution must be rejected, so the test can fail.

/// Sample mean and variance against exact values, within `sigmas` standard errors.
/// The standard error of the variance uses the sample fourth central moment.
private func expectMoments(_ x: [Double], mean: Double, variance: Double, sigmas: Double = 6,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    let n = Double(x.count)
    let m = x.reduce(0, +) / n
    var m2 = 0.0, m4 = 0.0
    for v in x {
        let d = (v - m) * (v - m)
        m2 += d
        m4 += d * d
    }
    m2 /= n
    m4 /= n
    let meanError = (variance / n).squareRoot(), varianceError = ((m4 - m2 * m2) / n).squareRoot()
    #expect(Swift.abs(m - mean) < sigmas * meanError, "mean \(m) vs \(mean) (se \(meanError))", sourceLocation: sourceLocation)
    #expect(Swift.abs(m2 - variance) < sigmas * varianceError, "variance \(m2) vs \(variance) (se \(varianceError))",
            sourceLocation: sourceLocation)
}

/// √N · sup |F_N − F| for the empirical CDF of `x`.
private func kolmogorovSmirnov(_ x: [Double], _ cdf: (Double) -> Double) -> Double {
    let sorted = x.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, v) in sorted.enumerated() {
        let f = cdf(v)
        d = Swift.max(d, Double(i + 1) / n - f, f - Double(i) / n)
    }
    return d * n.squareRoot()
}

/// Regularised lower incomplete gamma P(a, x): series for x < a + 1, Lentz continued
/// fraction for Q otherwise (Numerical Recipes §6.2).
private func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
    if x <= 0 { return 0 }
    let logPrefactor = -x + a * Foundation.log(x) - Foundation.lgamma(a)
    if x < a + 1 {
        var term = 1 / a, sum = term, ap = a
        for _ in 0..<10_000 {
            ap += 1
            term *= x / ap
            sum += term
            if Swift.abs(term) < Swift.abs(sum) * 1e-16 { break }
        }
        return sum * Foundation.exp(logPrefactor)
    }
    let tiny = 1e-300
    var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
    for i in 1..<10_000 {
        let an = -Double(i) * (Double(i) - a)
        b += 2
        d = an * d + b
        if Swift.abs(d) < tiny { d = tiny }
        c = b + an / c
        if Swift.abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        h *= delta
        if Swift.abs(delta - 1) < 1e-16 { break }
    }
    return 1 - Foundation.exp(logPrefactor) * h
}

/// Regularised incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes §6.4),
/// using the symmetry I_x(a, b) = 1 − I_(1−x)(b, a) where the fraction converges slowly.
private func regularizedBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(b, a, 1 - x) }
    let logPrefactor = Foundation.lgamma(a + b) - Foundation.lgamma(a) - Foundation.lgamma(b)
        + a * Foundation.log(x) + b * Foundation.log1p(-x)
    let tiny = 1e-300
    var c = 1.0, d = 1 - (a + b) * x / (a + 1)
    if Swift.abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1..<10_000 {
        let m = Double(m)
        var an = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1 + an * d
        if Swift.abs(d) < tiny { d = tiny }
        c = 1 + an / c
        if Swift.abs(c) < tiny { c = tiny }
        d = 1 / d
        h *= d * c
        an = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 + an * d
        if Swift.abs(d) < tiny { d = tiny }
        c = 1 + an / c
        if Swift.abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        h *= delta
        if Swift.abs(delta - 1) < 1e-16 { break }
    }
    return Foundation.exp(logPrefactor) * h / a
}

private func standardNormalCDF(_ x: Double) -> Double { 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) }

@Suite("Random samplers (statistical; fixed seeds; false-failure rates in the file header)")
struct RandomTests {
    @Test func referenceCDFsAgreeWithClosedForms() {
        // The test's own incomplete gamma/beta, checked before they judge the samplers.
        for x in [0.1, 0.7, 2, 5, 13] {
            #expect(Swift.abs(regularizedGammaP(1, x) - (1 - Foundation.exp(-x))) < 1e-14)
            let erlang3 = 1 - Foundation.exp(-x) * (1 + x + x * x / 2)
            #expect(Swift.abs(regularizedGammaP(3, x) - erlang3) < 1e-14)
            #expect(Swift.abs(regularizedGammaP(0.5, x) - Foundation.erf(x.squareRoot())) < 1e-14)
        }
        for x in [0.01, 0.2, 0.5, 0.9, 0.999] {
            #expect(Swift.abs(regularizedBeta(0.5, 0.5, x) - 2 / Double.pi * Foundation.asin(x.squareRoot())) < 1e-13)
            #expect(Swift.abs(regularizedBeta(2.7, 1, x) - Foundation.pow(x, 2.7)) < 1e-13)
            // Beta(2, 3): I_x = 6x² − 8x³ + 3x⁴.
            #expect(Swift.abs(regularizedBeta(2, 3, x) - (6 * x * x - 8 * x * x * x + 3 * x * x * x * x)) < 1e-13)
        }
    }

    @Test func sameSeedSameStreamDifferentSeedsDiffer() {
        func draw(_ seed: UInt64) -> [Double] {
            var g = RandomGenerator(seed: seed)
            var out: [Double] = []
            out += (g.uniform(shape: [5]) as Tensor<Double>).scalars
            out += (g.normal(shape: [5]) as Tensor<Double>).scalars
            out += (g.bernoulli(probability: 0.3, shape: [5]) as Tensor<Double>).scalars
            out += g.categorical(probabilities: Tensor<Double>(shape: [3, 4], scalars: Array(repeating: 0.25, count: 12))).map(Double.init)
            out += (g.gamma(concentration: 0.4, shape: [5]) as Tensor<Double>).scalars
            out += (g.gamma(concentration: 3.5, shape: [5]) as Tensor<Double>).scalars
            out += (g.beta(alpha: 0.3, beta: 2, shape: [5]) as Tensor<Double>).scalars
            out += (g.beta(alpha: Tensor<Double>([2, 3]), beta: Tensor<Double>([4])) as Tensor<Double>).scalars
            return out
        }
        let a = draw(2024), b = draw(2024), c = draw(2025)
        #expect(a == b)
        #expect(zip(a, c).filter { $0 != $1 }.count > a.count / 2)
        // Float tensors consume the same stream: they are the Double values rounded.
        var g1 = RandomGenerator(seed: 7), g2 = RandomGenerator(seed: 7)
        let d: Tensor<Double> = g1.gamma(concentration: 0.7, shape: [100])
        let f: Tensor<Float> = g2.gamma(concentration: 0.7, shape: [100])
        #expect(d.scalars.map(Float.init) == f.scalars)
        // Tensor samplers equal the scalar sampler called per element.
        var g3 = RandomGenerator(seed: 9), g4 = RandomGenerator(seed: 9)
        let t: Tensor<Double> = g3.beta(alpha: 0.5, beta: 1.5, shape: [50])
        #expect(t.scalars == (0..<50).map { _ in g4.nextBeta(alpha: 0.5, beta: 1.5) })
    }

    @Test func uniformAndNormalMomentsKolmogorovSmirnovAndTails() {
        var g = RandomGenerator(seed: 11)
        let u: Tensor<Double> = g.uniform(shape: [200_000], in: -1...3)
        expectMoments(u.scalars, mean: 1, variance: 16.0 / 12)
        #expect(kolmogorovSmirnov(Array(u.scalars.prefix(50_000))) { ($0 + 1) / 4 } < 2.5)

        let n: Tensor<Double> = g.normal(shape: [1_000_000], mean: 0.5, standardDeviation: 2)
        expectMoments(n.scalars, mean: 0.5, variance: 4)
        let z = n.scalars.map { ($0 - 0.5) / 2 }
        #expect(kolmogorovSmirnov(Array(z.prefix(100_000)), standardNormalCDF) < 2.5)
        #expect(kolmogorovSmirnov(Array(z.prefix(100_000))) { standardNormalCDF($0 / 1.08) } > 2.5, "KS has no power")
        // Tail frequencies, including beyond the ziggurat's r = 3.654 (the tail algorithm):
        // binomial counts within 6 standard deviations.
        for threshold in [1.0, 2.5, 3.0, 3.7, 4.2] {
            let p = 2 * (1 - standardNormalCDF(threshold))
            let count = Double(z.filter { Swift.abs($0) > threshold }.count), expected = p * Double(z.count)
            #expect(Swift.abs(count - expected) < 6 * (expected * (1 - p)).squareRoot() + 1, "P(|Z| > \(threshold)): \(count) vs \(expected)")
        }
        // Float output has the same distribution.
        let nf: Tensor<Float> = g.normal(shape: [200_000])
        expectMoments(nf.scalars.map(Double.init), mean: 0, variance: 1)
    }

    @Test func bernoulliScalarAndTensorProbabilities() {
        var g = RandomGenerator(seed: 12)
        let b: Tensor<Double> = g.bernoulli(probability: 0.3, shape: [200_000])
        #expect(b.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        expectMoments(b.scalars, mean: 0.3, variance: 0.21)
        // Element-wise probabilities: the total count is a sum of independent Bernoullis.
        let p = Tensor<Float>(converting: sampleTensor([200_000], seed: 3, in: 0...1))
        let s: Tensor<Float> = g.bernoulli(probabilities: p)
        let pd = p.scalars.map(Double.init)
        let mean = pd.reduce(0, +), variance = pd.reduce(0) { $0 + $1 * (1 - $1) }
        let total = s.scalars.reduce(0) { $0 + Double($1) }
        #expect(Swift.abs(total - mean) < 6 * variance.squareRoot())
        // Probabilities 0 and 1 are deterministic.
        let edge: Tensor<Double> = g.bernoulli(probabilities: Tensor<Double>([0, 1, 0, 1]))
        #expect(edge.scalars == [0, 1, 0, 1])
    }

    @Test func categoricalFromProbabilitiesAndLogits() {
        var g = RandomGenerator(seed: 13)
        let probabilities: [Double] = [0.1, 0.2, 0, 0.3, 0.4]
        let rows = 200_000
        let table = Tensor<Double>(shape: [rows, 5], scalars: Array((0..<rows).map { _ in probabilities }.joined()))
        let logits = table.log() + 3  // log 0 = −∞ gives probability 0; a shift changes nothing
        for (name, indices) in [("probabilities", g.categorical(probabilities: table)), ("logits", g.categorical(logits: logits))] {
            #expect(indices.count == rows)
            var counts = [Double](repeating: 0, count: 5)
            for i in indices { counts[i] += 1 }
            #expect(counts[2] == 0, "\(name): a zero-probability category was drawn")
            for (c, p) in zip(counts, probabilities) where p > 0 {
                let expected = p * Double(rows)
                #expect(Swift.abs(c - expected) < 6 * (expected * (1 - p)).squareRoot(), "\(name): \(c) vs \(expected)")
            }
        }
        // Rows are independent distributions: one-hot rows are deterministic; batch axes flatten.
        let oneHot = Tensor<Float>(shape: [2, 2, 3], scalars: [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 5])
        #expect(g.categorical(probabilities: oneHot) == [2, 0, 1, 2])
        #expect(g.nextCategorical(weights: [0, 0, 2]) == 2)
    }

    @Test func gammaMomentsAndKolmogorovSmirnov() {
        var g = RandomGenerator(seed: 14)
        for (alpha, scale) in [(0.3, 1.0), (1.0, 2.0), (2.5, 1.0), (9.0, 0.5)] {
            let x: Tensor<Double> = g.gamma(concentration: alpha, scale: scale, shape: [200_000])
            #expect(x.scalars.allSatisfy { $0 >= 0 })
            expectMoments(x.scalars, mean: alpha * scale, variance: alpha * scale * scale)
            let sample = Array(x.scalars.prefix(50_000))
            #expect(kolmogorovSmirnov(sample) { regularizedGammaP(alpha, $0 / scale) } < 2.5, "Gamma(\(alpha)) KS")
            #expect(kolmogorovSmirnov(sample) { regularizedGammaP(alpha * 1.15, $0 / scale) } > 2.5, "Gamma(\(alpha)) KS has no power")
        }
        // Element-wise concentrations: each column has its own mean.
        let alphas = Tensor<Double>([0.5, 4]).reshaped(to: [1, 2]).broadcast(to: [100_000, 2])
        let x = g.gamma(concentration: alphas, scale: 1)
        let columns = x.transposed().scalars
        expectMoments(Array(columns[..<100_000]), mean: 0.5, variance: 0.5)
        expectMoments(Array(columns[100_000...]), mean: 4, variance: 4)
        // Tiny α: the log sampler stays finite where the variate itself underflows.
        let logs = (0..<1000).map { _ in g.nextLogGamma(concentration: 0.002) }
        #expect(logs.allSatisfy { $0.isFinite })
    }

    @Test func betaMomentsAndKolmogorovSmirnov() {
        var g = RandomGenerator(seed: 15)
        for (a, b) in [(0.5, 0.5), (2.0, 5.0), (0.3, 0.7), (3.0, 0.4)] {
            let x: Tensor<Double> = g.beta(alpha: a, beta: b, shape: [200_000])
            #expect(x.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
            let s = a + b
            expectMoments(x.scalars, mean: a / s, variance: a * b / (s * s * (s + 1)))
            let sample = Array(x.scalars.prefix(50_000))
            #expect(kolmogorovSmirnov(sample) { regularizedBeta(a, b, $0) } < 2.5, "Beta(\(a), \(b)) KS")
            #expect(kolmogorovSmirnov(sample) { regularizedBeta(a * 1.15, b, $0) } > 2.5, "Beta(\(a), \(b)) KS has no power")
        }
        // Broadcast parameters, Float output.
        let x: Tensor<Float> = g.beta(alpha: Tensor<Float>([1, 6]).reshaped(to: [1, 2]), beta: Tensor<Float>(shape: [50_000, 1], scalars: Array(repeating: 2, count: 50_000)))
        #expect(x.shape == [50_000, 2])
        let columns = x.transposed().scalars.map(Double.init)
        expectMoments(Array(columns[..<50_000]), mean: 1.0 / 3, variance: 2.0 / (9 * 4))
        expectMoments(Array(columns[50_000...]), mean: 0.75, variance: 12.0 / (64 * 9))
    }
}
