// A 3x3 conv whose padding reads per-channel values (an input
// normalization folded into it), then ReLU.
func.func @normalized(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = cnn.weight "conv.weight" : tensor<2x2x3x3xf32>
  %b = cnn.weight "conv.bias" : tensor<2xf32>
  %0 = cnn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>, padding_values = array<f32: 0.5, -1.5>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %1 = cnn.relu %0 : tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}
