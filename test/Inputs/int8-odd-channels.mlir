// Int8 convs over channel counts that are not whole vectors (ShuffleNet's
// 24, 58 and 116), for test/Quantize/int8-channels.test.
func.func @odd_channels(%x: tensor<1x24x12x12xf32>) -> tensor<1x116x6x6xf32> {
  %w1 = cnn.weight "c1.weight" : tensor<58x24x3x3xf32>
  %b1 = cnn.weight "c1.bias" : tensor<58xf32>
  %0 = cnn.conv2d %x, %w1, %b1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x24x12x12xf32>, tensor<58x24x3x3xf32>, tensor<58xf32>) -> tensor<1x58x12x12xf32>
  %1 = cnn.relu %0 : tensor<1x58x12x12xf32>
  %w2 = cnn.weight "c2.weight" : tensor<116x58x3x3xf32>
  %b2 = cnn.weight "c2.bias" : tensor<116xf32>
  %2 = cnn.conv2d %1, %w2, %b2 {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x58x12x12xf32>, tensor<116x58x3x3xf32>, tensor<116xf32>) -> tensor<1x116x6x6xf32>
  %3 = cnn.relu %2 : tensor<1x116x6x6xf32>
  %w3 = cnn.weight "c3.weight" : tensor<116x116x1x1xf32>
  %4 = cnn.conv2d %3, %w3 : (tensor<1x116x6x6xf32>, tensor<116x116x1x1xf32>) -> tensor<1x116x6x6xf32>
  return %4 : tensor<1x116x6x6xf32>
}
