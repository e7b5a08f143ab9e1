import MBNN
import MBTensor

/// Times training epochs exactly as the peer benchmarks do: a fresh random permutation per
/// epoch, batches of `batchSize` (the last one short), and for each batch the forward pass,
/// the loss, the backward pass and one Adam step; one warm-up epoch, then `repetitions`.
struct TrainingEpochs<Model: Module> {
    let model: Model
    let parameters: ParameterSet<Float>
    let optimizer: Adam<Float>

    init(model: Model, learningRate: Double) {
        self.model = model
        parameters = ParameterSet(model)
        optimizer = Adam(learningRate: learningRate)
    }

    /// `loss(model, indices)` builds the batch of the given example indices and returns its loss.
    func time(count: Int, batchSize: Int, repetitions: Int, generator: inout RandomGenerator,
              loss: (Model, [Int]) -> Tensor<Float>) -> BenchmarkTimer.Summary {
        var rng = generator.split()
        return BenchmarkTimer.time(warmup: 1, repeat: repetitions) {
            let order = rng.permutation(count)
            for start in stride(from: 0, to: count, by: batchSize) {
                let indices = Array(order[start..<min(start + batchSize, count)])
                let (_, gradients) = valueAndGradient(of: model, parameters: parameters) { loss($0, indices) }
                optimizer.update(parameters, with: gradients)
            }
        }
    }
}
