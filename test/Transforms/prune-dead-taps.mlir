// RUN: cnn-opt %s --cnn-prune-dead-taps --split-input-file | FileCheck %s

// DeepLab's ASPP at rate 6 on a 4x4 map: only the centre tap reads the
// map, so the 3x3 conv is a 1x1 conv (dilation 1, no padding) with the
// centre of each kernel.
// CHECK-LABEL: func.func @centre_only
// CHECK: %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}5.000000e+00]]], {{\[\[\[}}1.400000e+01]]]]> : tensor<2x1x1x1xf32>
// CHECK: cnn.conv2d %arg0, %[[W]], %arg1 : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
func.func @centre_only(%x: tensor<1x1x4x4xf32>, %b: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %w = cnn.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[10.0, 11.0, 12.0], [13.0, 14.0, 15.0], [16.0, 17.0, 18.0]]]]> : tensor<2x1x3x3xf32>
  %0 = cnn.conv2d %x, %w, %b {padding = array<i64: 6, 6, 6, 6>, dilation = array<i64: 6, 6>} : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Rate 3 on a 3x5 map: along the rows only the centre tap reads it, along
// the columns all three do; the conv keeps the middle row of its kernel
// and its column padding.
// CHECK-LABEL: func.func @middle_row
// CHECK: %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}4.000000e+00, 5.000000e+00, 6.000000e+00]]]]> : tensor<1x1x1x3xf32>
// CHECK: cnn.conv2d %arg0, %[[W]] {dilation = array<i64: 1, 3>, padding = array<i64: 0, 3, 0, 3>} : (tensor<1x1x3x5xf32>, tensor<1x1x1x3xf32>) -> tensor<1x1x3x5xf32>
func.func @middle_row(%x: tensor<1x1x3x5xf32>) -> tensor<1x1x3x5xf32> {
  %w = cnn.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<1x1x3x3xf32>
  %0 = cnn.conv2d %x, %w {padding = array<i64: 3, 3, 3, 3>, dilation = array<i64: 3, 3>} : (tensor<1x1x3x5xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x5xf32>
  return %0 : tensor<1x1x3x5xf32>
}

// -----

// Every tap reads the map somewhere (rate 2 on 4x4; a stride-2 conv whose
// last tap is read by the last output only): nothing changes.
// CHECK-LABEL: func.func @all_alive
// CHECK: cnn.conv2d %arg0, %{{.*}} {dilation = array<i64: 2, 2>, padding = array<i64: 2, 2, 2, 2>}
// CHECK: cnn.conv2d %arg0, %{{.*}} {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
func.func @all_alive(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) {
  %w = cnn.constant dense<1.0> : tensor<1x1x3x3xf32>
  %0 = cnn.conv2d %x, %w {padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  %1 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
  return %0, %1 : tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>
}
