import Foundation
import MBTensor
import Testing
@testable import MBNN

/// Two parameters of different shapes, to drive optimizers with given gradients.
final class ParameterHolder<Scalar: TensorScalar>: Module {
    @Parameter var first: Tensor<Scalar>
    @Parameter var second: Tensor<Scalar>
    init(first: Tensor<Scalar>, second: Tensor<Scalar>) {
        self.first = first
        self.second = second
    }
}

/// Hand-rolled references in Double, written from the PyTorch documentation's pseudo-code.
enum Reference {
    struct AdamState { var m: [Double], v: [Double] }

    static func adam(p: inout [Double], g: [Double], state: inout AdamState, t: Int, lr: Double, b1: Double, b2: Double,
                     eps: Double, weightDecay: Double, decoupled: Bool) {
        for i in p.indices {
            var gi = g[i]
            if decoupled { p[i] *= 1 - lr * weightDecay } else { gi += weightDecay * p[i] }
            state.m[i] = b1 * state.m[i] + (1 - b1) * gi
            state.v[i] = b2 * state.v[i] + (1 - b2) * gi * gi
            let mHat = state.m[i] / (1 - pow(b1, Double(t)))
            let vHat = state.v[i] / (1 - pow(b2, Double(t)))
            p[i] -= lr * mHat / (vHat.squareRoot() + eps)
        }
    }

    static func sgd(p: inout [Double], g: [Double], buffer: inout [Double]?, lr: Double, momentum: Double, dampening: Double,
                    weightDecay: Double, nesterov: Bool) {
        var d = zip(g, p).map { $0 + weightDecay * $1 }
        if momentum != 0 {
            if let b = buffer {
                buffer = zip(b, d).map { momentum * $0 + (1 - dampening) * $1 }
            } else {
                buffer = d
            }
            d = nesterov ? zip(d, buffer!).map { $0 + momentum * $1 } : buffer!
        }
        for i in p.indices { p[i] -= lr * d[i] }
    }
}

@Suite("Optimizers")
struct OptimizerTests {
    func gradients<S: TensorScalar>(step t: Int, for set: ParameterSet<S>) -> Gradients<S> {
        Gradients(paths: set.paths, values: set.values.enumerated().map { k, v in
            Tensor<S>(converting: deterministicTensor(v.shape, seed: 10 * t + k, in: -2...2))
        })
    }

    func holder<S: TensorScalar>(_: S.Type) -> ParameterHolder<S> {
        ParameterHolder(first: Tensor(converting: deterministicTensor([3], seed: 1)), second: Tensor(converting: deterministicTensor([2, 2], seed: 2)))
    }

    @Test(arguments: [(0.0, false), (0.1, false), (0.1, true)])
    func adamMatchesReference(weightDecay: Double, decoupled: Bool) {
        let model = holder(Double.self)
        let set = ParameterSet<Double>(model)
        let lr = 0.05, b1 = 0.8, b2 = 0.95, eps = 1e-3
        let optimizer: any Optimizer<Double> = decoupled
            ? AdamW(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: weightDecay)
            : Adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: weightDecay)
        var reference = set.values.map(\.scalars)
        var states = reference.map { Reference.AdamState(m: [Double](repeating: 0, count: $0.count), v: [Double](repeating: 0, count: $0.count)) }
        for t in 1...6 {
            let g = gradients(step: t, for: set)
            optimizer.update(set, with: g)
            for k in reference.indices {
                Reference.adam(p: &reference[k], g: g.values[k].scalars, state: &states[k], t: t, lr: lr, b1: b1, b2: b2,
                               eps: eps, weightDecay: weightDecay, decoupled: decoupled)
            }
            for (value, expected) in zip(set.values, reference) {
                for (a, b) in zip(value.scalars, expected) { #expect(abs(a - b) < 1e-13, "step \(t): \(a) vs \(b)") }
            }
        }
        #expect(optimizer.step == 6)
        // The first step of Adam moves every coordinate by ≈ lr (bias correction makes m̂ = g, v̂ = g²).
        let fresh = holder(Double.self)
        let freshSet = ParameterSet<Double>(fresh)
        let before = freshSet.values[0].scalars
        Adam<Double>(learningRate: 0.01, epsilon: 0).update(freshSet, with: gradients(step: 1, for: freshSet))
        for (a, b) in zip(freshSet.values[0].scalars, before) { #expect(abs(abs(a - b) - 0.01) < 1e-15) }
    }

    @Test func adamInFloatTracksDoubleReference() {
        let model = holder(Float.self)
        let set = ParameterSet<Float>(model)
        let optimizer = Adam<Float>(learningRate: 1e-2)
        var reference = set.values.map { $0.scalars.map(Double.init) }
        var states = reference.map { Reference.AdamState(m: [Double](repeating: 0, count: $0.count), v: [Double](repeating: 0, count: $0.count)) }
        for t in 1...5 {
            let g = gradients(step: t, for: set)
            optimizer.update(set, with: g)
            for k in reference.indices {
                Reference.adam(p: &reference[k], g: g.values[k].scalars.map(Double.init), state: &states[k], t: t, lr: 1e-2,
                               b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false)
            }
        }
        for (value, expected) in zip(set.values, reference) {
            for (a, b) in zip(value.scalars, expected) { #expect(abs(Double(a) - b) < 1e-6) }
        }
    }

    @Test func adamWDecaysDecoupled() {
        // With zero gradients AdamW only shrinks: p_t = p₀(1 − lr·λ)^t (Adam's L2 form would not move).
        let model = holder(Double.self)
        let set = ParameterSet<Double>(model)
        let p0 = set.values.map(\.scalars)
        let optimizer = AdamW<Double>(learningRate: 0.1, weightDecay: 0.5)
        let zero = Gradients<Double>(paths: set.paths, values: set.values.map { Tensor(zeros: $0.shape) })
        for _ in 0..<3 { optimizer.update(set, with: zero) }
        for (value, initial) in zip(set.values, p0) {
            for (a, b) in zip(value.scalars, initial) { #expect(abs(a - b * pow(0.95, 3)) < 1e-15) }
        }
        let l2 = holder(Double.self)
        let l2Set = ParameterSet<Double>(l2)
        Adam<Double>(learningRate: 0.1, weightDecay: 0.5).update(l2Set, with: zero)
        // L2 Adam: g = λp, first step moves each coordinate by lr·sign(p).
        for (a, b) in zip(l2Set.values[0].scalars, p0[0]) { #expect(abs((b - a) - 0.1 * (b > 0 ? 1 : -1)) < 1e-6) }
    }

    @Test(arguments: [(0.0, 0.0, 0.0, false), (0.9, 0.0, 0.0, false), (0.9, 0.3, 0.01, false), (0.9, 0.0, 0.01, true)])
    func sgdMatchesReference(momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool) {
        let model = holder(Double.self)
        let set = ParameterSet<Double>(model)
        let lr = 0.1
        let optimizer = SGD<Double>(learningRate: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
                                    nesterov: nesterov)
        var reference = set.values.map(\.scalars)
        var buffers: [[Double]?] = reference.map { _ in nil }
        for t in 1...5 {
            let g = gradients(step: t, for: set)
            optimizer.update(set, with: g)
            for k in reference.indices {
                Reference.sgd(p: &reference[k], g: g.values[k].scalars, buffer: &buffers[k], lr: lr, momentum: momentum,
                              dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
            }
            for (value, expected) in zip(set.values, reference) {
                for (a, b) in zip(value.scalars, expected) { #expect(abs(a - b) < 1e-14, "step \(t)") }
            }
        }
        #expect(optimizer.stateTensors().count == (momentum == 0 ? 1 : 3))
    }

    /// Saving after 3 steps and loading into a fresh optimizer continues bit for bit.
    func resumes<O: Optimizer<Double>>(_ make: () -> O) throws {
        let a = holder(Double.self), b = holder(Double.self)
        let setA = ParameterSet<Double>(a), setB = ParameterSet<Double>(b)
        let first = make()
        for t in 1...3 { first.update(setA, with: gradients(step: t, for: setA)) }
        let saved = first.stateTensors()
        for (box, value) in zip(setB.boxes, setA.values) { box.wrappedValue = value }
        let second = make()
        try second.loadState(saved.reversed())
        try second.prepareState(for: setB)
        #expect(second.step == 3)
        for t in 4...6 {
            first.update(setA, with: gradients(step: t, for: setA))
            second.update(setB, with: gradients(step: t, for: setB))
        }
        #expect(setA.values == setB.values)
        #expect(first.stateTensors().map(\.0) == second.stateTensors().map(\.0))
        #expect(first.stateTensors().map(\.1) == second.stateTensors().map(\.1))
    }

    @Test func stateExportImportResumesExactly() throws {
        try resumes { Adam<Double>(learningRate: 0.01) }
        try resumes { AdamW<Double>(learningRate: 0.01) }
        try resumes { SGD<Double>(learningRate: 0.01, momentum: 0.9, nesterov: true) }
        let adam = Adam<Double>()
        let set = ParameterSet<Double>(holder(Double.self))
        adam.update(set, with: gradients(step: 1, for: set))
        #expect(adam.stateTensors().map(\.0) == ["optimizer.step", "optimizer.m.first", "optimizer.m.second",
                                                  "optimizer.v.first", "optimizer.v.second"])
    }

    @Test func badStateIsATypedError() throws {
        let adam = Adam<Double>()
        let set = ParameterSet<Double>(holder(Double.self))
        adam.update(set, with: gradients(step: 1, for: set))
        let saved = adam.stateTensors()
        #expect(throws: OptimizerStateError.missingTensor(name: "optimizer.step")) {
            try Adam<Double>().loadState(Array(saved.dropFirst()))
        }
        #expect(throws: OptimizerStateError.missingTensor(name: "optimizer.v.second")) {
            try Adam<Double>().loadState(saved.filter { $0.0 != "optimizer.v.second" })
        }
        #expect(throws: OptimizerStateError.unexpectedTensor(name: "optimizer.extra")) {
            try Adam<Double>().loadState(saved + [("optimizer.extra", Tensor(1))])
        }
        // A state for other parameters is refused when bound to this model.
        let other = ParameterHolder<Double>(first: Tensor(zeros: [4]), second: Tensor(zeros: [2, 2]))
        let loaded = Adam<Double>()
        try loaded.loadState(saved)
        #expect(throws: OptimizerStateError.shapeMismatch(name: "optimizer.m.first", expected: [4], found: [3])) {
            try loaded.prepareState(for: ParameterSet<Double>(other))
        }
        #expect(throws: OptimizerStateError.self) { try Adam<Double>().loadState([("optimizer.step", Tensor(1.5))]) }
        #expect(OptimizerStateError.missingTensor(name: "x").description.contains("'x'"))
    }

    @Test func gradientClipping() {
        let g = Gradients<Double>(paths: ["a", "b"], values: [Tensor([3, 0]), Tensor([0, 4])])
        #expect(g.globalNorm == 5)
        let (clipped, norm) = g.clippedByGlobalNorm(1)
        #expect(norm == 5)
        let factor = 1 / (5 + 1e-6)
        #expect(clipped["a"]!.scalars == [3 * factor, 0] && clipped["b"]!.scalars == [0, 4 * factor])
        #expect(g.clippedByGlobalNorm(10).gradients.values == g.values)
        let v = Gradients<Double>(paths: ["a"], values: [Tensor([-3, 0.5, 2])]).clippedByValue(1)
        #expect(v["a"]!.scalars == [-1, 0.5, 1])
        #expect(!g.hasNonFinite)
        #expect(Gradients<Double>(paths: ["a"], values: [Tensor([1, .nan])]).hasNonFinite)
    }
}
