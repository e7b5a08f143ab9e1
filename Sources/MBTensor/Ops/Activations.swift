import CKernels

extension Tensor {
    /// GELU, exact form (PyTorch's default): x Φ(x) = ½ x (1 + erf(x/√2)).
    /// Derivative Φ(x) + x φ(x), second derivative φ(x)(2 − x²), φ the standard normal density.
    public func gelu() -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        if Tensor.isSinglePrecision { mb_gelu_f32(floatPointer, result.floatPointer, count) }
        else { mb_gelu_f64(doublePointer, result.doublePointer, count) }
        return Tensor.record("gelu", output: result, input: self) { g, c in [g * c.inputs[0].geluDerivative()] }
    }

    /// Φ(x) + x φ(x), the derivative of `gelu` (a primitive so that its pullback is fused).
    func geluDerivative() -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        if Tensor.isSinglePrecision { mb_gelu_derivative_f32(floatPointer, result.floatPointer, count) }
        else { mb_gelu_derivative_f64(doublePointer, result.doublePointer, count) }
        return Tensor.record("geluDerivative", output: result, input: self) { g, c in
            let x = c.inputs[0]
            let density = (x.square() * -0.5).exp() * Scalar(0.398942280401432677939946)
            return [g * density * (2 - x.square())]
        }
    }

    /// ELU: x for x > 0, α (eˣ − 1) otherwise. Derivative 1 for x > 0, y + α otherwise.
    public func elu(alpha: Scalar = 1) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        if Tensor.isSinglePrecision { mb_elu_f32(floatPointer, result.floatPointer, count, Float(alpha)) }
        else { mb_elu_f64(doublePointer, result.doublePointer, count, Double(alpha)) }
        return Tensor.record("elu", output: result, input: self) { g, c in
            let positive = c.inputs[0] .> Tensor(0)
            return [g * select(positive, Tensor(1), c.output + alpha)]
        }
    }
}
