/// What a pullback rule sees when it runs.
///
/// `inputs` and `output` are the forward values. When the gradient being computed must itself
/// be differentiable (a differentiation nested inside another), they are the tracked tensors,
/// so a rule written with tensor operations is recorded and can be differentiated again;
/// otherwise they are constants and the rule records nothing.
public struct PullbackContext<Scalar: TensorScalar> {
    public let inputs: [Tensor<Scalar>]
    public let output: Tensor<Scalar>
    /// `needs[i]` is false when input `i` cannot reach a differentiated variable: a rule may
    /// return `nil` for it and skip the work.
    public let needs: [Bool]
}

/// A vector–Jacobian product: given the cotangent of the output, the cotangent of each input
/// (same shape as that input), or `nil` where `needs` is false or the input is a constant.
public typealias PullbackRule<Scalar: TensorScalar> =
    (_ cotangent: Tensor<Scalar>, _ context: PullbackContext<Scalar>) -> [Tensor<Scalar>?]

/// One recorded operation of a differentiation: its inputs and its pullback rule.
public final class GraphNode<Scalar: TensorScalar>: @unchecked Sendable {
    let name: StaticString
    let inputs: [Tensor<Scalar>]
    let rule: PullbackRule<Scalar>
    let outputShape: [Int]
    let outputStorage: TensorStorage<Scalar>
    /// A variable of a differentiation that is still running. Reaching an active variable
    /// of another (enclosing) differentiation during backpropagation means the gradient must
    /// be differentiable.
    var isActiveVariable: Bool

    init(name: StaticString, inputs: [Tensor<Scalar>], output: Tensor<Scalar>, rule: @escaping PullbackRule<Scalar>,
         isVariable: Bool = false) {
        self.name = name
        self.inputs = inputs
        self.rule = rule
        self.outputShape = output.shape
        self.outputStorage = output.storage
        self.isActiveVariable = isVariable
    }
}

extension Tensor {
    /// Attaches a pullback rule to the freshly computed `output` of a primitive if any input
    /// is tracked; returns `output` unchanged otherwise. Every primitive calls this (or the
    /// unary/binary forms) once, with its rule written beside its forward computation.
    public static func record(
        _ name: StaticString, output: Tensor, inputs: [Tensor], rule: @escaping PullbackRule<Scalar>
    ) -> Tensor {
        for input in inputs where input.node != nil {
            var result = output
            result.node = GraphNode(name: name, inputs: inputs, output: output, rule: rule)
            return result
        }
        return output
    }

    public static func record(_ name: StaticString, output: Tensor, input: Tensor, rule: @escaping PullbackRule<Scalar>) -> Tensor {
        guard input.node != nil else { return output }
        var result = output
        result.node = GraphNode(name: name, inputs: [input], output: output, rule: rule)
        return result
    }

    public static func record(
        _ name: StaticString, output: Tensor, _ a: Tensor, _ b: Tensor, rule: @escaping PullbackRule<Scalar>
    ) -> Tensor {
        guard a.node != nil || b.node != nil else { return output }
        var result = output
        result.node = GraphNode(name: name, inputs: [a, b], output: output, rule: rule)
        return result
    }

    /// A fresh variable of a differentiation: same values, linked to `self`'s own graph (if
    /// any) by the identity, so enclosing differentiations see through it.
    func makeVariable() -> Tensor {
        var result = detached()
        result.node = GraphNode(name: "variable", inputs: node == nil ? [] : [self], output: result,
                                rule: { g, _ in [g] }, isVariable: true)
        return result
    }
}
