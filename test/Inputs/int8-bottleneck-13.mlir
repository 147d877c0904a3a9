// Two ResNeXt bottlenecks on a 13-wide map (1x1, 3x3 in 8 groups of 16,
// 1x1, residual add), for test/Quantize/int8-columns.test: their int8
// convs' register tiles, 7 pixels wide, do not divide the rows.
func.func @bottlenecks(%x: tensor<1x64x13x13xf32>) -> tensor<1x64x13x13xf32> {
  %w1 = cnn.weight "b1.conv1.weight" : tensor<128x64x1x1xf32>
  %0 = cnn.conv2d %x, %w1 : (tensor<1x64x13x13xf32>, tensor<128x64x1x1xf32>) -> tensor<1x128x13x13xf32>
  %1 = cnn.relu %0 : tensor<1x128x13x13xf32>
  %w2 = cnn.weight "b1.conv2.weight" : tensor<128x16x3x3xf32>
  %2 = cnn.conv2d %1, %w2 {padding = array<i64: 1, 1, 1, 1>, groups = 8 : i64} : (tensor<1x128x13x13xf32>, tensor<128x16x3x3xf32>) -> tensor<1x128x13x13xf32>
  %3 = cnn.relu %2 : tensor<1x128x13x13xf32>
  %w3 = cnn.weight "b1.conv3.weight" : tensor<64x128x1x1xf32>
  %4 = cnn.conv2d %3, %w3 : (tensor<1x128x13x13xf32>, tensor<64x128x1x1xf32>) -> tensor<1x64x13x13xf32>
  %5 = cnn.add %4, %x : (tensor<1x64x13x13xf32>, tensor<1x64x13x13xf32>) -> tensor<1x64x13x13xf32>
  %6 = cnn.relu %5 : tensor<1x64x13x13xf32>
  %w4 = cnn.weight "b2.conv1.weight" : tensor<128x64x1x1xf32>
  %7 = cnn.conv2d %6, %w4 : (tensor<1x64x13x13xf32>, tensor<128x64x1x1xf32>) -> tensor<1x128x13x13xf32>
  %8 = cnn.relu %7 : tensor<1x128x13x13xf32>
  %w5 = cnn.weight "b2.conv2.weight" : tensor<128x16x3x3xf32>
  %9 = cnn.conv2d %8, %w5 {padding = array<i64: 1, 1, 1, 1>, groups = 8 : i64} : (tensor<1x128x13x13xf32>, tensor<128x16x3x3xf32>) -> tensor<1x128x13x13xf32>
  %10 = cnn.relu %9 : tensor<1x128x13x13xf32>
  %w6 = cnn.weight "b2.conv3.weight" : tensor<64x128x1x1xf32>
  %11 = cnn.conv2d %10, %w6 : (tensor<1x128x13x13xf32>, tensor<64x128x1x1xf32>) -> tensor<1x64x13x13xf32>
  %12 = cnn.add %11, %6 : (tensor<1x64x13x13xf32>, tensor<1x64x13x13xf32>) -> tensor<1x64x13x13xf32>
  %13 = cnn.relu %12 : tensor<1x64x13x13xf32>
  return %13 : tensor<1x64x13x13xf32>
}
