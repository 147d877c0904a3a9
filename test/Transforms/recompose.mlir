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

// -----

// Exact GELU as ONNX exports it: x * (erf(x / sqrt(2)) + 1) * 0.5.
// CHECK-LABEL: func.func @gelu
// CHECK-NEXT: %[[G:.*]] = cnn.gelu %arg0 : tensor<1x8x4x4xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %root2 = cnn.constant dense<1.41421354> : tensor<f32>
  %one = cnn.constant dense<1.0> : tensor<f32>
  %half = cnn.constant dense<0.5> : tensor<f32>
  %0 = cnn.div %x, %root2 : (tensor<1x8x4x4xf32>, tensor<f32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.erf %0 : tensor<1x8x4x4xf32>
  %2 = cnn.add %1, %one : (tensor<1x8x4x4xf32>, tensor<f32>) -> tensor<1x8x4x4xf32>
  %3 = cnn.mul %x, %2 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %4 = cnn.mul %3, %half : (tensor<1x8x4x4xf32>, tensor<f32>) -> tensor<1x8x4x4xf32>
  return %4 : tensor<1x8x4x4xf32>
}

// -----

// Dividing by 2 is not sqrt(2): the ops stay.
// CHECK-LABEL: func.func @not_gelu
// CHECK: cnn.erf
// CHECK-NOT: cnn.gelu
func.func @not_gelu(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %two = cnn.constant dense<2.0> : tensor<f32>
  %one = cnn.constant dense<1.0> : tensor<f32>
  %half = cnn.constant dense<0.5> : tensor<f32>
  %0 = cnn.div %x, %two : (tensor<1x8x4x4xf32>, tensor<f32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.erf %0 : tensor<1x8x4x4xf32>
  %2 = cnn.add %1, %one : (tensor<1x8x4x4xf32>, tensor<f32>) -> tensor<1x8x4x4xf32>
  %3 = cnn.mul %x, %2 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %4 = cnn.mul %3, %half : (tensor<1x8x4x4xf32>, tensor<f32>) -> tensor<1x8x4x4xf32>
  return %4 : tensor<1x8x4x4xf32>
}

// -----

// A LayerNorm over the channels as ONNX before opset 17 exports one (the
// importer holds ConvNeXt's NHWC tensor as NCHW, its last axis as dim 1,
// the per-channel weight and bias as [C, 1, 1]): one cnn.layer_norm with
// [C] constants over the same data.
// CHECK-LABEL: func.func @layer_norm
// CHECK-DAG: %[[W:.*]] = cnn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[B:.*]] = cnn.constant dense<[3.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK: %[[N:.*]] = cnn.layer_norm %arg0, %[[W]], %[[B]] {epsilon = 9.99999997{{[0-9]*}}E-7 : f64}
// CHECK-NEXT: return %[[N]]
func.func @layer_norm(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %eps = cnn.constant dense<1.0e-6> : tensor<f32>
  %w = cnn.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %b = cnn.constant dense<[[[3.0]], [[4.0]]]> : tensor<2x1x1xf32>
  %0 = cnn.reduce_mean %x {axes = array<i64: 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x1x4x4xf32>
  %1 = cnn.sub %x, %0 : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = cnn.mul %1, %1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = cnn.reduce_mean %2 {axes = array<i64: 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x1x4x4xf32>
  %4 = cnn.add %3, %eps : (tensor<1x1x4x4xf32>, tensor<f32>) -> tensor<1x1x4x4xf32>
  %5 = cnn.sqrt %4 : tensor<1x1x4x4xf32>
  %6 = cnn.div %1, %5 : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %7 = cnn.mul %6, %w : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %8 = cnn.add %7, %b : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %8 : tensor<1x2x4x4xf32>
}

// -----

// Means over H and W normalize each channel, not each pixel: not a
// cnn.layer_norm (which normalizes over the channels).
// CHECK-LABEL: func.func @instance_norm_is_not_layer_norm
// CHECK-NOT: cnn.layer_norm
func.func @instance_norm_is_not_layer_norm(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %eps = cnn.constant dense<1.0e-6> : tensor<f32>
  %w = cnn.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %b = cnn.constant dense<[[[3.0]], [[4.0]]]> : tensor<2x1x1xf32>
  %0 = cnn.reduce_mean %x {axes = array<i64: 2, 3>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  %1 = cnn.sub %x, %0 : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = cnn.mul %1, %1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = cnn.reduce_mean %2 {axes = array<i64: 2, 3>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  %4 = cnn.add %3, %eps : (tensor<1x2x1x1xf32>, tensor<f32>) -> tensor<1x2x1x1xf32>
  %5 = cnn.sqrt %4 : tensor<1x2x1x1xf32>
  %6 = cnn.div %1, %5 : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %7 = cnn.mul %6, %w : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %8 = cnn.add %7, %b : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %8 : tensor<1x2x4x4xf32>
}

// -----

// x * tanh(softplus(x)), as PyTorch exports Mish before opset 18: one
// cnn.mish; with a second user of the softplus, the chain stays.
// CHECK-LABEL: func.func @mish
// CHECK-NEXT: %[[M:.*]] = cnn.mish %arg0 : tensor<1x8x4x4xf32>
// CHECK-NEXT: return %[[M]]
func.func @mish(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.softplus %x : tensor<1x8x4x4xf32>
  %1 = cnn.tanh %0 : tensor<1x8x4x4xf32>
  %2 = cnn.mul %1, %x : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @mish_softplus_kept
// CHECK-NEXT: cnn.softplus
// CHECK-NEXT: cnn.tanh
// CHECK-NEXT: cnn.mul
// CHECK-NOT: cnn.mish
func.func @mish_softplus_kept(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %0 = cnn.softplus %x : tensor<1x8x4x4xf32>
  %1 = cnn.tanh %0 : tensor<1x8x4x4xf32>
  %2 = cnn.mul %x, %1 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2, %0 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// -----

// GroupNorm as PyTorch exports it before opset 18: the importer's
// cnn.group_norm with InstanceNormalization's unit scale and zero shift,
// then the affine as Mul and Add of [C, 1, 1] constants, which become the
// op's weight and bias.
// CHECK-LABEL: func.func @group_norm_affine
// CHECK-DAG: %[[W:.*]] = cnn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[B:.*]] = cnn.constant dense<[3.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK: %[[N:.*]] = cnn.group_norm %arg0, %[[W]], %[[B]] {groups = 1 : i64}
// CHECK-NEXT: return %[[N]]
func.func @group_norm_affine(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %ones = cnn.constant dense<1.0> : tensor<2xf32>
  %zeros = cnn.constant dense<0.0> : tensor<2xf32>
  %w = cnn.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %b = cnn.constant dense<[[[3.0]], [[4.0]]]> : tensor<2x1x1xf32>
  %0 = cnn.group_norm %x, %ones, %zeros {groups = 1 : i64, epsilon = 1.0e-5 : f64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.mul %0, %w : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = cnn.add %1, %b : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// A GroupNorm with an affine of its own keeps the Mul and Add after it.
// CHECK-LABEL: func.func @group_norm_with_weight
// CHECK: cnn.group_norm
// CHECK-NEXT: cnn.mul
// CHECK-NEXT: cnn.add
func.func @group_norm_with_weight(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w0 = cnn.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %zeros = cnn.constant dense<0.0> : tensor<2xf32>
  %w = cnn.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %b = cnn.constant dense<[[[3.0]], [[4.0]]]> : tensor<2x1x1xf32>
  %0 = cnn.group_norm %x, %w0, %zeros {groups = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.mul %0, %w : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = cnn.add %1, %b : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}
