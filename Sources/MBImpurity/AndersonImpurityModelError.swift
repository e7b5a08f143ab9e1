/// Invalid parameters of an `AndersonImpurityModel`.
public enum AndersonImpurityModelError: Error, Equatable, CustomStringConvertible {
    /// β must be finite and positive.
    case nonPositiveBeta(Double)
    /// A parameter (or element `index` of a bath list) is NaN or infinite.
    case nonFinite(field: String, index: Int?, value: Double)
    /// `bathEnergies` and `bathHoppings` must have one entry per bath site each.
    case bathLengthMismatch(energies: Int, hoppings: Int)

    public var description: String {
        switch self {
        case .nonPositiveBeta(let beta):
            return "inverse temperature beta = \(beta) must be finite and > 0"
        case let .nonFinite(field, index, value):
            let place = index.map { "\(field)[\($0)]" } ?? field
            return "\(place) = \(value) is not a finite number"
        case let .bathLengthMismatch(energies, hoppings):
            return "bath lists differ in length: \(energies) bath energies but \(hoppings) bath hoppings (give one of each per bath site)"
        }
    }
}
