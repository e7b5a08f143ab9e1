import Testing
@testable import MBTensor

@Suite("Max pooling kernels and parametric ReLU")
struct PoolingAndPReLUTests {
    @Test func pairPoolingMatchesGeneralWindows() {
        // The (1, 2) / stride (1, 2) fast path against hand values (ties go to the first
        // element, NaN wins) and against the general loop (stride (2, 2) rows).
        let x = Tensor<Double>(shape: [1, 1, 2, 5], scalars: [1, 1, -3, 2, 9, .nan, 0, 4, 4, 7])
        let y = x.maxPooled2d(kernel: (1, 2))
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.scalars[0] == 1 && y.scalars[1] == 2 && y.scalars[2].isNaN && y.scalars[3] == 4)
        let g = gradient(at: x) { ($0.maxPooled2d(kernel: (1, 2)) * Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])).sum() }
        #expect(g.scalars == [1, 0, 0, 2, 0, 3, 0, 4, 0, 0])
        let z = sampleTensor([3, 4, 6, 9], seed: 5)
        let fast = z.maxPooled2d(kernel: (1, 2)), strided = z.maxPooled2d(kernel: (1, 2), stride: (2, 2))
        #expect(fast.shape == [3, 4, 6, 4] && strided.shape == [3, 4, 3, 4])
        #expect(strided == fast.reshaped(to: [3, 4, 3, 2, 4]).sliced(alongAxis: 3, 0..<1).reshaped(to: [3, 4, 3, 4]))
        let reference = (0..<(3 * 4 * 6 * 4)).map { i -> Double in
            let (row, column) = (i / 4, i % 4)
            return Swift.max(z.scalars[row * 9 + 2 * column], z.scalars[row * 9 + 2 * column + 1])
        }
        #expect(fast.scalars == reference)
        expectGradient([z]) { $0[0].maxPooled2d(kernel: (1, 2)) }
        expectSecondDerivative([z]) { ($0[0].maxPooled2d(kernel: (1, 2)).square() * $0[0].maxPooled2d(kernel: (1, 2))).sum() }
    }

    @Test func parametricReLUValues() {
        let x = Tensor<Double>(shape: [2, 2, 3], scalars: [-2, 0, 3, -4, 5, -1, 1, -1, 2, -6, 0.5, .nan])
        let a = Tensor<Double>([0.5, -0.25])
        let y = x.parametricReLU(slopes: a)
        let expected: [Double] = [-1, 0, 3, 1, 5, 0.25, 1, -0.5, 2, 1.5, 0.5]
        #expect(Array(y.scalars.prefix(11)) == expected && y.scalars[11].isNaN)
        #expect(Tensor<Double>([-2, 4]).parametricReLU(slopes: Tensor([0.5])).scalars == [-1, 4])
        #expect(Tensor<Double>([-2, -4]).parametricReLU(slopes: Tensor([0.5, 0.25])).scalars == [-1, -1])
        // As the composite max(0, x) − a·max(0, −x) on a 4-d input.
        let z = sampleTensor([3, 4, 2, 5], seed: 7), slopes = sampleTensor([4], seed: 8)
        let composite = z.relu() - slopes.reshaped(to: [4, 1, 1]) * (-z).relu()
        #expect(largestAbsoluteDifference(z.parametricReLU(slopes: slopes), composite) < 1e-15)
        let zf = Tensor<Float>(converting: z)
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: zf.parametricReLU(slopes: Tensor<Float>(converting: slopes))), composite) < 1e-6)
    }

    @Test func parametricReLUGradients() {
        let z = sampleTensor([3, 4, 2, 5], seed: 9), slopes = sampleTensor([4], seed: 10)
        expectGradient([z, slopes]) { $0[0].parametricReLU(slopes: $0[1]) }
        expectGradient([z, Tensor<Double>([0.3])]) { $0[0].parametricReLU(slopes: $0[1]) }
        expectGradient([sampleTensor([5], seed: 11), sampleTensor([5], seed: 12)]) { $0[0].parametricReLU(slopes: $0[1]) }
        expectSecondDerivative([z, slopes]) { ($0[0].parametricReLU(slopes: $0[1]).square() * $0[1].reshaped(to: [4, 1, 1])).sum() }
        // The fused first-order pullback equals the differentiable one used at higher orders.
        let cotangent = sampleTensor(z.shape, seed: 13)
        let fused = vectorJacobianProduct(at: [z, slopes], cotangent: cotangent) { $0[0].parametricReLU(slopes: $0[1]) }.products
        let positive = z .> Tensor(0)
        #expect(largestAbsoluteDifference(fused[0], cotangent * (positive + (1 - positive) * slopes.reshaped(to: [4, 1, 1]))) < 1e-15)
        #expect(largestAbsoluteDifference(fused[1], (cotangent * z * (1 - positive)).sum(alongAxes: [0, 2, 3])) < 1e-13)
        // A batch large enough to split over threads: the slope gradient still sums every chunk.
        let big = sampleTensor([64, 3, 40], seed: 14), bigSlopes = Tensor<Double>([0.1, 0.2, 0.3])
        let bigGrad = gradient(at: bigSlopes) { big.parametricReLU(slopes: $0).sum() }
        #expect(largestAbsoluteDifference(bigGrad, (big * (1 - (big .> Tensor(0)))).sum(alongAxes: [0, 2])) < 1e-11)
    }
}
