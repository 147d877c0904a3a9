// RUN: cnn-opt %s --cnn-recompose --split-input-file | FileCheck %s

// x * sigmoid(x), as ONNX exports SiLU: one cnn.silu, the sigmoid gone.
// CHECK-LABEL: func.func @silu
// CHECK-NEXT: %[[S:.*]] = cnn.silu %arg0 : tensor<1x8x4x4xf32>
// CHECK-NEXT: return %[[S]]
func.func @silu(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.sigmoid %x : tensor<1x8x4x4xf32>
  %1 = cnn.mul %x, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// The other operand order.
// CHECK-LABEL: func.func @silu_sigmoid_first
// CHECK-NEXT: %[[S:.*]] = cnn.silu %arg0
// CHECK-NEXT: return %[[S]]
func.func @silu_sigmoid_first(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.sigmoid %x : tensor<1x8x4x4xf32>
  %1 = cnn.mul %0, %x : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// The sigmoid has a second user: a SiLU beside it would compute the
// exponential twice, so the product stays.
// CHECK-LABEL: func.func @silu_sigmoid_kept
// CHECK-NEXT: %[[G:.*]] = cnn.sigmoid %arg0
// CHECK-NEXT: %[[M:.*]] = cnn.mul %arg0, %[[G]]
// CHECK-NEXT: %[[A:.*]] = cnn.add %[[M]], %[[G]]
// CHECK-NOT: cnn.silu
func.func @silu_sigmoid_kept(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.sigmoid %x : tensor<1x8x4x4xf32>
  %1 = cnn.mul %x, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %2 = cnn.add %1, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// A squeeze-and-excitation gate multiplies x by the sigmoid of another
// value: not a SiLU.
// CHECK-LABEL: func.func @gate_is_not_silu
// CHECK-NEXT: cnn.sigmoid %arg1
// CHECK-NEXT: cnn.mul %arg0
// CHECK-NOT: cnn.silu
func.func @gate_is_not_silu(%x: tensor<1x8x4x4xf32>, %s: tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.sigmoid %s : tensor<1x8x1x1xf32>
  %1 = cnn.mul %x, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// x * hardsigmoid(x), as older exports write HardSwish.
// CHECK-LABEL: func.func @hardswish
// CHECK-NEXT: %[[H:.*]] = cnn.hardswish %arg0 : tensor<1x8x4x4xf32>
// CHECK-NEXT: return %[[H]]
func.func @hardswish(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.hardsigmoid %x : tensor<1x8x4x4xf32>
  %1 = cnn.mul %0, %x : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}
