import Testing
@testable import MBTensor

/// Reference convolution on plain arrays: y[n, o, i, j] = b[o] + Σ_{c, (u,v) ∈ taps} w[o, c, u, v] x[n, c, i·s − p + u, j·s − p + v].
private func referenceConvolution(_ x: Tensor<Double>, _ w: Tensor<Double>, _ b: Tensor<Double>?, stride: (Int, Int),
                                  padding: (Int, Int), taps: [Int]? = nil) -> Tensor<Double> {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let ho = (h + 2 * padding.0 - kh) / stride.0 + 1, wo = (wd + 2 * padding.1 - kw) / stride.1 + 1
    let xs = x.scalars, ws = w.scalars, bs = b?.scalars
    let active = taps ?? Array(0..<(kh * kw))
    var out = [Double](repeating: 0, count: n * o * ho * wo)
    for s in 0..<n { for oc in 0..<o { for i in 0..<ho { for j in 0..<wo {
        var acc = bs?[oc] ?? 0
        for ic in 0..<c { for t in active {
            let (u, v) = (t / kw, t % kw)
            let yy = i * stride.0 - padding.0 + u, zz = j * stride.1 - padding.1 + v
            if yy >= 0 && yy < h && zz >= 0 && zz < wd { acc += ws[(oc * c + ic) * kh * kw + t] * xs[((s * c + ic) * h + yy) * wd + zz] }
        } }
        out[((s * o + oc) * ho + i) * wo + j] = acc
    } } } }
    return Tensor(shape: [n, o, ho, wo], scalars: out)
}

/// Reference weight gradient Σ_{n, i, j} g[n, o, i, j] x[n, c, i·s − p + u, j·s − p + v] (zero at inactive taps).
private func referenceWeightGradient(_ g: Tensor<Double>, _ x: Tensor<Double>, kernel: (Int, Int), stride: (Int, Int),
                                     padding: (Int, Int), taps: [Int]? = nil) -> Tensor<Double> {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, ho, wo) = (g.shape[1], g.shape[2], g.shape[3])
    let (kh, kw) = kernel
    let xs = x.scalars, gs = g.scalars
    var dw = [Double](repeating: 0, count: o * c * kh * kw)
    for t in taps ?? Array(0..<(kh * kw)) {
        let (u, v) = (t / kw, t % kw)
        for oc in 0..<o { for ic in 0..<c {
            var acc = 0.0
            for s in 0..<n { for i in 0..<ho { for j in 0..<wo {
                let yy = i * stride.0 - padding.0 + u, zz = j * stride.1 - padding.1 + v
                if yy >= 0 && yy < h && zz >= 0 && zz < wd { acc += gs[((s * o + oc) * ho + i) * wo + j] * xs[((s * c + ic) * h + yy) * wd + zz] }
            } } }
            dw[(oc * c + ic) * kh * kw + t] = acc
        } }
    }
    return Tensor(shape: [o, c, kh, kw], scalars: dw)
}

/// The PixelCNN masks as tap lists (exclusive: taps before the centre in raster order).
private func rasterTaps(_ k: Int, exclusive: Bool) -> [Int] {
    (0..<(k * k)).filter { $0 < (k / 2) * k + k / 2 + (exclusive ? 0 : 1) }
}

@Suite("Direct and masked convolution kernels")
struct DirectConvolutionTests {
    /// (N, C, H, W, O, kh, kw, ph, pw): channel counts around the register tiles (1–5, 9),
    /// widths that are not whole vectors, 1-d problems, batches that split over threads.
    static let geometries: [(Int, Int, Int, Int, Int, Int, Int, Int, Int)] = [
        (2, 1, 5, 7, 1, 3, 3, 1, 1), (3, 2, 4, 9, 2, 3, 3, 0, 2), (2, 3, 6, 5, 3, 2, 3, 1, 0), (4, 2, 3, 13, 4, 3, 1, 2, 0),
        (5, 3, 7, 6, 5, 3, 3, 2, 2), (2, 4, 1, 23, 9, 1, 5, 0, 2), (3, 1, 2, 17, 6, 1, 4, 0, 3), (1, 2, 9, 16, 7, 7, 7, 3, 3),
        (37, 3, 1, 12, 4, 1, 3, 0, 1),
    ]

    @Test(arguments: geometries)
    func directKernelsMatchReference(_ g: (Int, Int, Int, Int, Int, Int, Int, Int, Int)) {
        let (n, c, h, w, o, kh, kw, ph, pw) = g
        let x = sampleTensor([n, c, h, w], seed: 11), weight = sampleTensor([o, c, kh, kw], seed: 12), b = sampleTensor([o], seed: 13)
        let q = ConvolutionGeometry(input: x.shape, weight: weight.shape, stride: (1, 1), padding: (ph, pw))
        #expect(q.usesDirectKernels)
        let reference = referenceConvolution(x, weight, b, stride: (1, 1), padding: (ph, pw))
        let y = conv2d(x, weight: weight, bias: b, padding: (ph, pw))
        #expect(largestAbsoluteDifference(y, reference) < 1e-12)
        let yf = conv2d(Tensor<Float>(converting: x), weight: Tensor<Float>(converting: weight), bias: Tensor<Float>(converting: b),
                        padding: (ph, pw))
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: yf), reference) < 1e-5)
        // Both cotangents against their defining sums (the input one as the adjoint identity).
        let cotangent = sampleTensor(reference.shape, seed: 14)
        let grads = vectorJacobianProduct(at: [x, weight], cotangent: cotangent) { conv2d($0[0], weight: $0[1], padding: (ph, pw)) }.products
        let dw = referenceWeightGradient(cotangent, x, kernel: (kh, kw), stride: (1, 1), padding: (ph, pw))
        #expect(largestAbsoluteDifference(grads[1], dw) < 1e-11)
        let probe = sampleTensor(x.shape, seed: 15)
        let lhs = (grads[0] * probe).sum().scalar
        let rhs = (referenceConvolution(probe, weight, nil, stride: (1, 1), padding: (ph, pw)) * cotangent).sum().scalar
        #expect(abs(lhs - rhs) < 1e-10 * max(1, abs(rhs)))
        let gradsFloat = vectorJacobianProduct(at: [Tensor<Float>(converting: x), Tensor<Float>(converting: weight)],
                                               cotangent: Tensor<Float>(converting: cotangent)) { conv2d($0[0], weight: $0[1], padding: (ph, pw)) }.products
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: gradsFloat[0]), grads[0]) < 1e-4)
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: gradsFloat[1]), dw) < 1e-4 * Double(n * h * w))
    }

    @Test func tapsSelectTheMaskedConvolution() {
        let x = sampleTensor([3, 2, 6, 7], seed: 21), w = sampleTensor([4, 2, 5, 5], seed: 22), b = sampleTensor([4], seed: 23)
        for taps in [rasterTaps(5, exclusive: true), rasterTaps(5, exclusive: false), [0, 6, 7, 24], [12]] {
            var maskValues = [Double](repeating: 0, count: 25)
            for t in taps { maskValues[t] = 1 }
            let mask = Tensor<Double>(shape: [1, 1, 5, 5], scalars: maskValues)
            for (stride, padding) in [((1, 1), (2, 2)), ((1, 1), (0, 1)), ((2, 1), (2, 2)), ((1, 1), (5, 0))] {
                let y = conv2d(x, weight: w, bias: b, stride: stride, padding: padding, taps: taps)
                let reference = referenceConvolution(x, w * mask, b, stride: stride, padding: padding)
                #expect(largestAbsoluteDifference(y, reference) < 1e-12, "taps \(taps) stride \(stride) padding \(padding)")
                #expect(largestAbsoluteDifference(referenceConvolution(x, w, b, stride: stride, padding: padding, taps: taps), reference) < 1e-12)
                // Gradients equal those through the explicitly masked weight, zero at masked taps.
                let viaTaps = gradient(at: [x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding, taps: taps).tanh().sum() }
                let viaMask = gradient(at: [x, w, b]) { conv2d($0[0], weight: $0[1] * mask, bias: $0[2], stride: stride, padding: padding).tanh().sum() }
                for (a, e) in zip(viaTaps, viaMask) { #expect(largestAbsoluteDifference(a, e) < 1e-12) }
                #expect((viaTaps[1] * (1 - mask)).abs().max().scalar == 0)
            }
        }
    }

    @Test func maskedGradientsAndSecondDerivatives() {
        let taps = rasterTaps(3, exclusive: false)
        let x = sampleTensor([2, 2, 4, 5], seed: 31), w = sampleTensor([3, 2, 3, 3], seed: 32), b = sampleTensor([3], seed: 33)
        expectGradient([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], padding: (1, 1), taps: taps) }
        expectGradient([x, w]) { conv2d($0[0], weight: $0[1], stride: (2, 1), padding: (1, 1), taps: taps) }
        expectSecondDerivative([x, w]) { conv2d($0[0], weight: $0[1], padding: (1, 1), taps: taps).tanh().sum() }
        expectSecondDerivative([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: (1, 2), padding: (1, 0), taps: taps).square().sum() }
    }

    @Test func weightGradientRepeatsBitForBit() {
        // Chunked over threads and grouped inside the kernel: the same call gives the same bits.
        let x = Tensor<Float>(converting: sampleTensor([41, 3, 5, 11], seed: 41)), w = Tensor<Float>(converting: sampleTensor([5, 3, 3, 3], seed: 42))
        let first = gradient(at: w) { conv2d(x, weight: $0, padding: (1, 1)).square().sum() }
        let second = gradient(at: w) { conv2d(x, weight: $0, padding: (1, 1)).square().sum() }
        #expect(first.scalars == second.scalars)
        let reference = referenceWeightGradient(Tensor<Double>(converting: conv2d(x, weight: w, padding: (1, 1))) * 2,
                                                Tensor<Double>(converting: x), kernel: (3, 3), stride: (1, 1), padding: (1, 1))
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: first), reference) < 2e-3)
    }

    @Test func fusedReLUMatchesSeparateReLU() {
        let x = sampleTensor([3, 2, 5, 6], seed: 51), w = sampleTensor([4, 2, 3, 3], seed: 52), b = sampleTensor([4], seed: 53, in: -0.2...0.2)
        for (stride, padding, taps) in [((1, 1), (1, 1), nil), ((1, 1), (0, 2), [0, 1, 3, 4]), ((2, 1), (1, 1), nil)] as [((Int, Int), (Int, Int), [Int]?)] {
            let fused = conv2d(x, weight: w, bias: b, stride: stride, padding: padding, taps: taps, activation: .relu)
            let separate = conv2d(x, weight: w, bias: b, stride: stride, padding: padding, taps: taps).relu()
            #expect(largestAbsoluteDifference(fused, separate) < 1e-14)
            #expect(fused.scalars.contains(0) && fused.scalars.contains { $0 > 0 })
            // First order (fused mask and bias-gradient kernels) against the composite.
            let cotangent = sampleTensor(fused.shape, seed: 54)
            let a = vectorJacobianProduct(at: [x, w, b], cotangent: cotangent) {
                conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding, taps: taps, activation: .relu)
            }.products
            let e = vectorJacobianProduct(at: [x, w, b], cotangent: cotangent) {
                conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding, taps: taps).relu()
            }.products
            for (u, v) in zip(a, e) { #expect(largestAbsoluteDifference(u, v) < 1e-12) }
            expectGradient([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding, taps: taps, activation: .relu) }
            expectSecondDerivative([x, w, b]) {
                conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding, taps: taps, activation: .relu).square().sum()
            }
        }
        // Float, and the 1-d form.
        let x1 = sampleTensor([4, 3, 11], seed: 55), w1 = sampleTensor([5, 3, 5], seed: 56), b1 = sampleTensor([5], seed: 57)
        let y1 = conv1d(Tensor<Float>(converting: x1), weight: Tensor<Float>(converting: w1), bias: Tensor<Float>(converting: b1), padding: 2,
                        activation: .relu)
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: y1), conv1d(x1, weight: w1, bias: b1, padding: 2).relu()) < 1e-5)
        // The bias gradient of the plain convolution also comes from the fused kernel.
        let db = gradient(at: [x1, w1, b1]) { (conv1d($0[0], weight: $0[1], bias: $0[2], padding: 2) * x1.sliced(alongAxis: 1, 0..<1).sum()).sum() }
        #expect(largestAbsoluteDifference(db[2], Tensor(repeating: x1.sliced(alongAxis: 1, 0..<1).sum().scalar * 4 * 11, shape: [5])) < 1e-10)
    }
}
