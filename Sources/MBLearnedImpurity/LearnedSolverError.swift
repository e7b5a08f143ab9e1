/// Bad input to training or to the learned solver: settings, model directories that do not fit
/// the database or the run, and problems outside a model's training domain. Each names the
/// field, the values and what to do. (A database without a requested solver or field is reported
/// with the loader's `ImpurityDatabaseError.missingField`.)
public enum LearnedSolverError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A training or solver setting is out of range.
    case invalidSetting(field: String, value: String, requirement: String)
    /// The directory holds no usable model.
    case notAModel(path: String, reason: String)
    /// A model's description disagrees with what the database, the run or another ensemble
    /// member asks for.
    case modelMismatch(path: String, field: String, model: String, requested: String)
    /// The problem lies outside the domain the model was trained on.
    case outsideTrainingDomain(descriptor: String, value: Double, trained: ClosedRange<Double>, model: String)
    /// The model was trained at μ = U/2 only.
    case chemicalPotential(mu: Double, U: Double, model: String)
    /// The hybridisation's high-frequency moment M₁ = Σ V² is not positive (no bath to scale by).
    case noHybridization(moment: Double)

    public var description: String {
        switch self {
        case let .invalidSetting(field, value, requirement):
            return "\(field) = \(value) is invalid: \(requirement)"
        case let .notAModel(path, reason):
            return "'\(path)' is not a learned impurity solver: \(reason)"
        case let .modelMismatch(path, field, model, requested):
            return "model '\(path)' was trained with \(field) = \(model), but \(requested) is requested (train a model for it or choose a matching one)"
        case let .outsideTrainingDomain(descriptor, value, trained, model):
            return "the problem lies outside the training domain of '\(model)': \(descriptor) = \(value), trained on [\(trained.lowerBound), \(trained.upperBound)] (the learned solver does not extrapolate; use an exact solver or train on a database covering it)"
        case let .chemicalPotential(mu, U, model):
            return "'\(model)' was trained at μ = U/2 only, but μ = \(mu) with U = \(U) (U/2 = \(U / 2))"
        case let .noHybridization(moment):
            return "the hybridisation has no positive high-frequency moment (ω·Im Δ(iω) → −\(moment)): the learned solver needs a bath to set the scale D = 2√M₁"
        }
    }
}
