import MBNN
import MBTensor

/// Per-operation cost on tiny tensors, where dispatch and allocation rather than arithmetic
/// decide the time (the regime of the MLP, attention, MADE and RealNVP benchmarks).
enum OverheadBenchmark {
    static func run(repetitions: Int) -> [BenchmarkRecord] {
        var generator = RandomGenerator(seed: 1)
        let a: Tensor<Float> = generator.normal(shape: [8, 51]), b: Tensor<Float> = generator.normal(shape: [8, 51])
        let x: Tensor<Float> = generator.normal(shape: [8, 201]), w: Tensor<Float> = generator.normal(shape: [51, 201])
        let bias: Tensor<Float> = generator.normal(shape: [51])
        let calls = 20000
        func perCall(_ name: String, _ body: () -> Void) -> BenchmarkRecord {
            let s = BenchmarkTimer.time(warmup: 1, repeat: repetitions) { for _ in 0..<calls { body() } }
            return BenchmarkRecord(bench: "overhead", model: name, metric: "time per call", unit: "µs",
                                   value: s.median / Double(calls) * 1e6)
        }
        var sink: Float = 0
        let records = [
            perCall("add [8,51]") { sink += (a + b).withUnsafeBufferPointer { $0[0] } },
            perCall("add bias [8,51]+[51]") { sink += (a + bias).withUnsafeBufferPointer { $0[0] } },
            perCall("tanh [8,51]") { sink += a.tanh().withUnsafeBufferPointer { $0[0] } },
            perCall("matmul [8,201]x[51,201]T") { sink += x.matmul(w, transposeOther: true).withUnsafeBufferPointer { $0[0] } },
            perCall("sum [8,51]") { sink += a.sum().withUnsafeBufferPointer { $0[0] } },
            perCall("gradient of sum(tanh(a*b))") {
                sink += gradient(at: a) { ($0 * b).tanh().sum() }.withUnsafeBufferPointer { $0[0] }
            },
        ]
        if sink.isNaN { print("unreachable") }
        return records
    }
}
