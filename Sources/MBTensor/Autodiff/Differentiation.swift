/// Functional reverse-mode differentiation, in the style of JAX and MLX.
///
/// The function receives fresh variables and returns a tensor; the gradients come back as
/// values. Calls nest: a function that itself computes a gradient (a force `-∇V` inside a loss,
/// `p·∂q/∂Q` inside a flow) can be differentiated, because pullback rules are written with
/// tensor operations and are recorded whenever an enclosing differentiation is active.

/// Value of `f` at `x` and its gradient. `f` must return a one-element tensor.
public func valueAndGradient<Scalar>(
    at x: Tensor<Scalar>, of f: (Tensor<Scalar>) throws -> Tensor<Scalar>
) rethrows -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    let (value, gradients) = try valueAndGradient(at: [x]) { try f($0[0]) }
    return (value, gradients[0])
}

/// Value of `f` at several tensors and the gradient with respect to each.
public func valueAndGradient<Scalar>(
    at xs: [Tensor<Scalar>], of f: ([Tensor<Scalar>]) throws -> Tensor<Scalar>
) rethrows -> (value: Tensor<Scalar>, gradients: [Tensor<Scalar>]) {
    let variables = xs.map { $0.makeVariable() }
    defer { for v in variables { v.node!.isActiveVariable = false } }
    let value = try f(variables)
    precondition(value.count == 1, "gradient needs a function with one output element, got shape \(value.shape)")
    let seed = Tensor<Scalar>(repeating: 1, shape: value.shape)
    let gradients = Backpropagation.run(output: value, seed: seed, variables: variables)
    let differentiable = gradients.contains { $0?.isTracked ?? false }
    return (differentiable ? value : value.detached(),
            zip(gradients, xs).map { $0 ?? Tensor(zeros: $1.shape) })
}

/// Gradient of `f` at `x`.
public func gradient<Scalar>(at x: Tensor<Scalar>, of f: (Tensor<Scalar>) throws -> Tensor<Scalar>) rethrows -> Tensor<Scalar> {
    try valueAndGradient(at: x, of: f).gradient
}

/// Gradients of `f` at several tensors.
public func gradient<Scalar>(at xs: [Tensor<Scalar>], of f: ([Tensor<Scalar>]) throws -> Tensor<Scalar>) rethrows -> [Tensor<Scalar>] {
    try valueAndGradient(at: xs, of: f).gradients
}

/// Vector–Jacobian product: `f(xs)` and `vᵀ ∂f/∂xᵢ` for each input, for any output shape.
public func vectorJacobianProduct<Scalar>(
    at xs: [Tensor<Scalar>], cotangent v: Tensor<Scalar>, of f: ([Tensor<Scalar>]) throws -> Tensor<Scalar>
) rethrows -> (value: Tensor<Scalar>, products: [Tensor<Scalar>]) {
    let variables = xs.map { $0.makeVariable() }
    defer { for v in variables { v.node!.isActiveVariable = false } }
    let value = try f(variables)
    let products = Backpropagation.run(output: value, seed: v, variables: variables)
    let differentiable = products.contains { $0?.isTracked ?? false }
    return (differentiable ? value : value.detached(),
            zip(products, xs).map { $0 ?? Tensor(zeros: $1.shape) })
}

/// Jacobian–vector product: `f(xs)` and `Σᵢ ∂f/∂xᵢ · tᵢ`, computed as the vector–Jacobian
/// product of the (linear) vector–Jacobian product, so it needs only reverse mode.
public func jacobianVectorProduct<Scalar>(
    at xs: [Tensor<Scalar>], tangents: [Tensor<Scalar>], of f: ([Tensor<Scalar>]) throws -> Tensor<Scalar>
) rethrows -> (value: Tensor<Scalar>, product: Tensor<Scalar>) {
    precondition(xs.count == tangents.count, "\(xs.count) inputs but \(tangents.count) tangents")
    for (x, t) in zip(xs, tangents) {
        precondition(x.shape == t.shape, "tangent shape \(t.shape) does not match input shape \(x.shape)")
    }
    // The forward pass is evaluated once untracked to learn the output shape.
    let value = try f(xs).detached()
    let u0 = Tensor<Scalar>(zeros: value.shape)
    let (_, products) = try vectorJacobianProduct(at: [u0], cotangent: Tensor<Scalar>(1)) { u in
        let (_, vjps) = try vectorJacobianProduct(at: xs, cotangent: u[0], of: f)
        var total = Tensor<Scalar>(0)
        for (g, t) in zip(vjps, tangents) { total = total + (g * t).sum() }
        return total
    }
    return (value, products[0])
}
