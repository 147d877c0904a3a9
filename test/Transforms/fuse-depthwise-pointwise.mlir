// RUN: cnn-opt %s --cnn-fuse-conv-epilogue --cnn-fuse-depthwise-pointwise --split-input-file | FileCheck %s

// MobileNetV2's inverted residual: expand, depthwise, project, residual in
// one flat group.
// CHECK-LABEL: func.func @inverted_residual
// CHECK: %[[G:.*]] = cnn.group depthwise_pointwise : tensor<1x8x8x8xf32> {
// CHECK-NEXT: cnn.conv2d %arg0, %arg1 :
// CHECK-NEXT: cnn.relu6
// CHECK-NEXT: cnn.conv2d {{.*}}groups = 48
// CHECK-NEXT: cnn.relu6
// CHECK-NEXT: cnn.conv2d {{.*}} -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[SUM:.*]] = cnn.add %arg0,
// CHECK-NEXT: cnn.yield %[[SUM]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @inverted_residual(%x: tensor<1x8x8x8xf32>, %we: tensor<48x8x1x1xf32>, %wd: tensor<48x1x3x3xf32>, %wp: tensor<8x48x1x1xf32>) -> tensor<1x8x8x8xf32> {
  %0 = cnn.conv2d %x, %we : (tensor<1x8x8x8xf32>, tensor<48x8x1x1xf32>) -> tensor<1x48x8x8xf32>
  %1 = cnn.relu6 %0 : tensor<1x48x8x8xf32>
  %2 = cnn.conv2d %1, %wd {groups = 48 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x48x8x8xf32>, tensor<48x1x3x3xf32>) -> tensor<1x48x8x8xf32>
  %3 = cnn.relu6 %2 : tensor<1x48x8x8xf32>
  %4 = cnn.conv2d %3, %wp : (tensor<1x48x8x8xf32>, tensor<8x48x1x1xf32>) -> tensor<1x8x8x8xf32>
  %5 = cnn.add %x, %4 : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %5 : tensor<1x8x8x8xf32>
}

// -----

// MobileNetV1's pair, then the next pair: two groups, the second reading
// the first.
// CHECK-LABEL: func.func @separable_pairs
// CHECK: %[[G1:.*]] = cnn.group depthwise_pointwise : tensor<1x16x8x8xf32>
// CHECK: %[[G2:.*]] = cnn.group depthwise_pointwise : tensor<1x32x4x4xf32>
// CHECK-NEXT: cnn.conv2d %[[G1]]
func.func @separable_pairs(%x: tensor<1x8x8x8xf32>, %w1: tensor<8x1x3x3xf32>, %p1: tensor<16x8x1x1xf32>, %w2: tensor<16x1x3x3xf32>, %p2: tensor<32x16x1x1xf32>) -> tensor<1x32x4x4xf32> {
  %0 = cnn.conv2d %x, %w1 {groups = 8 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  %1 = cnn.relu %0 : tensor<1x8x8x8xf32>
  %2 = cnn.conv2d %1, %p1 : (tensor<1x8x8x8xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x8x8xf32>
  %3 = cnn.relu %2 : tensor<1x16x8x8xf32>
  %4 = cnn.conv2d %3, %w2 {groups = 16 : i64, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x4x4xf32>
  %5 = cnn.relu %4 : tensor<1x16x4x4xf32>
  %6 = cnn.conv2d %5, %p2 : (tensor<1x16x4x4xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x4x4xf32>
  %7 = cnn.relu %6 : tensor<1x32x4x4xf32>
  return %7 : tensor<1x32x4x4xf32>
}

// -----

// The ConvNeXt block: depthwise 7x7, LayerNorm, 1x1 expand + GELU, 1x1
// project, layer scale, residual.
// CHECK-LABEL: func.func @convnext_block
// CHECK: cnn.group depthwise_pointwise : tensor<1x8x7x7xf32> {
// CHECK-NEXT: cnn.conv2d {{.*}}groups = 8
// CHECK-NEXT: cnn.layer_norm
// CHECK-NEXT: cnn.conv2d {{.*}} -> tensor<1x32x7x7xf32>
// CHECK-NEXT: cnn.gelu
// CHECK-NEXT: cnn.conv2d {{.*}} -> tensor<1x8x7x7xf32>
// CHECK-NEXT: cnn.mul
// CHECK-NEXT: cnn.add
// CHECK-NEXT: cnn.yield
func.func @convnext_block(%x: tensor<1x8x7x7xf32>, %wd: tensor<8x1x7x7xf32>, %c: tensor<8xf32>, %w1: tensor<32x8x1x1xf32>, %w2: tensor<8x32x1x1xf32>, %s: tensor<8x1x1xf32>) -> tensor<1x8x7x7xf32> {
  %0 = cnn.conv2d %x, %wd, %c {groups = 8 : i64, padding = array<i64: 3, 3, 3, 3>} : (tensor<1x8x7x7xf32>, tensor<8x1x7x7xf32>, tensor<8xf32>) -> tensor<1x8x7x7xf32>
  %1 = cnn.layer_norm %0, %c, %c : (tensor<1x8x7x7xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x7x7xf32>
  %2 = cnn.conv2d %1, %w1 : (tensor<1x8x7x7xf32>, tensor<32x8x1x1xf32>) -> tensor<1x32x7x7xf32>
  %3 = cnn.gelu %2 : tensor<1x32x7x7xf32>
  %4 = cnn.conv2d %3, %w2 : (tensor<1x32x7x7xf32>, tensor<8x32x1x1xf32>) -> tensor<1x8x7x7xf32>
  %5 = cnn.mul %4, %s : (tensor<1x8x7x7xf32>, tensor<8x1x1xf32>) -> tensor<1x8x7x7xf32>
  %6 = cnn.add %5, %x : (tensor<1x8x7x7xf32>, tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  return %6 : tensor<1x8x7x7xf32>
}

// -----

// The depthwise result has a second user: it must be stored whole, so no
// depthwise->pointwise group; only the epilogues are grouped.
// CHECK-LABEL: func.func @depthwise_second_user
// CHECK-NOT: "depthwise_pointwise"
// CHECK: %[[D:.*]] = cnn.group conv
// CHECK: cnn.conv2d %[[D]]
// CHECK: cnn.add %{{.*}}, %[[D]]
func.func @depthwise_second_user(%x: tensor<1x8x8x8xf32>, %wd: tensor<8x1x3x3xf32>, %wp: tensor<8x8x1x1xf32>) -> tensor<1x8x8x8xf32> {
  %0 = cnn.conv2d %x, %wd {groups = 8 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  %1 = cnn.relu %0 : tensor<1x8x8x8xf32>
  %2 = cnn.conv2d %1, %wp : (tensor<1x8x8x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x8x8xf32>
  %3 = cnn.add %2, %1 : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %3 : tensor<1x8x8x8xf32>
}
