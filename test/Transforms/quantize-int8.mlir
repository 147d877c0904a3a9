// RUN: cnn-opt %s --cnn-quantize-int8 --canonicalize --split-input-file | FileCheck %s

// Two calibrated convs, the first with its ReLU. The input's range [-1, 3]
// gives scale 4 / 255 and zero point 64; the ReLU's [0, 2.55] scale 0.01 and
// zero point 0 (u8 saturation is the ReLU). Weights are per output channel:
// channel 0's largest |w| is 1.0 (scale 1/127: 0.5 -> 64, -0.25 -> -32),
// channel 1's 0.4 (0.3 / (0.4 / 127) = 95.25 -> 95). The dequantize ->
// quantize between the convs has the same parameters both sides and folds
// away: the second conv reads the first's u8 output.
// CHECK-LABEL: func.func @relu_chain
// CHECK-DAG: %[[W2:.*]] = cnn.constant dense<127> : tensor<2x2x3x3xi8>
// CHECK-DAG: %[[W1:.*]] = cnn.constant dense<{{\[\[\[\[}}64]], {{\[\[}}-32]], {{\[\[}}127]], {{\[\[}}0]]], {{\[\[\[}}32]], {{\[\[}}64]], {{\[\[}}-127]], {{\[\[}}95]]]]> : tensor<2x4x1x1xi8>
// CHECK-DAG: %[[B1:.*]] = cnn.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK: %[[Q:.*]] = cnn.quantize %arg0 {scale = 0.0156862754 : f32, zero_point = 64 : i64}
// CHECK: %[[C1:.*]] = cnn.qconv2d %[[Q]], %[[W1]], %[[B1]] {input_scale = 0.0156862754 : f32, input_zero_point = 64 : i64, output_scale = 0.00999999977 : f32, output_zero_point = 0 : i64, weight_scales = array<f32: 0.00787401571, 0.00314960629>}
// CHECK-NOT: cnn.relu
// CHECK: %[[C2:.*]] = cnn.qconv2d %[[C1]], %[[W2]] {input_scale = 0.00999999977 : f32, input_zero_point = 0 : i64, output_scale = 0.0313725509 : f32, output_zero_point = 127 : i64, padding = array<i64: 1, 1, 1, 1>
// CHECK: %[[Y:.*]] = cnn.dequantize %[[C2]] {scale = 0.0313725509 : f32, zero_point = 127 : i64}
// CHECK: return %[[Y]]
func.func @relu_chain(%x: tensor<1x4x6x6xf32>) -> tensor<1x2x6x6xf32> {
  %w1 = cnn.constant dense<[[[[0.5]], [[-0.25]], [[1.0]], [[0.0]]], [[[0.1]], [[0.2]], [[-0.4]], [[0.3]]]]> : tensor<2x4x1x1xf32>
  %b1 = cnn.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %0 = cnn.conv2d %x, %w1, %b1 {cnn.input_range = array<f32: -1.0, 3.0>, cnn.output_range = array<f32: 0.0, 2.55>} : (tensor<1x4x6x6xf32>, tensor<2x4x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  %1 = cnn.relu %0 : tensor<1x2x6x6xf32>
  %w2 = cnn.constant dense<1.0> : tensor<2x2x3x3xf32>
  %2 = cnn.conv2d %1, %w2 {padding = array<i64: 1, 1, 1, 1>, cnn.input_range = array<f32: 0.0, 2.55>, cnn.output_range = array<f32: -4.0, 4.0>} : (tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x6x6xf32>
  return %2 : tensor<1x2x6x6xf32>
}

// -----

// Left in f32: a conv without ranges, a grouped conv, and a conv whose
// weights are an argument rather than a constant.
// CHECK-LABEL: func.func @not_quantized
// CHECK-NOT: cnn.quantize
// CHECK-NOT: cnn.qconv2d
// CHECK-COUNT-3: cnn.conv2d
func.func @not_quantized(%x: tensor<1x4x6x6xf32>, %wa: tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %w = cnn.constant dense<1.0> : tensor<4x4x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %wg = cnn.constant dense<1.0> : tensor<4x2x1x1xf32>
  %1 = cnn.conv2d %0, %wg {groups = 2 : i64, cnn.input_range = array<f32: -1.0, 1.0>, cnn.output_range = array<f32: -1.0, 1.0>} : (tensor<1x4x6x6xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x6x6xf32>
  %2 = cnn.conv2d %1, %wa {cnn.input_range = array<f32: -1.0, 1.0>, cnn.output_range = array<f32: -1.0, 1.0>} : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %2 : tensor<1x4x6x6xf32>
}

// -----

// A ReLU6 with a second reader of the conv's result is not folded: the
// conv's own output is quantized, and the ReLU6 runs in f32 after it.
// CHECK-LABEL: func.func @shared_result
// CHECK: cnn.qconv2d
// CHECK-SAME: output_zero_point = 64 : i64
// CHECK: %[[D:.*]] = cnn.dequantize
// CHECK: cnn.relu6 %[[D]]
// CHECK: cnn.add
func.func @shared_result(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %w = cnn.constant dense<0.5> : tensor<4x4x1x1xf32>
  %0 = cnn.conv2d %x, %w {cnn.input_range = array<f32: -1.0, 3.0>, cnn.output_range = array<f32: -2.0, 6.0>} : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.relu6 %0 : tensor<1x4x6x6xf32>
  %2 = cnn.add %1, %0 : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %2 : tensor<1x4x6x6xf32>
}

// -----

// A stem: conv + ReLU, max pool, then a conv and a residual add that both
// read the pool. The pool runs on the u8 values (same parameters before and
// after it), and the residual reads them dequantized: no f32 copy of the
// pooled map is left.
// CHECK-LABEL: func.func @stem_and_residual
// CHECK: %[[C1:.*]] = cnn.qconv2d
// CHECK: %[[P:.*]] = cnn.max_pool2d %[[C1]] {{.*}} : (tensor<1x4x8x8xui8>) -> tensor<1x4x4x4xui8>
// CHECK-DAG: %[[C2:.*]] = cnn.qconv2d %[[P]]
// CHECK-DAG: %[[S:.*]] = cnn.dequantize %[[P]] {scale = 0.0117647061 : f32, zero_point = 0 : i64}
// CHECK-DAG: %[[D:.*]] = cnn.dequantize %[[C2]]
// CHECK: cnn.add %[[D]], %[[S]]
func.func @stem_and_residual(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %w1 = cnn.constant dense<0.5> : tensor<4x3x3x3xf32>
  %0 = cnn.conv2d %x, %w1 {padding = array<i64: 1, 1, 1, 1>, cnn.input_range = array<f32: -1.0, 1.0>, cnn.output_range = array<f32: 0.0, 3.0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.relu %0 : tensor<1x4x8x8xf32>
  %2 = cnn.max_pool2d %1 {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %w2 = cnn.constant dense<0.25> : tensor<4x4x1x1xf32>
  %3 = cnn.conv2d %2, %w2 {cnn.input_range = array<f32: 0.0, 3.0>, cnn.output_range = array<f32: -1.0, 3.0>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %4 = cnn.add %3, %2 : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %4 : tensor<1x4x4x4xf32>
}

// -----

// A stem in f32, its max pool read by two int8 convs: the pool moves after
// the quantize (quantizing is monotonic, so the two orders give the same
// u8 values) and pools u8 values; both convs read it.
// CHECK-LABEL: func.func @stem_pool
// CHECK: %[[R:.*]] = cnn.relu
// CHECK-NEXT: %[[Q:.*]] = cnn.quantize %[[R]] {scale = 0.0117647061 : f32, zero_point = 0 : i64}
// CHECK-NEXT: %[[P:.*]] = cnn.max_pool2d %[[Q]] {{.*}} -> tensor<1x4x4x4xui8>
// CHECK-NOT: cnn.quantize
// CHECK: cnn.qconv2d %[[P]]
// CHECK: cnn.qconv2d %[[P]]
func.func @stem_pool(%x: tensor<1x3x8x8xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) {
  %w0 = cnn.constant dense<0.5> : tensor<4x3x3x3xf32>
  %0 = cnn.conv2d %x, %w0 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.relu %0 : tensor<1x4x8x8xf32>
  %2 = cnn.max_pool2d %1 {kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %w1 = cnn.constant dense<1.0> : tensor<4x4x1x1xf32>
  %3 = cnn.conv2d %2, %w1 {cnn.input_range = array<f32: 0.0, 3.0>, cnn.output_range = array<f32: 0.0, 12.0>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %4 = cnn.conv2d %2, %w1 {cnn.input_range = array<f32: 0.0, 3.0>, cnn.output_range = array<f32: 0.0, 12.0>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  return %3, %4 : tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>
}
