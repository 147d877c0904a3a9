// A 3 -> 64 conv on 512x512: weights of 7 KB, an input of 3 MiB and an
// output of 64 MiB.
func.func @wide(%x: tensor<1x3x512x512xf32>) -> tensor<1x64x512x512xf32> {
  %w = cnn.weight "conv.weight" : tensor<64x3x3x3xf32>
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x512x512xf32>, tensor<64x3x3x3xf32>) -> tensor<1x64x512x512xf32>
  return %0 : tensor<1x64x512x512xf32>
}
