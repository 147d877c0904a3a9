// RUN: cnn-opt %s --cnn-fuse-conv-epilogue --split-input-file | FileCheck %s

// A ResNet block's tail: conv, BN, residual add, ReLU become one group,
// placed where the ReLU was (after the shortcut it reads).
// CHECK-LABEL: func.func @resnet_tail
// CHECK: %[[SHORT:.*]] = cnn.relu %arg1
// CHECK: %[[G:.*]] = cnn.group conv : tensor<1x4x8x8xf32> {
// CHECK-NEXT:   %[[C:.*]] = cnn.conv2d %arg0
// CHECK-NEXT:   %[[N:.*]] = cnn.batch_norm %[[C]]
// CHECK-NEXT:   %[[A:.*]] = cnn.add %[[N]], %[[SHORT]]
// CHECK-NEXT:   %[[R:.*]] = cnn.relu %[[A]]
// CHECK-NEXT:   cnn.yield %[[R]] : tensor<1x4x8x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @resnet_tail(%x: tensor<1x4x8x8xf32>, %s: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %c: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.batch_norm %0, %c, %c, %c, %c : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %short = cnn.relu %s : tensor<1x4x8x8xf32>
  %2 = cnn.add %1, %short : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %3 = cnn.relu %2 : tensor<1x4x8x8xf32>
  return %3 : tensor<1x4x8x8xf32>
}

// -----

// ConvNeXt's projection: bias in the conv, layer scale, residual.
// CHECK-LABEL: func.func @layer_scale_residual
// CHECK: cnn.group conv
// CHECK-NEXT: cnn.conv2d
// CHECK-NEXT: cnn.mul
// CHECK-NEXT: cnn.add
// CHECK-NEXT: cnn.yield
func.func @layer_scale_residual(%x: tensor<1x8x4x4xf32>, %w: tensor<4x8x1x1xf32>, %b: tensor<4xf32>, %s: tensor<4x1x1xf32>, %r: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x8x4x4xf32>, tensor<4x8x1x1xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  %1 = cnn.mul %0, %s : (tensor<1x4x4x4xf32>, tensor<4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %2 = cnn.add %1, %r : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %2 : tensor<1x4x4x4xf32>
}

// -----

// The conv result has a second user: nothing may fuse.
// CHECK-LABEL: func.func @multi_user
// CHECK-NOT: cnn.group
// CHECK: %[[C:.*]] = cnn.conv2d
// CHECK: cnn.relu %[[C]]
// CHECK: cnn.add %{{.*}}, %[[C]]
func.func @multi_user(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.relu %0 : tensor<1x4x8x8xf32>
  %2 = cnn.add %1, %0 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %2 : tensor<1x4x8x8xf32>
}

// -----

// A broadcasting add is not a residual (its operands' shapes differ): the
// chain stops at it, and the activation behind it is not pulled across.
// CHECK-LABEL: func.func @mismatched_residual
// CHECK-NOT: cnn.group
// CHECK: cnn.conv2d
// CHECK: cnn.add
// CHECK: cnn.relu
func.func @mismatched_residual(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %bias: tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.add %0, %bias : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %2 = cnn.relu %1 : tensor<1x4x8x8xf32>
  return %2 : tensor<1x4x8x8xf32>
}

// -----

// Out of order: an activation then a BatchNorm. The group takes the conv and
// the activation only.
// CHECK-LABEL: func.func @order
// CHECK: %[[G:.*]] = cnn.group conv
// CHECK-NEXT: cnn.conv2d
// CHECK-NEXT: cnn.relu6
// CHECK-NEXT: cnn.yield
// CHECK: cnn.batch_norm %[[G]]
func.func @order(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %c: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.relu6 %0 : tensor<1x4x8x8xf32>
  %2 = cnn.batch_norm %1, %c, %c, %c, %c : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %2 : tensor<1x4x8x8xf32>
}

// -----

// Any activation (ActivationOpInterface) is an epilogue: EfficientNet's
// conv -> BN -> SiLU.
// CHECK-LABEL: func.func @silu_epilogue
// CHECK: %[[G:.*]] = cnn.group conv : tensor<1x4x8x8xf32> {
// CHECK-NEXT:   %[[C:.*]] = cnn.conv2d %arg0
// CHECK-NEXT:   %[[N:.*]] = cnn.batch_norm %[[C]]
// CHECK-NEXT:   %[[S:.*]] = cnn.silu %[[N]]
// CHECK-NEXT:   cnn.yield %[[S]] : tensor<1x4x8x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @silu_epilogue(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %c: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.batch_norm %0, %c, %c, %c, %c : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %2 = cnn.silu %1 : tensor<1x4x8x8xf32>
  return %2 : tensor<1x4x8x8xf32>
}

// -----

// An f32 stem feeding int8 convs: its quantize ends the epilogue, so the
// group writes u8 values; nothing joins after it.
// CHECK-LABEL: func.func @stem_quantized
// CHECK: %[[G:.*]] = cnn.group conv : tensor<1x4x8x8xui8> {
// CHECK-NEXT:   %[[C:.*]] = cnn.conv2d %arg0
// CHECK-NEXT:   %[[R:.*]] = cnn.relu6 %[[C]]
// CHECK-NEXT:   %[[Q:.*]] = cnn.quantize %[[R]]
// CHECK-NEXT:   cnn.yield %[[Q]] : tensor<1x4x8x8xui8>
// CHECK-NEXT: }
// CHECK-NEXT: cnn.dequantize %[[G]]
func.func @stem_quantized(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.relu6 %0 : tensor<1x4x8x8xf32>
  %2 = cnn.quantize %1 {scale = 0.0235294122 : f32, zero_point = 0 : i64} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xui8>
  %3 = cnn.dequantize %2 {scale = 0.0235294122 : f32, zero_point = 0 : i64} : (tensor<1x4x8x8xui8>) -> tensor<1x4x8x8xf32>
  return %3 : tensor<1x4x8x8xf32>
}

// -----

// An int8 residual block's tail: the conv's dequantize, the other branch's
// dequantize, the add, the ReLU and the quantize join the int8 conv, so the
// stage reads both branches' u8 values and writes u8 values once.
// CHECK-LABEL: func.func @int8_residual
// CHECK: %[[G:.*]] = cnn.group conv : tensor<1x16x8x8xui8> {
// CHECK-NEXT:   %[[C:.*]] = cnn.qconv2d %arg0
// CHECK-NEXT:   %[[D:.*]] = cnn.dequantize %[[C]]
// CHECK-NEXT:   %[[S:.*]] = cnn.dequantize %arg1
// CHECK-NEXT:   %[[A:.*]] = cnn.add %[[D]], %[[S]]
// CHECK-NEXT:   %[[R:.*]] = cnn.relu %[[A]]
// CHECK-NEXT:   %[[Q:.*]] = cnn.quantize %[[R]]
// CHECK-NEXT:   cnn.yield %[[Q]] : tensor<1x16x8x8xui8>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @int8_residual(%x: tensor<1x16x8x8xui8>, %s: tensor<1x16x8x8xui8>, %w: tensor<16x16x1x1xi8>, %b: tensor<16xf32>) -> tensor<1x16x8x8xui8> {
  %0 = cnn.qconv2d %x, %w, %b {input_scale = 5.000000e-02 : f32, input_zero_point = 0 : i64, output_scale = 1.000000e-01 : f32, output_zero_point = 128 : i64, weight_scales = array<f32: 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5>} : (tensor<1x16x8x8xui8>, tensor<16x16x1x1xi8>, tensor<16xf32>) -> tensor<1x16x8x8xui8>
  %1 = cnn.dequantize %0 {scale = 1.000000e-01 : f32, zero_point = 128 : i64} : (tensor<1x16x8x8xui8>) -> tensor<1x16x8x8xf32>
  %2 = cnn.dequantize %s {scale = 2.000000e-01 : f32, zero_point = 0 : i64} : (tensor<1x16x8x8xui8>) -> tensor<1x16x8x8xf32>
  %3 = cnn.add %1, %2 : (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %4 = cnn.relu %3 : tensor<1x16x8x8xf32>
  %5 = cnn.quantize %4 {scale = 2.000000e-01 : f32, zero_point = 0 : i64} : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xui8>
  return %5 : tensor<1x16x8x8xui8>
}

// -----

// An int8 conv whose u8 result another conv also reads keeps it: nothing
// joins. One read only by a dequantize writes f32 values itself.
// CHECK-LABEL: func.func @int8_shared_and_last
// CHECK: %[[C:.*]] = cnn.qconv2d %arg0
// CHECK-NEXT: cnn.dequantize %[[C]]
// CHECK: cnn.group conv : tensor<1x16x8x8xf32> {
// CHECK-NEXT:   %[[L:.*]] = cnn.qconv2d %[[C]]
// CHECK-NEXT:   %[[F:.*]] = cnn.dequantize %[[L]]
// CHECK-NEXT:   cnn.yield %[[F]] : tensor<1x16x8x8xf32>
func.func @int8_shared_and_last(%x: tensor<1x16x8x8xui8>, %w: tensor<16x16x1x1xi8>) -> (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) {
  %0 = cnn.qconv2d %x, %w {input_scale = 5.000000e-02 : f32, input_zero_point = 0 : i64, output_scale = 1.000000e-01 : f32, output_zero_point = 0 : i64, weight_scales = array<f32: 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5>} : (tensor<1x16x8x8xui8>, tensor<16x16x1x1xi8>) -> tensor<1x16x8x8xui8>
  %1 = cnn.dequantize %0 {scale = 1.000000e-01 : f32, zero_point = 0 : i64} : (tensor<1x16x8x8xui8>) -> tensor<1x16x8x8xf32>
  %2 = cnn.qconv2d %0, %w {input_scale = 1.000000e-01 : f32, input_zero_point = 0 : i64, output_scale = 1.000000e-01 : f32, output_zero_point = 0 : i64, weight_scales = array<f32: 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5>} : (tensor<1x16x8x8xui8>, tensor<16x16x1x1xi8>) -> tensor<1x16x8x8xui8>
  %3 = cnn.dequantize %2 {scale = 1.000000e-01 : f32, zero_point = 0 : i64} : (tensor<1x16x8x8xui8>) -> tensor<1x16x8x8xf32>
  return %1, %3 : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>
}
