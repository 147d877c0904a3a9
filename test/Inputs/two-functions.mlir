// Two models in one file: --function picks one (the first by default).
func.func @relu_first(%x: tensor<1x3x1x2xf32>) -> tensor<1x3x1x2xf32> {
  %0 = cnn.relu %x : tensor<1x3x1x2xf32>
  return %0 : tensor<1x3x1x2xf32>
}
func.func @sigmoid_second(%x: tensor<1x3x1x2xf32>) -> tensor<1x3x1x2xf32> {
  %0 = cnn.sigmoid %x : tensor<1x3x1x2xf32>
  return %0 : tensor<1x3x1x2xf32>
}
