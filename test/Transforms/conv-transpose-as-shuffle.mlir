// RUN: cnn-opt %s --cnn-conv-transpose-as-shuffle --split-input-file | FileCheck %s

// A U-Net up-conv (2x2, stride 2) from 2 channels to 1: output pixel
// (2y + i, 2x + j) is input (y, x) times tap (i, j). The 1x1 conv's
// channel (o * 2 + i) * 2 + j holds tap (i, j) of every input channel,
// W[c, o, i, j]; the bias repeats per tap; PixelShuffle (CRD) places them.
// CHECK-LABEL: func.func @up_conv
// CHECK: %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}5.000000e+00]]], {{\[\[\[}}2.000000e+00]], {{\[\[}}6.000000e+00]]], {{\[\[\[}}3.000000e+00]], {{\[\[}}7.000000e+00]]], {{\[\[\[}}4.000000e+00]], {{\[\[}}8.000000e+00]]]]> : tensor<4x2x1x1xf32>
// CHECK: %[[B:.*]] = cnn.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK: %[[C:.*]] = cnn.conv2d %arg0, %[[W]], %[[B]] : (tensor<1x2x3x3xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
// CHECK: cnn.depth_to_space %[[C]] {block_size = 2 : i64, mode = "crd"} : (tensor<1x4x3x3xf32>) -> tensor<1x1x6x6xf32>
// CHECK-NOT: cnn.conv_transpose2d
func.func @up_conv(%x: tensor<1x2x3x3xf32>) -> tensor<1x1x6x6xf32> {
  %w = cnn.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]], [[[5.0, 6.0], [7.0, 8.0]]]]> : tensor<2x1x2x2xf32>
  %b = cnn.constant dense<0.5> : tensor<1xf32>
  %0 = cnn.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x6x6xf32>
  return %0 : tensor<1x1x6x6xf32>
}

// -----

// Taps overlap (kernel 4, stride 2, padding 1: DCGAN's and FCN's
// upsampling) or the weight is not a constant: nothing changes.
// CHECK-LABEL: func.func @not_up_convs
// CHECK: cnn.conv_transpose2d %arg0, %{{.*}} {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
// CHECK: cnn.conv_transpose2d %arg0, %arg1 {stride = array<i64: 2, 2>}
func.func @not_up_convs(%x: tensor<1x2x3x3xf32>, %v: tensor<2x1x2x2xf32>) -> (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) {
  %w = cnn.constant dense<1.0> : tensor<2x1x4x4xf32>
  %0 = cnn.conv_transpose2d %x, %w {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x4x4xf32>) -> tensor<1x1x6x6xf32>
  %1 = cnn.conv_transpose2d %x, %v {stride = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x6x6xf32>
  return %0, %1 : tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>
}
