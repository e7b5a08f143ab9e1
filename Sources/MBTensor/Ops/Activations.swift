import CKernels

extension Tensor {
    /// GELU, exact form (PyTorch's default): x Φ(x) = ½ x (1 + erf(x/√2)).
    /// Derivative Φ(x) + x φ(x), second derivative φ(x)(2 − x²), φ the standard normal density.
    public func gelu() -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        parallelChunks { r in
            if Tensor.isSinglePrecision { mb_gelu_f32(floatPointer + r.lowerBound, result.floatPointer + r.lowerBound, r.count) }
            else { mb_gelu_f64(doublePointer + r.lowerBound, result.doublePointer + r.lowerBound, r.count) }
        }
        return Tensor.record("gelu", output: result, input: self) { g, c in [g * c.inputs[0].geluDerivative()] }
    }

    /// Φ(x) + x φ(x), the derivative of `gelu` (a primitive so that its pullback is fused).
    func geluDerivative() -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        parallelChunks { r in
            if Tensor.isSinglePrecision { mb_gelu_derivative_f32(floatPointer + r.lowerBound, result.floatPointer + r.lowerBound, r.count) }
            else { mb_gelu_derivative_f64(doublePointer + r.lowerBound, result.doublePointer + r.lowerBound, r.count) }
        }
        return Tensor.record("geluDerivative", output: result, input: self) { g, c in
            let x = c.inputs[0]
            let density = (x.square() * -0.5).exp() * Scalar(0.398942280401432677939946)
            return [g * density * (2 - x.square())]
        }
    }

    /// ELU: x for x > 0, α (eˣ − 1) otherwise. Derivative 1 for x > 0, y + α otherwise.
    public func elu(alpha: Scalar = 1) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        parallelChunks { r in
            if Tensor.isSinglePrecision { mb_elu_f32(floatPointer + r.lowerBound, result.floatPointer + r.lowerBound, r.count, Float(alpha)) }
            else { mb_elu_f64(doublePointer + r.lowerBound, result.doublePointer + r.lowerBound, r.count, Double(alpha)) }
        }
        return Tensor.record("elu", output: result, input: self) { g, c in
            let positive = c.inputs[0] .> Tensor(0)
            return [g * select(positive, Tensor(1), c.output + alpha)]
        }
    }

    /// Element ranges for a transcendental kernel: split over the thread budget above
    /// 32 768 elements per chunk, where the work outweighs the dispatch (≈ 10 µs).
    func parallelChunks(_ body: (Range<Int>) -> Void) {
        ComputeThreads.parallelFor(count, minimumChunk: 32_768, body)
    }
}
