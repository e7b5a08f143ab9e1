import Testing
@testable import MBTensor

@Suite("Slice, pad, concat, stack, gather, scatter-add")
struct IndexingTests {
    let x = Tensor<Double>(shape: [3, 4, 5], scalars: (0..<60).map(Double.init))

    @Test func sliceValues() {
        let y = x.sliced([1..<3, 0..<4], steps: [1, 2])
        #expect(y.shape == [2, 2, 5])
        var expected: [Double] = []
        for i in 1..<3 { for j in stride(from: 0, to: 4, by: 2) { for k in 0..<5 { expected.append(Double(i * 20 + j * 5 + k)) } } }
        #expect(y.scalars == expected)
        let z = x.sliced(alongAxis: -1, 1..<5, step: 3)
        #expect(z.shape == [3, 4, 2])
        #expect(z[2, 3, 0] == 2 * 20 + 3 * 5 + 1 && z[2, 3, 1] == 2 * 20 + 3 * 5 + 4)
        #expect(x.sliced(alongAxis: 1, 2..<2).shape == [3, 0, 5])
    }

    @Test func padValues() {
        let m = Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4])
        let p = m.padded([(1, 0), (0, 2)])
        #expect(p.shape == [3, 4])
        #expect(p.scalars == [0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0])
        #expect(m.padded(alongAxis: 0, before: 0, after: 1).scalars == [1, 2, 3, 4, 0, 0])
    }

    @Test func concatAndStackValues() {
        let a = Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4]), b = Tensor<Double>(shape: [2, 1], scalars: [5, 6])
        #expect(Tensor.concatenated([a, b], alongAxis: 1).scalars == [1, 2, 5, 3, 4, 6])
        #expect(Tensor.concatenated([a, a], alongAxis: 0).scalars == [1, 2, 3, 4, 1, 2, 3, 4])
        let s = Tensor.stacked([a, a * 10], alongAxis: 2)
        #expect(s.shape == [2, 2, 2])
        #expect(s.scalars == [1, 10, 2, 20, 3, 30, 4, 40])
        #expect(Tensor.stacked([a, a], alongAxis: 0).shape == [2, 2, 2])
    }

    @Test func gatherValues() {
        // index_select with repeats.
        let g = x.gathering(indices: [3, 0, 3], alongAxis: 1)
        #expect(g.shape == [3, 3, 5])
        #expect(g[1, 0, 2] == x[1, 3, 2] && g[1, 1, 4] == x[1, 0, 4] && g[2, 2, 0] == x[2, 3, 0])
        // torch.gather: out[i][j] = m[i][index[i][j]] along axis 1.
        let m = Tensor<Double>(shape: [2, 3], scalars: [10, 11, 12, 20, 21, 22])
        let index = Tensor<Double>(shape: [2, 2], scalars: [2, 0, 1, 1])
        #expect(m.gathering(index, alongAxis: 1).scalars == [12, 10, 21, 21])
        // along axis 0: out[i][j] = m[index[i][j]][j]
        let index0 = TensorIndices(shape: [1, 3], values: [1, 0, 1])
        #expect(m.gathering(index0, alongAxis: 0).scalars == [20, 11, 22])
    }

    @Test func scatterAddValues() {
        let base = Tensor<Double>(zeros: [2, 3])
        let source = Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4])
        let index = TensorIndices(shape: [2, 2], values: [2, 2, 0, 1])
        #expect(base.scatteringAdd(source, at: index, alongAxis: 1).scalars == [0, 0, 3, 3, 4, 0])
        let rows = Tensor<Double>(ones: [3, 2]).scatteringAdd(Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4]), indices: [2, 2], alongAxis: 0)
        #expect(rows.scalars == [1, 1, 1, 1, 5, 7])
    }

    @Test func integralIndexTensorIsValidated() {
        let idx = TensorIndices(Tensor<Float>([0, 3, 7]))
        #expect(idx.values == [0, 3, 7])
    }

    @Test func gradients() {
        let v = sampleTensor([3, 4, 5])
        expectGradient([v]) { $0[0].sliced([1..<3, 0..<4], steps: [1, 3]) }
        expectGradient([v]) { $0[0].sliced(alongAxis: 2, 1..<5, step: 2) }
        expectGradient([v]) { $0[0].padded([(1, 0), (0, 2), (3, 1)]) }
        let w = sampleTensor([3, 2, 5], seed: 2)
        expectGradient([v, w]) { Tensor.concatenated([$0[0], $0[1], $0[0]], alongAxis: 1) }
        expectGradient([v, v * 2]) { Tensor.stacked([$0[0], $0[1]], alongAxis: 3) }
        expectGradient([v]) { $0[0].gathering(indices: [3, 0, 3, 1], alongAxis: 1) }
        let index = TensorIndices(shape: [2, 4, 3], values: (0..<24).map { ($0 * 7) % 5 })
        expectGradient([v]) { $0[0].gathering(index, alongAxis: 2) }
        let source = sampleTensor([2, 4, 3], seed: 3)
        expectGradient([v, source]) { $0[0].scatteringAdd($0[1], at: index, alongAxis: 2) }
        expectGradient([v, sampleTensor([3, 2, 5], seed: 4)]) { $0[0].scatteringAdd($0[1], indices: [1, 1], alongAxis: 1) }
    }

    @Test func secondDerivatives() {
        let v = sampleTensor([3, 4])
        expectSecondDerivative([v]) { $0[0].sliced([0..<3, 1..<4], steps: [2, 2]).exp().sum() }
        expectSecondDerivative([v]) { ($0[0].gathering(indices: [2, 2, 0], alongAxis: 1).square() * $0[0].sliced(alongAxis: 1, 0..<3)).sum() }
        let index = TensorIndices(shape: [3, 2], values: [0, 3, 1, 1, 2, 0])
        expectSecondDerivative([v]) { xs in
            let s = xs[0].tanh()
            return (Tensor<Double>(zeros: [3, 4]).scatteringAdd(s.gathering(index, alongAxis: 1), at: index, alongAxis: 1) * s).sum()
        }
        expectSecondDerivative([v]) { Tensor.concatenated([$0[0], $0[0].padded(alongAxis: 1, before: 1, after: 0).sliced(alongAxis: 1, 0..<4)], alongAxis: 0).sin().sum() }
    }
}
