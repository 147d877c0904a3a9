// RUN: cnn-opt %s --cnn-fuse-elementwise --split-input-file | FileCheck %s
// RUN: cnn-opt %s --cnn-fuse-elementwise=max-ops=2 --split-input-file | FileCheck %s --check-prefix=CUT

// A chain of elementwise ops, each the only user of the one before: one
// group, one stage.
// CHECK-LABEL: func.func @chain
// CHECK: %[[G:.*]] = cnn.group elementwise : tensor<1x8x4x4xf32> {
// CHECK-NEXT: cnn.sub %arg0, %arg1
// CHECK-NEXT: cnn.div
// CHECK-NEXT: cnn.relu
// CHECK-NEXT: cnn.tanh
// CHECK-NEXT: cnn.yield
// CHECK: return %[[G]]
// With at most 2 ops a group: two groups.
// CUT-LABEL: func.func @chain
// CUT: cnn.group elementwise
// CUT: cnn.group elementwise
func.func @chain(%x: tensor<1x8x4x4xf32>, %m: tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.sub %x, %m : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.div %0, %m : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %2 = cnn.relu %1 : tensor<1x8x4x4xf32>
  %3 = cnn.tanh %2 : tensor<1x8x4x4xf32>
  return %3 : tensor<1x8x4x4xf32>
}

// -----

// The relu's result has a second user: the chain ends there, so the
// relu's value is stored once for both; tanh and add start another.
// CHECK-LABEL: func.func @shared
// CHECK: %[[G:.*]] = cnn.group elementwise
// CHECK-NEXT: cnn.sigmoid %arg0
// CHECK-NEXT: cnn.relu
// CHECK-NEXT: cnn.yield
// CHECK: cnn.group elementwise
// CHECK-NEXT: %[[T:.*]] = cnn.tanh %[[G]]
// CHECK-NEXT: cnn.add %[[T]], %[[G]]
func.func @shared(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.sigmoid %x : tensor<1x8x4x4xf32>
  %1 = cnn.relu %0 : tensor<1x8x4x4xf32>
  %2 = cnn.tanh %1 : tensor<1x8x4x4xf32>
  %3 = cnn.add %2, %1 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %3 : tensor<1x8x4x4xf32>
}

// -----

// A single elementwise op stays as it is.
// CHECK-LABEL: func.func @single
// CHECK-NOT: cnn.group
func.func @single(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.relu %x : tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}
