// The lecture's arithmetic on small modules.
// RUN: cnn-opt %s --cnn-stats -o /dev/null | FileCheck %s

// A 3x3 conv from 32 to 64 channels without bias: 3*3*32*64 = 18,432 weights.
// CHECK-LABEL: cnn-stats @conv3x3
// CHECK: conv2d 1x64x56x56 18432 57802752 3 1 conv
// CHECK: total: params=18432 macs=57802752
func.func @conv3x3(%x: tensor<1x32x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %w = cnn.weight "conv.weight" : tensor<64x32x3x3xf32>
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x32x56x56xf32>, tensor<64x32x3x3xf32>) -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// The depthwise-separable pair for the same 32 -> 64: 3*3*32 = 288 depthwise
// plus 32*64 = 2,048 pointwise = 2,336 weights, about 8x fewer MACs.
// CHECK-LABEL: cnn-stats @separable
// CHECK: conv2d 1x32x56x56 288 903168 3 1 dw
// CHECK: conv2d 1x64x56x56 2048 6422528 3 1 pw
// CHECK: total: params=2336 macs=7325696
func.func @separable(%x: tensor<1x32x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %dw = cnn.weight "dw.weight" : tensor<32x1x3x3xf32>
  %0 = cnn.conv2d %x, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 32 : i64} : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x56x56xf32>
  %pw = cnn.weight "pw.weight" : tensor<64x32x1x1xf32>
  %1 = cnn.conv2d %0, %pw : (tensor<1x32x56x56xf32>, tensor<64x32x1x1xf32>) -> tensor<1x64x56x56xf32>
  return %1 : tensor<1x64x56x56xf32>
}

// Two stacked 3x3 convs see 5x5 of the input, three see 7x7 (with 3*(9C^2)
// weights instead of 49C^2 for one 7x7 conv).
// CHECK-LABEL: cnn-stats @stacked
// CHECK: conv2d 1x8x16x16 576 147456 3 1 c1
// CHECK: relu 1x8x16x16 0 0 3 1
// CHECK: conv2d 1x8x16x16 576 147456 5 1 c2
// CHECK: relu 1x8x16x16 0 0 5 1
// CHECK: conv2d 1x8x16x16 576 147456 7 1 c3
// CHECK: total: params=1728 macs=442368
func.func @stacked(%x: tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32> {
  %w1 = cnn.weight "c1.weight" : tensor<8x8x3x3xf32>
  %w2 = cnn.weight "c2.weight" : tensor<8x8x3x3xf32>
  %w3 = cnn.weight "c3.weight" : tensor<8x8x3x3xf32>
  %0 = cnn.conv2d %x, %w1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x16x16xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x16x16xf32>
  %1 = cnn.relu %0 : tensor<1x8x16x16xf32>
  %2 = cnn.conv2d %1, %w2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x16x16xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x16x16xf32>
  %3 = cnn.relu %2 : tensor<1x8x16x16xf32>
  %4 = cnn.conv2d %3, %w3 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x16x16xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x16x16xf32>
  return %4 : tensor<1x8x16x16xf32>
}

// Strides multiply the jump; dilation widens the kernel; BN's running
// statistics are not parameters; a weight used twice counts once; the
// residual add takes the wider field of its operands.
// CHECK-LABEL: cnn-stats @strides
// CHECK: conv2d 1x4x8x8 108 6912 3 2 a
// CHECK: batch_norm 1x4x8x8 8 0 3 2 bn
// CHECK: conv2d 1x4x8x8 144 9216 11 2 b
// CHECK: conv2d 1x4x8x8 0 9216 19 2 b
// CHECK: add 1x4x8x8 0 0 19 2
// CHECK: max_pool2d 1x4x4x4 0 0 21 4
// CHECK: total: params=260 macs=25344
func.func @strides(%x: tensor<1x3x16x16xf32>) -> tensor<1x4x4x4xf32> {
  %wa = cnn.weight "a.weight" : tensor<4x3x3x3xf32>
  %0 = cnn.conv2d %x, %wa {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x3x16x16xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %g = cnn.weight "bn.weight" : tensor<4xf32>
  %b = cnn.weight "bn.bias" : tensor<4xf32>
  %m = cnn.weight "bn.running_mean" : tensor<4xf32>
  %v = cnn.weight "bn.running_var" : tensor<4xf32>
  %1 = cnn.batch_norm %0, %g, %b, %m, %v : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %wb = cnn.weight "b.weight" : tensor<4x4x3x3xf32>
  %2 = cnn.conv2d %1, %wb {padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %3 = cnn.conv2d %2, %wb {padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %4 = cnn.add %1, %3 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %5 = cnn.max_pool2d %4 {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %5 : tensor<1x4x4x4xf32>
}
