import MBTensor
print(Tensor<Float>([1, 2, 3]).exp())
