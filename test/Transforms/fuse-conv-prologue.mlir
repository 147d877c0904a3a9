// RUN: cnn-opt %s --cnn-fuse-conv-epilogue --cnn-fuse-conv-prologue --split-input-file | FileCheck %s

// A squeeze-excitation block's tail (EfficientNet, MobileNetV3): the map
// scaled per image and channel moves into the group of the pointwise conv
// that reads it, in front of the conv and its residual epilogue.
// CHECK-LABEL: func.func @excitation_then_projection
// CHECK: %[[S:.*]] = cnn.group conv : tensor<1x32x1x1xf32>
// CHECK: cnn.sigmoid
// CHECK: %[[G:.*]] = cnn.group conv : tensor<1x8x8x8xf32> {
// CHECK-NEXT:   %[[M:.*]] = cnn.mul %arg0, %[[S]]
// CHECK-NEXT:   %[[C:.*]] = cnn.conv2d %[[M]], %arg3
// CHECK-NEXT:   %[[A:.*]] = cnn.add %[[C]], %arg4
// CHECK-NEXT:   cnn.yield %[[A]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @excitation_then_projection(%x: tensor<1x32x8x8xf32>, %w1: tensor<8x32x1x1xf32>, %w2: tensor<32x8x1x1xf32>, %wp: tensor<8x32x1x1xf32>, %r: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %0 = cnn.adaptive_avg_pool2d %x {output_size = array<i64: 1, 1>} : (tensor<1x32x8x8xf32>) -> tensor<1x32x1x1xf32>
  %1 = cnn.conv2d %0, %w1 : (tensor<1x32x1x1xf32>, tensor<8x32x1x1xf32>) -> tensor<1x8x1x1xf32>
  %2 = cnn.conv2d %1, %w2 : (tensor<1x8x1x1xf32>, tensor<32x8x1x1xf32>) -> tensor<1x32x1x1xf32>
  %3 = cnn.sigmoid %2 : tensor<1x32x1x1xf32>
  %4 = cnn.mul %x, %3 : (tensor<1x32x8x8xf32>, tensor<1x32x1x1xf32>) -> tensor<1x32x8x8xf32>
  %5 = cnn.conv2d %4, %wp : (tensor<1x32x8x8xf32>, tensor<8x32x1x1xf32>) -> tensor<1x8x8x8xf32>
  %6 = cnn.add %5, %r : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %6 : tensor<1x8x8x8xf32>
}

// -----

// A bare pointwise conv gets a group of its own.
// CHECK-LABEL: func.func @bare_conv
// CHECK: cnn.group conv : tensor<1x8x8x8xf32> {
// CHECK-NEXT: cnn.mul %arg0, %arg1
// CHECK-NEXT: cnn.conv2d
// CHECK-NEXT: cnn.yield
func.func @bare_conv(%x: tensor<1x32x8x8xf32>, %s: tensor<1x32x1x1xf32>, %w: tensor<8x32x1x1xf32>) -> tensor<1x8x8x8xf32> {
  %0 = cnn.mul %x, %s : (tensor<1x32x8x8xf32>, tensor<1x32x1x1xf32>) -> tensor<1x32x8x8xf32>
  %1 = cnn.conv2d %0, %w : (tensor<1x32x8x8xf32>, tensor<8x32x1x1xf32>) -> tensor<1x8x8x8xf32>
  return %1 : tensor<1x8x8x8xf32>
}

// -----

// What stays: a scale read by a 3x3 conv (its rows would be read three
// times), a scale with a second user, and a product that is not a scale
// per image and channel (a full map).
// CHECK-LABEL: func.func @not_fused
// CHECK-NOT: cnn.group
func.func @not_fused(%x: tensor<1x8x8x8xf32>, %s: tensor<1x8x1x1xf32>, %m: tensor<1x8x8x8xf32>, %w3: tensor<8x8x3x3xf32>, %w1: tensor<8x8x1x1xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) {
  %0 = cnn.mul %x, %s : (tensor<1x8x8x8xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x8x8xf32>
  %1 = cnn.conv2d %0, %w3 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32>
  %2 = cnn.mul %m, %s : (tensor<1x8x8x8xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x8x8xf32>
  %3 = cnn.conv2d %2, %w1 : (tensor<1x8x8x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x8x8xf32>
  %4 = cnn.mul %x, %m : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %5 = cnn.conv2d %4, %w1 : (tensor<1x8x8x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x8x8xf32>
  return %1, %2, %3, %5 : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>
}
