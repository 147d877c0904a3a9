// RUN: cnn-opt %s --cnn-linear-as-conv --split-input-file | FileCheck %s

// A classifier's linear layer with constant weights becomes a 1x1 conv on
// a 1x1 map between reshapes; the ReLU after it moves beside the conv.
// CHECK-LABEL: func.func @classifier
// CHECK: %[[W:.*]] = cnn.constant
// CHECK: %[[B:.*]] = cnn.constant
// CHECK: %[[X:.*]] = cnn.reshape %arg0 : tensor<2x8xf32> -> tensor<2x8x1x1xf32>
// CHECK: %[[W4:.*]] = cnn.reshape %[[W]] : tensor<4x8xf32> -> tensor<4x8x1x1xf32>
// CHECK: %[[C:.*]] = cnn.conv2d %[[X]], %[[W4]], %[[B]]
// CHECK-SAME: -> tensor<2x4x1x1xf32>
// CHECK: %[[R:.*]] = cnn.relu %[[C]] : tensor<2x4x1x1xf32>
// CHECK: %[[Y:.*]] = cnn.reshape %[[R]] : tensor<2x4x1x1xf32> -> tensor<2x4xf32>
// CHECK: return %[[Y]]
// CHECK-NOT: cnn.linear
func.func @classifier(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = cnn.constant dense<0.5> : tensor<4x8xf32>
  %b = cnn.constant dense<0.25> : tensor<4xf32>
  %0 = cnn.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %1 = cnn.relu %0 : tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// Weights that are an argument stay a linear layer.
// CHECK-LABEL: func.func @weights_given
// CHECK: cnn.linear
// CHECK-NOT: cnn.conv2d
func.func @weights_given(%x: tensor<1x8xf32>, %w: tensor<4x8xf32>) -> tensor<1x4xf32> {
  %0 = cnn.linear %x, %w : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
