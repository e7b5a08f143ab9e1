import Testing
@testable import MBTensor

/// Direct nested-loop convolution, an independent reference for the im2col + GEMM path.
func naiveConv2d(_ x: Tensor<Double>, _ w: Tensor<Double>, _ b: Tensor<Double>?, stride: (Int, Int), padding: (Int, Int)) -> Tensor<Double> {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let ho = (h + 2 * padding.0 - kh) / stride.0 + 1, wo = (wd + 2 * padding.1 - kw) / stride.1 + 1
    var out = [Double](repeating: 0, count: n * o * ho * wo)
    for s in 0..<n { for oc in 0..<o { for i in 0..<ho { for j in 0..<wo {
        var acc = b?[oc] ?? 0
        for ic in 0..<c { for u in 0..<kh { for v in 0..<kw {
            let y = i * stride.0 - padding.0 + u, z = j * stride.1 - padding.1 + v
            if y >= 0 && y < h && z >= 0 && z < wd { acc += w[oc, ic, u, v] * x[s, ic, y, z] }
        } } }
        out[((s * o + oc) * ho + i) * wo + j] = acc
    } } } }
    return Tensor(shape: [n, o, ho, wo], scalars: out)
}

@Suite("Convolution and pooling")
struct ConvolutionTests {
    @Test(arguments: [((1, 1), (0, 0)), ((1, 1), (1, 2)), ((2, 1), (1, 0)), ((2, 3), (2, 1))])
    func conv2dMatchesDirectLoops(stride: (Int, Int), padding: (Int, Int)) {
        let x = sampleTensor([2, 3, 6, 7]), w = sampleTensor([4, 3, 3, 2], seed: 2), b = sampleTensor([4], seed: 3)
        let y = conv2d(x, weight: w, bias: b, stride: stride, padding: padding)
        let reference = naiveConv2d(x, w, b, stride: stride, padding: padding)
        #expect(y.shape == reference.shape)
        #expect(largestAbsoluteDifference(y, reference) < 1e-13)
        #expect(largestAbsoluteDifference(conv2d(x, weight: w, stride: stride, padding: padding), naiveConv2d(x, w, nil, stride: stride, padding: padding)) < 1e-13)
        // Float path, same geometry.
        let yf = conv2d(Tensor<Float>(converting: x), weight: Tensor<Float>(converting: w), bias: Tensor<Float>(converting: b),
                        stride: stride, padding: padding)
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: yf), reference) < 1e-5)
    }

    @Test func conv1dMatchesDirectLoops() {
        let x = sampleTensor([3, 2, 9]), w = sampleTensor([5, 2, 4], seed: 2), b = sampleTensor([5], seed: 3)
        for (stride, padding) in [(1, 0), (1, 2), (3, 1), (2, 3)] {
            let y = conv1d(x, weight: w, bias: b, stride: stride, padding: padding)
            let reference = naiveConv2d(x.reshaped(to: [3, 2, 1, 9]), w.reshaped(to: [5, 2, 1, 4]), b, stride: (1, stride), padding: (0, padding))
            #expect(y.shape == [3, 5, reference.shape[3]])
            #expect(largestAbsoluteDifference(y, reference.reshaped(to: y.shape)) < 1e-13)
        }
        // A hand-computed case: [1, 2, 3] ⋆ [1, -1] with padding 1 → [-1, -1, -1, 3].
        let y = conv1d(Tensor<Double>(shape: [1, 1, 3], scalars: [1, 2, 3]), weight: Tensor(shape: [1, 1, 2], scalars: [1, -1]), padding: 1)
        #expect(y.scalars == [-1, -1, -1, 3])
    }

    @Test func convolutionGradients() {
        let x = sampleTensor([2, 2, 5, 4]), w = sampleTensor([3, 2, 3, 2], seed: 2), b = sampleTensor([3], seed: 3)
        expectGradient([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: (1, 1), padding: (1, 1)) }
        expectGradient([x, w]) { conv2d($0[0], weight: $0[1], stride: (2, 1), padding: (0, 2)) }
        let x1 = sampleTensor([2, 3, 8]), w1 = sampleTensor([2, 3, 3], seed: 4), b1 = sampleTensor([2], seed: 5)
        expectGradient([x1, w1, b1]) { conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2) }
    }

    @Test func convolutionSecondDerivatives() {
        let x = sampleTensor([2, 2, 4, 3]), w = sampleTensor([2, 2, 2, 2], seed: 2)
        // The Hessian blocks mix input and weight: every one of the three primitives is used.
        expectSecondDerivative([x, w]) { conv2d($0[0], weight: $0[1], stride: (1, 2), padding: (1, 1)).tanh().sum() }
        let x1 = sampleTensor([1, 2, 6]), w1 = sampleTensor([3, 2, 3], seed: 3), b1 = sampleTensor([3], seed: 6)
        expectSecondDerivative([x1, w1, b1]) { conv1d($0[0], weight: $0[1], bias: $0[2], padding: 1).square().sum() }
    }

    @Test func poolingValues() {
        let x = Tensor<Double>(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, -1, 7, 8])
        #expect(x.maxPooled2d(kernel: (2, 2)).scalars == [5, 8])
        #expect(x.averagePooled2d(kernel: (2, 2)).scalars == [2, 4.25])
        #expect(x.maxPooled2d(kernel: (1, 2), stride: (1, 1)).scalars == [5, 5, 2, 3, 7, 8])
        let l = Tensor<Double>(shape: [1, 2, 5], scalars: [1, 4, 2, 2, 9, 0, -1, -3, -2, 6])
        #expect(l.maxPooled1d(kernel: 2).scalars == [4, 2, 0, -2])
        let averages: [Double] = [7.0 / 3, 13.0 / 3, -4.0 / 3, 1.0 / 3]
        #expect(largestAbsoluteDifference(l.averagePooled1d(kernel: 3, stride: 2), Tensor(shape: [1, 2, 2], scalars: averages)) < 1e-15)
        let withNaN = Tensor<Float>(shape: [1, 1, 1, 4], scalars: [1, .nan, 3, 2])
        #expect(withNaN.maxPooled1dCompatible().scalars[0].isNaN)
    }

    @Test func poolingGradients() {
        let x = sampleTensor([2, 3, 4, 6])
        expectGradient([x]) { $0[0].maxPooled2d(kernel: (2, 2)) }
        expectGradient([x]) { $0[0].maxPooled2d(kernel: (3, 2), stride: (1, 2)) }
        expectGradient([x]) { $0[0].averagePooled2d(kernel: (2, 3), stride: (1, 2)) }
        let l = sampleTensor([2, 3, 7])
        expectGradient([l]) { $0[0].maxPooled1d(kernel: 2) }
        expectGradient([l]) { $0[0].averagePooled1d(kernel: 3, stride: 2) }
        expectSecondDerivative([x]) { $0[0].maxPooled2d(kernel: (2, 2)).square().sum() }
        expectSecondDerivative([l]) { ($0[0].averagePooled1d(kernel: 2, stride: 1).exp()).sum() }
    }
}

private extension Tensor {
    func maxPooled1dCompatible() -> Tensor { maxPooled2d(kernel: (1, 2)) }
}
