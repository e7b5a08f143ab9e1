import CKernels

extension Tensor {
    /// Element-wise unary kernel (no differentiation).
    @usableFromInline
    func unaryValue(_ op: mb_unary_op) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let (x, y) = (storage.pointer, result.storage.pointer)
        ComputeThreads.parallelFor(count, minimumChunk: Elementwise.parallelGrain) { range in
            Scalar.unaryKernel(op, x + range.lowerBound, y + range.lowerBound, range.count)
        }
        return result
    }

    /// eˣ
    public func exp() -> Tensor {
        Tensor.record("exp", output: unaryValue(MB_UNARY_EXP), input: self) { g, c in [g * c.output] }
    }

    /// eˣ − 1, accurate near 0.
    public func expm1() -> Tensor {
        Tensor.record("expm1", output: unaryValue(MB_UNARY_EXPM1), input: self) { g, c in [g * (c.output + 1)] }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        Tensor.record("log", output: unaryValue(MB_UNARY_LOG), input: self) { g, c in [g / c.inputs[0]] }
    }

    /// log(1 + x), accurate near 0.
    public func log1p() -> Tensor {
        Tensor.record("log1p", output: unaryValue(MB_UNARY_LOG1P), input: self) { g, c in [g / (c.inputs[0] + 1)] }
    }

    public func tanh() -> Tensor {
        Tensor.record("tanh", output: unaryValue(MB_UNARY_TANH), input: self) { g, c in
            [Tensor.activationPullback(MB_BINARY_TANH_GRAD, g, c.output)]
        }
    }

    /// 1 / (1 + e⁻ˣ)
    public func sigmoid() -> Tensor {
        Tensor.record("sigmoid", output: unaryValue(MB_UNARY_SIGMOID), input: self) { g, c in
            [Tensor.activationPullback(MB_BINARY_SIGMOID_GRAD, g, c.output)]
        }
    }

    /// log(1 + eˣ), computed without overflow.
    public func softplus() -> Tensor {
        Tensor.record("softplus", output: unaryValue(MB_UNARY_SOFTPLUS), input: self) { g, c in
            [g * c.inputs[0].sigmoid()]
        }
    }

    /// max(x, 0); the derivative at 0 is taken as 0.
    public func relu() -> Tensor {
        Tensor.record("relu", output: unaryValue(MB_UNARY_RELU), input: self) { g, c in
            [Tensor.activationPullback(MB_BINARY_RELU_GRAD, g, c.inputs[0])]
        }
    }

    public func sin() -> Tensor {
        Tensor.record("sin", output: unaryValue(MB_UNARY_SIN), input: self) { g, c in [g * c.inputs[0].cos()] }
    }

    public func cos() -> Tensor {
        Tensor.record("cos", output: unaryValue(MB_UNARY_COS), input: self) { g, c in [-g * c.inputs[0].sin()] }
    }

    public func sqrt() -> Tensor {
        Tensor.record("sqrt", output: unaryValue(MB_UNARY_SQRT), input: self) { g, c in [g / (2 * c.output)] }
    }

    /// 1/√x
    public func rsqrt() -> Tensor {
        Tensor.record("rsqrt", output: unaryValue(MB_UNARY_RSQRT), input: self) { g, c in
            [g * c.output * c.output * c.output * -0.5]
        }
    }

    /// |x|; the derivative at 0 is taken as 0.
    public func abs() -> Tensor {
        Tensor.record("abs", output: unaryValue(MB_UNARY_ABS), input: self) { g, c in
            [g * c.inputs[0].detached().unaryValue(MB_UNARY_SIGN)]
        }
    }

    /// −1, 0 or 1 (a constant for differentiation).
    public func sign() -> Tensor { detached().unaryValue(MB_UNARY_SIGN) }

    public func square() -> Tensor {
        Tensor.record("square", output: unaryValue(MB_UNARY_SQUARE), input: self) { g, c in [g * c.inputs[0] * 2] }
    }

    public func reciprocal() -> Tensor {
        Tensor.record("reciprocal", output: unaryValue(MB_UNARY_RECIPROCAL), input: self) { g, c in
            [-g * c.output.square()]
        }
    }

    /// Error function; d/dx erf x = 2/√π e^(−x²).
    public func erf() -> Tensor {
        Tensor.record("erf", output: unaryValue(MB_UNARY_ERF), input: self) { g, c in
            [g * (-c.inputs[0].square()).exp() * Scalar(1.1283791670955126)]
        }
    }

    /// log Γ(x) (log of the absolute value for negative x); derivative digamma(x).
    public func lgamma() -> Tensor {
        Tensor.record("lgamma", output: unaryValue(MB_UNARY_LGAMMA), input: self) { g, c in [g * c.inputs[0].digamma()] }
    }

    /// ψ(x) = d/dx log Γ(x); derivative trigamma(x).
    public func digamma() -> Tensor {
        Tensor.record("digamma", output: unaryValue(MB_UNARY_DIGAMMA), input: self) { g, c in [g * c.inputs[0].trigamma()] }
    }

    /// ψ₁(x) = d²/dx² log Γ(x). Its own derivative (tetragamma) is not provided: it is a
    /// constant for differentiation beyond second order.
    public func trigamma() -> Tensor { detached().unaryValue(MB_UNARY_TRIGAMMA) }

    /// Clamps to [lo, hi]; the cotangent passes where the input lies inside the interval.
    public func clamped(to range: ClosedRange<Scalar>) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        Scalar.clampKernel(storage.pointer, result.storage.pointer, count, range.lowerBound, range.upperBound)
        result.node = nil
        return Tensor.record("clamp", output: result, input: self) { g, c in
            let x = c.inputs[0].detached()
            return [g * (x .>= Tensor(range.lowerBound)) * (x .<= Tensor(range.upperBound))]
        }
    }
}

extension Tensor {
    /// The fused pullbacks of tanh, sigmoid and relu, as primitives of their own so that the
    /// gradient stays differentiable: for cotangent g and output y (input x for relu),
    /// tanh: g(1 − y²), with partials (1 − y²) and −2yg; sigmoid: g y(1 − y), partials
    /// y(1 − y) and g(1 − 2y); relu: g·[x > 0], partials [x > 0] and 0.
    static func activationPullback(_ op: mb_binary_op, _ g: Tensor, _ y: Tensor) -> Tensor {
        record("activationPullback", output: binaryValue(op, g, y), g, y) { h, c in
            let (g, y) = (c.inputs[0], c.inputs[1])
            let dg = c.needs[0] ? activationPullback(op, h, y) : nil
            guard c.needs[1] else { return [dg, nil] }
            switch op {
            case MB_BINARY_TANH_GRAD: return [dg, h * g * y * -2]
            case MB_BINARY_SIGMOID_GRAD: return [dg, h * g * (1 - 2 * y)]
            default: return [dg, nil]
            }
        }
    }
}

/// Element-wise operations on more elements than this run in blocks on the workers; below it,
/// waking them costs more than the pass itself.
enum Elementwise {
    static let parallelGrain = 1 << 16
}
