import Dispatch
import MBNN
import MBTensor

func seconds(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
}
func median(_ reps: Int, _ body: () -> Void) -> Double {
    body()
    var times = (0..<reps).map { _ in seconds(body) }
    times.sort()
    return times[reps / 2]
}
ComputeThreads.configure(Int(CommandLine.arguments.dropFirst().first ?? "2") ?? 2)
var generator = RandomGenerator(seed: 1)
final class ConvStack: Module {
    let c1: Conv1d<Float>, c2: Conv1d<Float>, c3: Conv1d<Float>
    let pool = MaxPool1d<Float>(kernelSize: 2)
    init(_ g: inout RandomGenerator) {
        c1 = Conv1d(inputChannels: 10, outputChannels: 32, kernelSize: 5, padding: 2, generator: &g)
        c2 = Conv1d(inputChannels: 32, outputChannels: 64, kernelSize: 5, padding: 2, generator: &g)
        c3 = Conv1d(inputChannels: 64, outputChannels: 64, kernelSize: 5, padding: 2, generator: &g)
    }
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { c3(pool(c2(c1(x).relu()).relu())).relu() }
}
let x: Tensor<Float> = generator.normal(shape: [32, 10, 200])
let stack = ConvStack(&generator)
let set = ParameterSet<Float>(stack)
let c1set = ParameterSet<Float>(stack.c1)
let h1: Tensor<Float> = generator.normal(shape: [32, 32, 200])
let c2set = ParameterSet<Float>(stack.c2)
let reps = 31
for _ in 0..<2 {
    let a = median(reps) { _ = valueAndGradient(of: stack.c1, parameters: c1set) { m in m(x).sum() } }
    let b = median(reps) { _ = valueAndGradient(of: stack.c2, parameters: c2set) { m in m(h1).sum() } }
    let c = median(reps) { _ = valueAndGradient(at: [h1, stack.c2.weight, stack.c2.bias!]) { v in conv1d(v[0], weight: v[1], bias: v[2], padding: 2).sum() } }
    let d = median(reps) { _ = stack(x) }
    let e = median(reps) { _ = valueAndGradient(of: stack, parameters: set) { m in m(x).sum() } }
    print(String(format: "conv1 fwd+bwd(w,b) %.2f ms | conv2 fwd+bwd(w,b) %.2f ms | conv2 fwd+bwd(x,w,b) %.2f ms | stack fwd %.2f ms | stack fwd+bwd %.2f ms",
                 a * 1e3, b * 1e3, c * 1e3, d * 1e3, e * 1e3))
}
