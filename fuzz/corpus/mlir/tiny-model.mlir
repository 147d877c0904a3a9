// A 1x1 conv 3 -> 2 with bias, then ReLU: small enough to check by hand.
func.func @tiny(%x: tensor<1x3x1x2xf32>) -> tensor<1x2x1x2xf32> {
  %w = cnn.weight "conv.weight" : tensor<2x3x1x1xf32>
  %b = cnn.weight "conv.bias" : tensor<2xf32>
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x3x1x2xf32>, tensor<2x3x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x2xf32>
  %1 = cnn.relu %0 : tensor<1x2x1x2xf32>
  return %1 : tensor<1x2x1x2xf32>
}
