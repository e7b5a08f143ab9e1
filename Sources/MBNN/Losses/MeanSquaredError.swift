import MBTensor

/// Squared error (ŷ − y)², by default averaged over every element (PyTorch `MSELoss`).
/// Shapes must be equal (no silent broadcasting).
public func meanSquaredError<Scalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>,
                                     reduction: LossReduction = .mean) -> Tensor<Scalar> {
    requireSameShape(prediction.shape, target.shape, "meanSquaredError")
    return (prediction - target).square().reduced(reduction)
}
