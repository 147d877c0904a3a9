// RUN: cnn-opt %s --cnn-qdq-to-int8 --split-input-file | FileCheck %s

// A QDQ model's conv: dequantize -> conv -> ReLU -> quantize, its weights
// the int8 values 2, -1, 127 and -127 times their channel's scale (as the
// importer dequantizes them, with cnn.weight_scales). It becomes one
// qconv2d with the model's parameters; the ReLU goes in (the output's zero
// point 0 saturates below zero), and the f32 conv and weights go.
// CHECK-LABEL: func.func @conv_relu
// CHECK-DAG: %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}2]], {{\[\[}}-1]]], {{\[\[\[}}127]], {{\[\[}}-127]]]]> : tensor<2x2x1x1xi8>
// CHECK-DAG: %[[B:.*]] = cnn.constant dense<[2.500000e-01, -5.000000e-01]>
// CHECK: %[[Y:.*]] = cnn.qconv2d %arg0, %[[W]], %[[B]] {input_scale = 5.000000e-02 : f32, input_zero_point = 10 : i64, output_scale = 1.000000e-01 : f32, output_zero_point = 0 : i64, weight_scales = array<f32: 5.000000e-01, 2.500000e-01>}
// CHECK-NOT: cnn.relu
// CHECK-NOT: cnn.conv2d
// CHECK: return %[[Y]]
func.func @conv_relu(%q: tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xui8> {
  %x = cnn.dequantize %q {scale = 0.05 : f32, zero_point = 10 : i64} : (tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xf32>
  %w = cnn.constant dense<[[[[1.0]], [[-0.5]]], [[[31.75]], [[-31.75]]]]> : tensor<2x2x1x1xf32>
  %b = cnn.constant dense<[0.25, -0.5]> : tensor<2xf32>
  %y = cnn.conv2d %x, %w, %b {cnn.weight_scales = array<f32: 0.5, 0.25>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = cnn.relu %y : tensor<1x2x4x4xf32>
  %o = cnn.quantize %r {scale = 0.1 : f32, zero_point = 0 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xui8>
  return %o : tensor<1x2x4x4xui8>
}

// -----

// ReLU6 goes in where 6 quantizes to 255 or more: scale 6 / 255, and
// 0.01 (the range ends at 2.55, so the clamp at 6 never shows). Not where
// the range reaches past 6 (scale 0.1: 6 is 60, the clamp would be lost),
// nor a ReLU above a zero point of 5: those convs write f32 (no output
// parameters), which the activation and the quantize read.
// CHECK-LABEL: func.func @activations
// CHECK-COUNT-2: cnn.qconv2d {{.*}}output_zero_point = 0 : i64{{.*}} -> tensor<1x1x4x4xui8>
// CHECK-NOT: cnn.relu6
// CHECK: %[[Y3:.*]] = cnn.qconv2d {{.*}}input_zero_point = 0 : i64, weight_scales = array<f32: 5.000000e-01>} : {{.*}} -> tensor<1x1x4x4xf32>
// CHECK-NEXT: %[[R3:.*]] = cnn.relu6 %[[Y3]]
// CHECK-NEXT: cnn.quantize %[[R3]] {scale = 1.000000e-01 : f32
// CHECK: %[[Y2:.*]] = cnn.qconv2d {{.*}} -> tensor<1x1x4x4xf32>
// CHECK-NEXT: %[[R2:.*]] = cnn.relu %[[Y2]]
// CHECK-NEXT: cnn.quantize %[[R2]] {scale = 0.00999999977 : f32, zero_point = 5 : i64}
// CHECK-NOT: cnn.conv2d
func.func @activations(%q: tensor<1x1x4x4xui8>) -> (tensor<1x1x4x4xui8>, tensor<1x1x4x4xui8>, tensor<1x1x4x4xui8>, tensor<1x1x4x4xui8>) {
  %x = cnn.dequantize %q {scale = 0.05 : f32, zero_point = 0 : i64} : (tensor<1x1x4x4xui8>) -> tensor<1x1x4x4xf32>
  %w = cnn.constant dense<0.5> : tensor<1x1x1x1xf32>
  %y0 = cnn.conv2d %x, %w {cnn.weight_scales = array<f32: 0.5>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %r0 = cnn.relu6 %y0 : tensor<1x1x4x4xf32>
  %o0 = cnn.quantize %r0 {scale = 0.0235294122 : f32, zero_point = 0 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xui8>
  %y1 = cnn.conv2d %x, %w {cnn.weight_scales = array<f32: 0.5>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %r1 = cnn.relu6 %y1 : tensor<1x1x4x4xf32>
  %o1 = cnn.quantize %r1 {scale = 0.01 : f32, zero_point = 0 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xui8>
  %y3 = cnn.conv2d %x, %w {cnn.weight_scales = array<f32: 0.5>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %r3 = cnn.relu6 %y3 : tensor<1x1x4x4xf32>
  %o3 = cnn.quantize %r3 {scale = 0.1 : f32, zero_point = 0 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xui8>
  %y2 = cnn.conv2d %x, %w {cnn.weight_scales = array<f32: 0.5>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %r2 = cnn.relu %y2 : tensor<1x1x4x4xf32>
  %o2 = cnn.quantize %r2 {scale = 0.01 : f32, zero_point = 5 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xui8>
  return %o0, %o1, %o3, %o2 : tensor<1x1x4x4xui8>, tensor<1x1x4x4xui8>, tensor<1x1x4x4xui8>, tensor<1x1x4x4xui8>
}

// -----

// Left in f32: weights that need -128 (qconv2d's weights are symmetric),
// weights without the model's scales, and a grouped conv with two outputs
// per group (depthwise ones, one channel per group, become int8: below). A
// conv whose f32 result has another reader writes f32, which both read.
// CHECK-LABEL: func.func @not_int8
// CHECK-COUNT-3: cnn.conv2d
// CHECK-NOT: cnn.conv2d
// CHECK: %[[Y3:.*]] = cnn.qconv2d {{.*}}input_zero_point = 0 : i64, weight_scales = {{.*}} -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[O3:.*]] = cnn.quantize %[[Y3]]
// CHECK-NEXT: return {{.*}}, %[[O3]], %[[Y3]] :
func.func @not_int8(%q: tensor<1x2x4x4xui8>) -> (tensor<1x2x4x4xui8>, tensor<1x2x4x4xui8>, tensor<1x4x4x4xui8>, tensor<1x2x4x4xui8>, tensor<1x2x4x4xf32>) {
  %x = cnn.dequantize %q {scale = 0.05 : f32, zero_point = 0 : i64} : (tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xf32>
  %w128 = cnn.constant dense<-64.0> : tensor<2x2x1x1xf32>
  %y0 = cnn.conv2d %x, %w128 {cnn.weight_scales = array<f32: 0.5, 0.5>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %o0 = cnn.quantize %y0 {scale = 0.1 : f32, zero_point = 0 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xui8>
  %w = cnn.constant dense<0.5> : tensor<2x2x1x1xf32>
  %y1 = cnn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %o1 = cnn.quantize %y1 {scale = 0.1 : f32, zero_point = 0 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xui8>
  %wg = cnn.constant dense<0.5> : tensor<4x1x1x1xf32>
  %y2 = cnn.conv2d %x, %wg {groups = 2 : i64, cnn.weight_scales = array<f32: 0.5, 0.5, 0.5, 0.5>} : (tensor<1x2x4x4xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x4x4xf32>
  %o2 = cnn.quantize %y2 {scale = 0.1 : f32, zero_point = 0 : i64} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xui8>
  %y3 = cnn.conv2d %x, %w {cnn.weight_scales = array<f32: 0.5, 0.5>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %o3 = cnn.quantize %y3 {scale = 0.1 : f32, zero_point = 0 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xui8>
  return %o0, %o1, %o2, %o3, %y3 : tensor<1x2x4x4xui8>, tensor<1x2x4x4xui8>, tensor<1x4x4x4xui8>, tensor<1x2x4x4xui8>, tensor<1x2x4x4xf32>
}

// -----

// A depthwise conv (one channel per group): an int8 conv with its groups.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}1, -2], [3, 4]]], {{\[\[\[}}-127, 0], [5, 6]]]]> : tensor<2x1x2x2xi8>
// CHECK: cnn.qconv2d %arg0, %[[W]] {groups = 2 : i64, input_scale = 5.000000e-02 : f32, input_zero_point = 3 : i64, output_scale = 1.000000e-01 : f32, output_zero_point = 7 : i64, weight_scales = array<f32: 2.500000e-01, 1.250000e-01>}
// CHECK-NOT: cnn.conv2d
func.func @depthwise(%q: tensor<1x2x4x4xui8>) -> tensor<1x2x3x3xui8> {
  %x = cnn.dequantize %q {scale = 0.05 : f32, zero_point = 3 : i64} : (tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xf32>
  %w = cnn.constant dense<[[[[0.25, -0.5], [0.75, 1.0]]], [[[-15.875, 0.0], [0.625, 0.75]]]]> : tensor<2x1x2x2xf32>
  %y = cnn.conv2d %x, %w {groups = 2 : i64, cnn.weight_scales = array<f32: 0.25, 0.125>} : (tensor<1x2x4x4xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x3x3xf32>
  %o = cnn.quantize %y {scale = 0.1 : f32, zero_point = 7 : i64} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xui8>
  return %o : tensor<1x2x3x3xui8>
}

// -----

// A QDQ model's last conv and linear layer, whose f32 results nothing
// quantizes: int8 with an f32 output (no output parameters). The linear
// layer is a 1x1 conv on a 1x1 map, its dequantized input quantized back
// to the same integers.
// CHECK-LABEL: func.func @float_outputs
// CHECK: %[[Y:.*]] = cnn.qconv2d %arg0, {{.*}} {input_scale = 5.000000e-02 : f32, input_zero_point = 10 : i64, padding = array<i64: 1, 1, 1, 1>, weight_scales = array<f32: 5.000000e-01, 2.500000e-01>} : {{.*}} -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[S:.*]] = cnn.sigmoid %[[Y]]
// CHECK: %[[M:.*]] = cnn.reshape %{{.*}} : tensor<1x3xf32> -> tensor<1x3x1x1xf32>
// CHECK-NEXT: %[[Q:.*]] = cnn.quantize %[[M]] {scale = 2.000000e-02 : f32, zero_point = 128 : i64}
// CHECK: %[[L:.*]] = cnn.qconv2d %[[Q]], %{{.*}}, %{{.*}} {input_scale = 2.000000e-02 : f32, input_zero_point = 128 : i64, weight_scales = array<f32: 1.000000e-01, 2.000000e-01>} : {{.*}} -> tensor<1x2x1x1xf32>
// CHECK-NEXT: %[[F:.*]] = cnn.reshape %[[L]] : tensor<1x2x1x1xf32> -> tensor<1x2xf32>
// CHECK-NEXT: return %[[S]], %[[F]]
// CHECK-NOT: cnn.conv2d
// CHECK-NOT: cnn.linear
func.func @float_outputs(%q: tensor<1x2x4x4xui8>, %p: tensor<1x3xui8>) -> (tensor<1x2x4x4xf32>, tensor<1x2xf32>) {
  %x = cnn.dequantize %q {scale = 0.05 : f32, zero_point = 10 : i64} : (tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xf32>
  %w = cnn.constant dense<[[[[1.0, 0.5, 0.0], [-0.5, 1.0, 0.0], [0.0, 0.0, 63.5]], [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]], [[[0.25, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[-31.75, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.5]]]]> : tensor<2x2x3x3xf32>
  %y = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, cnn.weight_scales = array<f32: 0.5, 0.25>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %s = cnn.sigmoid %y : tensor<1x2x4x4xf32>
  %v = cnn.dequantize %p {scale = 0.02 : f32, zero_point = 128 : i64} : (tensor<1x3xui8>) -> tensor<1x3xf32>
  %lw = cnn.constant dense<[[0.1, -0.2, 12.7], [0.4, 0.0, -25.4]]> : tensor<2x3xf32>
  %lb = cnn.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %l = cnn.linear %v, %lw, %lb {cnn.weight_scales = array<f32: 0.1, 0.2>} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %s, %l : tensor<1x2x4x4xf32>, tensor<1x2xf32>
}
