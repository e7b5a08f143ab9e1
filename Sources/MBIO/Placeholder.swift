import MBTensor
