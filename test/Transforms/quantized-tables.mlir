// RUN: cnn-opt %s --cnn-quantized-tables --split-input-file | FileCheck %s

// dequantize -> relu -> quantize of u8 values is a table of 256 u8
// values: (q - 128) * 1.0, clamped at 0, quantized with scale 1 and zero
// point 0: 129 zeros, then 1 to 127.
// CHECK-LABEL: func.func @to_u8
// CHECK-NEXT: %[[T:.*]] = cnn.lookup_table %arg0 {table = array<f32: 0.000000e+00,
// CHECK-SAME: 0.000000e+00, 1.000000e+00, 2.000000e+00,
// CHECK-SAME: 1.260000e+02, 1.270000e+02>} : (tensor<1x4x2x2xui8>) -> tensor<1x4x2x2xui8>
// CHECK-NEXT: return %[[T]]
func.func @to_u8(%q: tensor<1x4x2x2xui8>) -> tensor<1x4x2x2xui8> {
  %x = cnn.dequantize %q {scale = 1.0 : f32, zero_point = 128 : i64} : (tensor<1x4x2x2xui8>) -> tensor<1x4x2x2xf32>
  %r = cnn.relu %x : tensor<1x4x2x2xf32>
  %y = cnn.quantize %r {scale = 1.0 : f32, zero_point = 0 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xui8>
  return %y : tensor<1x4x2x2xui8>
}

// -----

// Two activations and no quantize after them: an f32 table (q * 0.5,
// negated, then ReLU: 0 for every value).
// CHECK-LABEL: func.func @to_f32
// CHECK-NEXT: %[[T:.*]] = cnn.lookup_table %arg0 {table = array<f32: -0.000000e+00, 0.000000e+00,
// CHECK-SAME: -> tensor<1x4x2x2xf32>
// CHECK-NEXT: return %[[T]]
func.func @to_f32(%q: tensor<1x4x2x2xui8>) -> tensor<1x4x2x2xf32> {
  %x = cnn.dequantize %q {scale = 0.5 : f32, zero_point = 0 : i64} : (tensor<1x4x2x2xui8>) -> tensor<1x4x2x2xf32>
  %n = cnn.neg %x : tensor<1x4x2x2xf32>
  %r = cnn.relu %n : tensor<1x4x2x2xf32>
  return %r : tensor<1x4x2x2xf32>
}

// -----

// Left alone: a dequantize with no activation after it, one with two
// readers, and an activation whose result has another reader ends the
// table there (the quantize after it reads the table's f32 values).
// CHECK-LABEL: func.func @partly
// CHECK: cnn.dequantize
// CHECK-NEXT: cnn.add
// CHECK-NEXT: %[[S:.*]] = cnn.lookup_table %arg1 {{.*}} -> tensor<1x4x2x2xf32>
// CHECK-NEXT: cnn.quantize %[[S]]
// CHECK-NEXT: return
func.func @partly(%q: tensor<1x4x2x2xui8>, %p: tensor<1x4x2x2xui8>) -> (tensor<1x4x2x2xf32>, tensor<1x4x2x2xui8>, tensor<1x4x2x2xf32>) {
  %x = cnn.dequantize %q {scale = 0.5 : f32, zero_point = 0 : i64} : (tensor<1x4x2x2xui8>) -> tensor<1x4x2x2xf32>
  %a = cnn.add %x, %x : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %z = cnn.dequantize %p {scale = 0.5 : f32, zero_point = 0 : i64} : (tensor<1x4x2x2xui8>) -> tensor<1x4x2x2xf32>
  %s = cnn.sigmoid %z : tensor<1x4x2x2xf32>
  %y = cnn.quantize %s {scale = 0.01 : f32, zero_point = 0 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xui8>
  return %a, %y, %s : tensor<1x4x2x2xf32>, tensor<1x4x2x2xui8>, tensor<1x4x2x2xf32>
}
