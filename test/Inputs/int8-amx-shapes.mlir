// Dense convs of every shape the AMX kernel (runtime/cnnc_qconv_amx.c)
// treats apart, for test/Quantize/amx.test: a 3-channel stem with stride 2,
// a 1x1 conv over 64 channels read in place with a last partial block of
// pixels (2 x 7 x 6 = 84), a dilated 3x3 conv read from a padded copy, and
// a strided 3x3 conv of 40 input channels (each window copied) to channels
// past a whole block of 32; two images.
func.func @amx_shapes(%x: tensor<2x3x13x11xf32>) -> tensor<2x200x4x3xf32> {
  %w1 = cnn.weight "c1.weight" : tensor<64x3x3x3xf32>
  %b1 = cnn.weight "c1.bias" : tensor<64xf32>
  %0 = cnn.conv2d %x, %w1, %b1 {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x3x13x11xf32>, tensor<64x3x3x3xf32>, tensor<64xf32>) -> tensor<2x64x7x6xf32>
  %1 = cnn.relu %0 : tensor<2x64x7x6xf32>
  %w2 = cnn.weight "c2.weight" : tensor<64x64x1x1xf32>
  %2 = cnn.conv2d %1, %w2 : (tensor<2x64x7x6xf32>, tensor<64x64x1x1xf32>) -> tensor<2x64x7x6xf32>
  %w3 = cnn.weight "c3.weight" : tensor<40x64x3x3xf32>
  %b3 = cnn.weight "c3.bias" : tensor<40xf32>
  %3 = cnn.conv2d %2, %w3, %b3 {padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 2, 2>} : (tensor<2x64x7x6xf32>, tensor<40x64x3x3xf32>, tensor<40xf32>) -> tensor<2x40x7x6xf32>
  %4 = cnn.relu %3 : tensor<2x40x7x6xf32>
  %w4 = cnn.weight "c4.weight" : tensor<200x40x3x3xf32>
  %5 = cnn.conv2d %4, %w4 {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x40x7x6xf32>, tensor<200x40x3x3xf32>) -> tensor<2x200x4x3xf32>
  return %5 : tensor<2x200x4x3xf32>
}
