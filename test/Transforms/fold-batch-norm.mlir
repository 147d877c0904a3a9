// RUN: cnn-opt %s --cnn-fold-batch-norm --split-input-file | FileCheck %s

// conv -> batch_norm with constants folds into one conv:
//   scale = g / sqrt(v + eps) = [3 / sqrt(3 + 1), 1 / sqrt(3 + 1)] = [1.5, 0.5]
//   w' = w * scale = [2 * 1.5, -3 * 0.5] = [3, -1.5]
//   b' = beta + (b - m) * scale = [0.5 + (1 - 2) * 1.5, 3 + (0 - 1) * 0.5]
//      = [-1, 2.5].
// CHECK-LABEL: func.func @fold_bn
// CHECK-DAG: %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}3.000000e+00]]], {{\[\[\[}}-1.500000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = cnn.constant dense<[-1.000000e+00, 2.500000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = cnn.conv2d %arg0, %[[W]], %[[B]] : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: cnn.batch_norm
// CHECK: return %[[C]]
func.func @fold_bn(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = cnn.constant dense<[[[[2.0]]], [[[-3.0]]]]> : tensor<2x1x1x1xf32>
  %b = cnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %g = cnn.constant dense<[3.0, 1.0]> : tensor<2xf32>
  %beta = cnn.constant dense<[0.5, 3.0]> : tensor<2xf32>
  %m = cnn.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %v = cnn.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %1 = cnn.batch_norm %0, %g, %beta, %m, %v {epsilon = 1.0 : f64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// A layer scale [C, 1, 1] folds into the conv before it: w * s, b * s.
// CHECK-LABEL: func.func @fold_layer_scale
// CHECK-DAG: cnn.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}3.000000e+01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: cnn.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-NOT: cnn.mul
func.func @fold_layer_scale(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = cnn.constant dense<[[[[1.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = cnn.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = cnn.constant dense<[[[2.0]], [[10.0]]]> : tensor<2x1x1xf32>
  %1 = cnn.mul %0, %s : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Unbound weights cannot fold: nothing changes.
// CHECK-LABEL: func.func @unbound
// CHECK: cnn.conv2d
// CHECK: cnn.batch_norm
func.func @unbound(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = cnn.weight "conv.weight" : tensor<2x1x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %g = cnn.weight "bn.weight" : tensor<2xf32>
  %b = cnn.weight "bn.bias" : tensor<2xf32>
  %m = cnn.weight "bn.running_mean" : tensor<2xf32>
  %v = cnn.weight "bn.running_var" : tensor<2xf32>
  %1 = cnn.batch_norm %0, %g, %b, %m, %v : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// The conv result has a second user: folding would change that user's input.
// CHECK-LABEL: func.func @second_user
// CHECK: %[[C:.*]] = cnn.conv2d
// CHECK: cnn.batch_norm %[[C]]
// CHECK: cnn.add %{{.*}}, %[[C]]
func.func @second_user(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = cnn.constant dense<1.0> : tensor<2x1x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %c = cnn.constant dense<1.0> : tensor<2xf32>
  %1 = cnn.batch_norm %0, %c, %c, %c, %c : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %2 = cnn.add %1, %0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// A scale that is not per channel (it varies along width) does not fold.
// CHECK-LABEL: func.func @not_per_channel
// CHECK: cnn.mul
func.func @not_per_channel(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = cnn.constant dense<1.0> : tensor<2x1x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %s = cnn.constant dense<2.0> : tensor<4xf32>
  %1 = cnn.mul %0, %s : (tensor<1x2x4x4xf32>, tensor<4xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}
