import Foundation
import MBTensor

/// The seed's reversible maps from physical coefficients to the network's scale ("Activation
/// functions for DMFT"), applied elementwise to every input and target value:
///
/// | case | T(g) | T⁻¹(y) |
/// | --- | --- | --- |
/// | `identity` (T0) | g | y |
/// | `tanh` (T1) | tanh g | artanh y |
/// | `negativeTanh` (T2) | −tanh g | −artanh y = artanh(−y) |
///
/// G(x) ∈ [−1, 0] and the stored Legendre coefficients |g_l| ≤ 1, so T1 maps them into
/// [−0.762, 0.762], where tanh is still nearly linear but bounded. The inverse is only defined on
/// (−1, 1): a network output outside is clamped to ±(1 − `clampMargin`) before artanh
/// (artanh(1 − 1e-9) ≈ 10.7), so a wild prediction gives a large but finite G instead of NaN.
public enum GreensFunctionTransform: String, CaseIterable, Codable, Sendable {
    case identity
    case tanh
    case negativeTanh = "negative-tanh"

    /// |y| is clamped to 1 − clampMargin before artanh.
    public static let clampMargin = 1e-9

    /// T(g) elementwise.
    public func forward(_ values: [Double]) -> [Double] {
        switch self {
        case .identity: return values
        case .tanh: return values.map { Foundation.tanh($0) }
        case .negativeTanh: return values.map { -Foundation.tanh($0) }
        }
    }

    /// T⁻¹(y) elementwise (clamped as described for the tanh transforms).
    public func inverse(_ values: [Double]) -> [Double] {
        let bound = 1 - GreensFunctionTransform.clampMargin
        switch self {
        case .identity: return values
        case .tanh: return values.map { Foundation.atanh(min(max($0, -bound), bound)) }
        case .negativeTanh: return values.map { -Foundation.atanh(min(max($0, -bound), bound)) }
        }
    }

    /// T(g) on a tensor (data preparation; not recorded for differentiation).
    public func forward(_ tensor: Tensor<Double>) -> Tensor<Double> {
        switch self {
        case .identity: return tensor.detached()
        case .tanh: return tensor.detached().tanh()
        case .negativeTanh: return -tensor.detached().tanh()
        }
    }
}
