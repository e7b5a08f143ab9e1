import ArgumentParser
import Foundation
import MBNN
import MBTensor

/// Until a physics issue gives it real content, the demo trains a small network end to end
/// and shows what it learned.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a small network end to end on built-in data and print what it learned.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Training epochs.")
    var epochs = 300

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
    }

    func run() throws {
        common.applyThreads()
        var generator = RandomGenerator(seed: common.seed)
        // Data: y = sin(x) on [−π, π].
        let n = 256
        let xs: Tensor<Float> = generator.uniform(shape: [n, 1], in: -Double.pi...Double.pi)
        let ys = xs.sin()
        let model = DemoNetwork(generator: &generator)
        let parameters = ParameterSet<Float>(model)
        let optimizer = Adam<Float>(learningRate: 1e-2)
        let batch = 32
        let start = Date()
        for epoch in 1...epochs {
            let order = generator.permutation(n)
            var total = 0.0
            for b in stride(from: 0, to: n, by: batch) {
                let idx = Array(order[b..<min(b + batch, n)])
                let x = Tensor<Float>(shape: [idx.count, 1], scalars: idx.map { xs[$0, 0] })
                let y = Tensor<Float>(shape: [idx.count, 1], scalars: idx.map { ys[$0, 0] })
                let (loss, grads) = valueAndGradient(of: model, parameters: parameters) { m in (m(x) - y).square().mean() }
                optimizer.update(parameters, with: grads)
                total += Double(loss.scalar) * Double(idx.count)
            }
            if !common.quiet && (epoch % 50 == 0 || epoch == 1) {
                print(String(format: "epoch %4d  mse %.6f", epoch, total / Double(n)))
            }
        }
        print(String(format: "trained %d parameters in %.2f s", parameters.scalarCount, Date().timeIntervalSince(start)))
        print("     x     sin(x)   network")
        let probe = Tensor<Float>(shape: [9, 1], scalars: (0..<9).map { Float(-Double.pi + Double($0) * Double.pi / 4) })
        let prediction = model(probe)
        for i in 0..<9 {
            print(String(format: "%6.3f  %8.4f  %8.4f", probe[i, 0], sinf(probe[i, 0]), prediction[i, 0]))
        }
    }
}

/// 1 → 32 → 32 → 1 with tanh.
final class DemoNetwork: Module {
    let layer1: Linear<Float>, layer2: Linear<Float>, output: Linear<Float>

    init(generator: inout RandomGenerator) {
        layer1 = Linear(inputDimensions: 1, outputDimensions: 32, generator: &generator)
        layer2 = Linear(inputDimensions: 32, outputDimensions: 32, generator: &generator)
        output = Linear(inputDimensions: 32, outputDimensions: 1, generator: &generator)
    }

    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
        output(layer2(layer1(x).tanh()).tanh())
    }
}
