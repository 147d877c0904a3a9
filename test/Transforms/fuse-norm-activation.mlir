// RUN: cnn-opt %s --cnn-fuse-norm-activation --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @layer_norm_gelu
// CHECK: %[[G:.*]] = cnn.group norm_activation : tensor<1x8x4x4xf32> {
// CHECK-NEXT: %[[N:.*]] = cnn.layer_norm %arg0
// CHECK-NEXT: %[[A:.*]] = cnn.gelu %[[N]]
// CHECK-NEXT: cnn.yield %[[A]]
// CHECK: return %[[G]]
func.func @layer_norm_gelu(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.layer_norm %x, %c, %c : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.gelu %0 : tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// GroupNorm and SiLU, the block of diffusion U-Nets and GroupNorm ResNets.
// CHECK-LABEL: func.func @group_norm_silu
// CHECK: %[[G:.*]] = cnn.group norm_activation : tensor<1x8x4x4xf32> {
// CHECK-NEXT: %[[N:.*]] = cnn.group_norm %arg0, %arg1, %arg1 {groups = 2 : i64}
// CHECK-NEXT: %[[A:.*]] = cnn.silu %[[N]]
// CHECK-NEXT: cnn.yield %[[A]]
// CHECK: return %[[G]]
func.func @group_norm_silu(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.group_norm %x, %c, %c {groups = 2 : i64} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.silu %0 : tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// A BatchNorm with no conv before it (pre-activation style) and its ReLU.
// CHECK-LABEL: func.func @batch_norm_relu
// CHECK: cnn.group norm_activation
// CHECK-NEXT: cnn.batch_norm
// CHECK-NEXT: cnn.relu
func.func @batch_norm_relu(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.batch_norm %x, %c, %c, %c, %c : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.relu %0 : tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// The normalized value has a second user: no group.
// CHECK-LABEL: func.func @second_user
// CHECK-NOT: cnn.group
func.func @second_user(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.layer_norm %x, %c, %c : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.gelu %0 : tensor<1x8x4x4xf32>
  %2 = cnn.add %1, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// A norm followed by something other than an activation: no group.
// CHECK-LABEL: func.func @no_activation
// CHECK-NOT: cnn.group
func.func @no_activation(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.layer_norm %x, %c, %c : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.add %0, %x : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}
