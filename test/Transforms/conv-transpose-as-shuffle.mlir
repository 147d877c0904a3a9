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

// A decoder's 3x3, stride 2, padding 1, output padding 1 on a 2x2 map
// (W[ky, kx] = 3 * ky + kx + 1): four phases of 2x2 flipped taps, phase
// (i, j) tap (ty, tx) being W[i + 2 * (1 - ty), j + 2 * (1 - tx)] or 0
// past the kernel; a 3x3 conv output (padding 1 before, 1 after), 6x6
// after the shuffle, rows and columns 1 to 4 kept.
// CHECK-LABEL: func.func @decoder
// CHECK: %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}9.000000e+00, 7.000000e+00], [3.000000e+00, 1.000000e+00]]], {{\[\[\[}}0.000000e+00, 8.000000e+00], [0.000000e+00, 2.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00], [6.000000e+00, 4.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 5.000000e+00]]]]> : tensor<4x1x2x2xf32>
// CHECK: %[[C:.*]] = cnn.conv2d %arg0, %[[W]] {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x2x2xf32>, tensor<4x1x2x2xf32>) -> tensor<1x4x3x3xf32>
// CHECK: %[[S:.*]] = cnn.depth_to_space %[[C]] {block_size = 2 : i64, mode = "crd"} : (tensor<1x4x3x3xf32>) -> tensor<1x1x6x6xf32>
// CHECK: %[[R:.*]] = cnn.slice %[[S]] {axis = 2 : i64, end = 5 : i64, start = 1 : i64} : (tensor<1x1x6x6xf32>) -> tensor<1x1x4x6xf32>
// CHECK: cnn.slice %[[R]] {axis = 3 : i64, end = 5 : i64, start = 1 : i64} : (tensor<1x1x4x6xf32>) -> tensor<1x1x4x4xf32>
func.func @decoder(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %w = cnn.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<1x1x3x3xf32>
  %0 = cnn.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// Groups, dilation, stride 1, or a weight that is not a constant: nothing
// changes.
// CHECK-LABEL: func.func @not_rewritten
// CHECK: cnn.conv_transpose2d %arg0, %{{.*}} {groups = 2 : i64, stride = array<i64: 2, 2>}
// CHECK: cnn.conv_transpose2d %arg0, %{{.*}} {dilation = array<i64: 2, 2>, stride = array<i64: 2, 2>}
// CHECK: cnn.conv_transpose2d %arg0, %{{.*}} : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
// CHECK: cnn.conv_transpose2d %arg0, %arg1 {stride = array<i64: 2, 2>}
func.func @not_rewritten(%x: tensor<1x2x3x3xf32>, %v: tensor<2x1x2x2xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x1x7x7xf32>, tensor<1x1x4x4xf32>, tensor<1x1x6x6xf32>) {
  %w = cnn.constant dense<1.0> : tensor<2x1x2x2xf32>
  %0 = cnn.conv_transpose2d %x, %w {groups = 2 : i64, stride = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x6x6xf32>
  %1 = cnn.conv_transpose2d %x, %w {dilation = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x7x7xf32>
  %2 = cnn.conv_transpose2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  %3 = cnn.conv_transpose2d %x, %v {stride = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x6x6xf32>
  return %0, %1, %2, %3 : tensor<1x2x6x6xf32>, tensor<1x1x7x7xf32>, tensor<1x1x4x4xf32>, tensor<1x1x6x6xf32>
}
