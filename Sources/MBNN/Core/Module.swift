import MBTensor

/// A layer or model: a class whose stored properties are parameters (`@Parameter`), buffers
/// (`@Buffer`), sub-modules, or arrays and optionals of sub-modules.
///
/// Parameters are found by reflection and named by dotted path: a property `encoder` holding
/// a module with an array `layers` whose first element has `@Parameter var weight` gives
/// `encoder.layers.0.weight`. Paths follow declaration order and are stable.
public protocol Module: AnyObject {}

extension Module {
    /// Every parameter of type `Scalar`, with its dotted path, in declaration order.
    public func namedParameters<Scalar: TensorScalar>(of type: Scalar.Type = Scalar.self) -> [(path: String, parameter: Parameter<Scalar>)] {
        var found: [(String, Parameter<Scalar>)] = []
        ModuleReflection.visit(self, prefix: "") { path, value in
            if let p = value as? Parameter<Scalar> { found.append((path, p)) }
        }
        return found
    }

    /// Every buffer of type `Scalar`, with its dotted path.
    public func namedBuffers<Scalar: TensorScalar>(of type: Scalar.Type = Scalar.self) -> [(path: String, buffer: Buffer<Scalar>)] {
        var found: [(String, Buffer<Scalar>)] = []
        ModuleReflection.visit(self, prefix: "") { path, value in
            if let b = value as? Buffer<Scalar> { found.append((path, b)) }
        }
        return found
    }

    /// Total number of scalar parameters of type `Scalar`.
    public func parameterCount<Scalar: TensorScalar>(of type: Scalar.Type = Scalar.self) -> Int {
        namedParameters(of: type).reduce(0) { $0 + $1.parameter.wrappedValue.count }
    }
}

enum ModuleReflection {
    static func visit(_ module: Module, prefix: String, _ body: (String, Any) -> Void) {
        var mirror: Mirror? = Mirror(reflecting: module)
        var levels: [Mirror] = []
        while let m = mirror { levels.append(m); mirror = m.superclassMirror }
        for level in levels.reversed() {
            for child in level.children {
                guard var label = child.label else { continue }
                if label.hasPrefix("_") { label.removeFirst() }
                visitValue(child.value, path: prefix + label, body)
            }
        }
    }

    static func visitValue(_ value: Any, path: String, _ body: (String, Any) -> Void) {
        switch value {
        case let module as Module:
            visit(module, prefix: path + ".", body)
        case let array as [Any]:
            for (i, element) in array.enumerated() { visitValue(element, path: "\(path).\(i)", body) }
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                if let wrapped = mirror.children.first { visitValue(wrapped.value, path: path, body) }
            } else {
                body(path, value)
            }
        }
    }
}
