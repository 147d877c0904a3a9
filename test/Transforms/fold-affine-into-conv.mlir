// RUN: cnn-opt %s --cnn-fold-affine-into-conv --split-input-file | FileCheck %s

// Input normalization, (x * 2 - [1, 3]) / [2, 4], is x * [1, 0.5] +
// [-0.5, -0.75]: the weights [2, 4] become [2, 2], the bias 0 + 2 * -0.5 +
// 4 * -0.75 = -4, and the padding reads (0 - b) / a = [0.5, 1.5], where the
// normalized input is zero.
// CHECK-LABEL: func.func @normalized_input
// CHECK-DAG: %[[W:.*]] = cnn.constant dense<2.000000e+00> : tensor<1x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = cnn.constant dense<-4.000000e+00> : tensor<1xf32>
// CHECK: cnn.conv2d %arg0, %[[W]], %[[B]] {padding = array<i64: 1, 1, 1, 1>, padding_values = array<f32: 5.000000e-01, 1.500000e+00>}
// CHECK-NOT: cnn.mul
// CHECK-NOT: cnn.div
func.func @normalized_input(%x: tensor<1x2x4x4xf32>) -> tensor<1x1x6x6xf32> {
  %two = cnn.constant dense<2.0> : tensor<f32>
  %mean = cnn.constant dense<[[[[1.0]], [[3.0]]]]> : tensor<1x2x1x1xf32>
  %std = cnn.constant dense<[[[[2.0]], [[4.0]]]]> : tensor<1x2x1x1xf32>
  %w = cnn.constant dense<[[[[2.0]], [[4.0]]]]> : tensor<1x2x1x1xf32>
  %0 = cnn.mul %x, %two : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.sub %0, %mean : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = cnn.div %1, %std : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %3 = cnn.conv2d %2, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x6x6xf32>
  return %3 : tensor<1x1x6x6xf32>
}

// -----

// Without padding the shift goes into the bias only: 1 - x is -x + 1, so
// the weight 3 becomes -3 and the bias 0.5 + 3 * 1.
// CHECK-LABEL: func.func @unpadded
// CHECK-DAG: %[[W:.*]] = cnn.constant dense<-3.000000e+00> : tensor<1x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = cnn.constant dense<3.500000e+00> : tensor<1xf32>
// CHECK: cnn.conv2d %arg0, %[[W]], %[[B]] : (tensor<1x1x4x4xf32>
func.func @unpadded(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %one = cnn.constant dense<1.0> : tensor<1xf32>
  %w = cnn.constant dense<3.0> : tensor<1x1x1x1xf32>
  %b = cnn.constant dense<0.5> : tensor<1xf32>
  %0 = cnn.neg %x : tensor<1x1x4x4xf32>
  %1 = cnn.add %0, %one : (tensor<1x1x4x4xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  %2 = cnn.conv2d %1, %w, %b : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %2 : tensor<1x1x4x4xf32>
}

// -----

// A scale alone keeps the padding's zeros: no padding values, no bias.
// CHECK-LABEL: func.func @scale_only
// CHECK: %[[W:.*]] = cnn.constant dense<5.000000e-01> : tensor<1x1x3x3xf32>
// CHECK: cnn.conv2d %arg0, %[[W]] {padding = array<i64: 1, 1, 1, 1>} :
func.func @scale_only(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %k = cnn.constant dense<0.25> : tensor<f32>
  %w = cnn.constant dense<2.0> : tensor<1x1x3x3xf32>
  %0 = cnn.mul %x, %k : (tensor<1x1x4x4xf32>, tensor<f32>) -> tensor<1x1x4x4xf32>
  %1 = cnn.conv2d %0, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  return %1 : tensor<1x1x4x4xf32>
}

// -----

// The affine is returned too, so it is computed anyway: nothing folds. A
// scale of zero leaves no padding value that maps to the conv's zeros.
// CHECK-LABEL: func.func @kept
// CHECK: %[[A:.*]] = cnn.add %arg0
// CHECK: cnn.conv2d %[[A]]
// CHECK: %[[Z:.*]] = cnn.mul %arg0
// CHECK: %[[S:.*]] = cnn.add %[[Z]]
// CHECK: cnn.conv2d %[[S]]
func.func @kept(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %k = cnn.constant dense<1.0> : tensor<f32>
  %zero = cnn.constant dense<0.0> : tensor<f32>
  %w = cnn.constant dense<2.0> : tensor<1x1x3x3xf32>
  %0 = cnn.add %x, %k : (tensor<1x1x4x4xf32>, tensor<f32>) -> tensor<1x1x4x4xf32>
  %1 = cnn.conv2d %0, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  %2 = cnn.mul %x, %zero : (tensor<1x1x4x4xf32>, tensor<f32>) -> tensor<1x1x4x4xf32>
  %3 = cnn.add %2, %k : (tensor<1x1x4x4xf32>, tensor<f32>) -> tensor<1x1x4x4xf32>
  %4 = cnn.conv2d %3, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  return %0, %1, %4 : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// A grouped conv scales each input channel's weights in its group: input
// channels 0 and 1 by 2 and 3 (bias 1 * 1 and 1 * 1 from the shift 1).
// CHECK-LABEL: func.func @grouped
// CHECK-DAG: %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = cnn.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK: cnn.conv2d %arg0, %[[W]], %[[B]] {groups = 2 : i64} :
func.func @grouped(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %k = cnn.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %one = cnn.constant dense<1.0> : tensor<f32>
  %w = cnn.constant dense<1.0> : tensor<2x1x1x1xf32>
  %0 = cnn.mul %x, %k : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.add %0, %one : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %2 = cnn.conv2d %1, %w {groups = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}
