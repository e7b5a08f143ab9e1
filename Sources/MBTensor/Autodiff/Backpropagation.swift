/// Reverse-mode accumulation over a recorded graph.
enum Backpropagation {
    /// Cotangents of `variables` for the output `output` seeded with `seed`.
    ///
    /// The gradient is built differentiably (rules see tracked tensors and record) exactly
    /// when it can matter: the graph reaches an active variable of another, enclosing
    /// differentiation, or the seed itself is tracked.
    static func run<Scalar>(output: Tensor<Scalar>, seed: Tensor<Scalar>, variables: [Tensor<Scalar>]) -> [Tensor<Scalar>?] {
        precondition(seed.shape == output.shape, "cotangent shape \(seed.shape) does not match output shape \(output.shape)")
        guard let root = output.node else { return Array(repeating: nil, count: variables.count) }
        let targets = Set(variables.compactMap { $0.node.map(ObjectIdentifier.init) })

        // Post-order (inputs before users) by iterative depth-first search; stop at targets.
        var order: [GraphNode<Scalar>] = []
        var index: [ObjectIdentifier: Int] = [:]
        var createGraph = seed.node != nil
        var stack: [(GraphNode<Scalar>, Int)] = [(root, 0)]
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        while let (node, next) = stack.popLast() {
            let isTarget = targets.contains(ObjectIdentifier(node))
            // A variable linked to an outer graph, or an outer variable still being
            // differentiated, means an enclosing differentiation will need this gradient's graph.
            if isTarget ? !node.inputs.isEmpty : node.isActiveVariable { createGraph = true }
            if !isTarget, next < node.inputs.count {
                stack.append((node, next + 1))
                if let child = node.inputs[next].node, visited.insert(ObjectIdentifier(child)).inserted {
                    stack.append((child, 0))
                }
            } else {
                index[ObjectIdentifier(node)] = order.count
                order.append(node)
            }
        }
        // Each input edge resolved once to its node's position (−1 for constants); a node
        // matters if a target is reachable from it.
        var inputPositions = [[Int]](repeating: [], count: order.count)
        var relevant = [Bool](repeating: false, count: order.count)
        for (i, node) in order.enumerated() {
            let isTarget = targets.contains(ObjectIdentifier(node))
            let positions = isTarget ? [] : node.inputs.map { input in
                input.node.flatMap { index[ObjectIdentifier($0)] } ?? -1
            }
            inputPositions[i] = positions
            relevant[i] = isTarget || positions.contains { $0 >= 0 && relevant[$0] }
        }

        var cotangents = [Tensor<Scalar>?](repeating: nil, count: order.count)
        let rootIndex = order.count - 1
        cotangents[rootIndex] = createGraph ? seed : seed.detached()
        for i in stride(from: rootIndex, through: 0, by: -1) where relevant[i] {
            let node = order[i]
            let positions = inputPositions[i]
            if positions.isEmpty { continue }  // a target, or a node without inputs
            guard let g = cotangents[i] else { continue }
            cotangents[i] = nil
            let needs = positions.map { $0 >= 0 && relevant[$0] }
            let output = Tensor(shape: node.outputShape, storage: node.outputStorage, node: createGraph ? node : nil)
            let inputs = createGraph ? node.inputs : node.inputs.map { $0.detached() }
            let results = node.rule(g, PullbackContext(inputs: inputs, output: output, needs: needs))
            precondition(results.count == node.inputs.count, "pullback of \(node.name) returned \(results.count) cotangents for \(node.inputs.count) inputs")
            for (k, result) in results.enumerated() where needs[k] {
                guard let result else { continue }
                let input = node.inputs[k]
                precondition(result.shape == input.shape,
                             "pullback of \(node.name): cotangent shape \(result.shape) does not match input shape \(input.shape)")
                let j = positions[k]
                if let existing = cotangents[j] {
                    cotangents[j] = existing + result
                } else {
                    cotangents[j] = result
                }
            }
        }
        return variables.map { variable in
            guard let node = variable.node, let j = index[ObjectIdentifier(node)] else { return nil }
            guard let g = cotangents[j] else { return nil }
            return createGraph ? g : g.detached()
        }
    }
}
