// Every op of the dialect survives print -> parse -> print.
// RUN: cnn-opt %s | cnn-opt | FileCheck %s

// CHECK-LABEL: func.func @params
func.func @params() -> (tensor<4xf32>, tensor<2x3xf32>) {
  // CHECK: cnn.weight "fc.bias" : tensor<4xf32>
  %w = cnn.weight "fc.bias" : tensor<4xf32>
  // CHECK: cnn.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
  %c = cnn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  return %w, %c : tensor<4xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @conv_transpose
func.func @conv_transpose(%x: tensor<1x8x5x5xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x6x10x10xf32> {
  // CHECK: cnn.conv_transpose2d %{{.*}}, %{{.*}} {groups = 2 : i64, output_padding = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x8x5x5xf32>, tensor<8x3x3x3xf32>) -> tensor<1x6x10x10xf32>
  %0 = cnn.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>, groups = 2 : i64} : (tensor<1x8x5x5xf32>, tensor<8x3x3x3xf32>) -> tensor<1x6x10x10xf32>
  return %0 : tensor<1x6x10x10xf32>
}

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x8x10x10xf32>, %w: tensor<16x4x3x3xf32>, %b: tensor<16xf32>) -> (tensor<1x16x5x5xf32>, tensor<1x16x8x8xf32>) {
  // CHECK: cnn.conv2d %{{.*}}, %{{.*}}, %{{.*}} {dilation = array<i64: 1, 2>, groups = 2 : i64, padding = array<i64: 1, 2, 1, 2>, stride = array<i64: 2, 2>} : (tensor<1x8x10x10xf32>, tensor<16x4x3x3xf32>, tensor<16xf32>) -> tensor<1x16x5x5xf32>
  %0 = cnn.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 2, 1, 2>, dilation = array<i64: 1, 2>, groups = 2 : i64} : (tensor<1x8x10x10xf32>, tensor<16x4x3x3xf32>, tensor<16xf32>) -> tensor<1x16x5x5xf32>
  // Default attributes are not printed.
  // CHECK: cnn.conv2d %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<1x8x10x10xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x8x8xf32>
  %1 = cnn.conv2d %x, %w {groups = 2 : i64, stride = array<i64: 1, 1>} : (tensor<1x8x10x10xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %0, %1 : tensor<1x16x5x5xf32>, tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @conv_padding_values
func.func @conv_padding_values(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x4x4xf32> {
  // CHECK: cnn.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>, padding_values = array<f32: 1.000000e+00, -2.500000e-01, 0.000000e+00>}
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, padding_values = array<f32: 1.0, -0.25, 0.0>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) {
  // CHECK: cnn.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %0 = cnn.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-3 : f64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %1 = cnn.layer_norm %x, %c, %c : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.group_norm %{{.*}}, %{{.*}}, %{{.*}} {groups = 3 : i64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %2 = cnn.group_norm %1, %c, %c {groups = 3 : i64, epsilon = 1.0e-5 : f64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return %0, %2 : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  // CHECK: cnn.relu %{{.*}} : tensor<1x3x4x4xf32>
  %0 = cnn.relu %x : tensor<1x3x4x4xf32>
  // CHECK: cnn.relu6 %{{.*}} : tensor<1x3x4x4xf32>
  %1 = cnn.relu6 %0 : tensor<1x3x4x4xf32>
  // CHECK: cnn.gelu %{{.*}} : tensor<1x3x4x4xf32>
  %2 = cnn.gelu %1 : tensor<1x3x4x4xf32>
  // CHECK: cnn.gelu %{{.*}} approximate tanh : tensor<1x3x4x4xf32>
  %3 = cnn.gelu %2 approximate tanh : tensor<1x3x4x4xf32>
  // CHECK: cnn.sigmoid %{{.*}} : tensor<1x3x4x4xf32>
  %4 = cnn.sigmoid %3 : tensor<1x3x4x4xf32>
  // CHECK: cnn.hardswish %{{.*}} : tensor<1x3x4x4xf32>
  %5 = cnn.hardswish %4 : tensor<1x3x4x4xf32>
  // CHECK: cnn.silu %{{.*}} : tensor<1x3x4x4xf32>
  %6 = cnn.silu %5 : tensor<1x3x4x4xf32>
  // CHECK: cnn.tanh %{{.*}} : tensor<1x3x4x4xf32>
  %7 = cnn.tanh %6 : tensor<1x3x4x4xf32>
  // CHECK: cnn.sqrt %{{.*}} : tensor<1x3x4x4xf32>
  %8 = cnn.sqrt %7 : tensor<1x3x4x4xf32>
  // CHECK: cnn.erf %{{.*}} : tensor<1x3x4x4xf32>
  %9 = cnn.erf %8 : tensor<1x3x4x4xf32>
  // CHECK: cnn.softplus
  %10 = cnn.softplus %9 : tensor<1x3x4x4xf32>
  // CHECK: cnn.softsign
  %11 = cnn.softsign %10 : tensor<1x3x4x4xf32>
  // CHECK: cnn.mish
  %12 = cnn.mish %11 : tensor<1x3x4x4xf32>
  // CHECK: cnn.exp
  %13 = cnn.exp %12 : tensor<1x3x4x4xf32>
  // CHECK: cnn.log
  %14 = cnn.log %13 : tensor<1x3x4x4xf32>
  // CHECK: cnn.abs
  %15 = cnn.abs %14 : tensor<1x3x4x4xf32>
  // CHECK: cnn.neg
  %16 = cnn.neg %15 : tensor<1x3x4x4xf32>
  // CHECK: cnn.reciprocal
  %17 = cnn.reciprocal %16 : tensor<1x3x4x4xf32>
  // Parameters are attributes, with PyTorch's defaults.
  // CHECK: cnn.leaky_relu %{{.*}} : tensor<1x3x4x4xf32>
  %18 = cnn.leaky_relu %17 : tensor<1x3x4x4xf32>
  // CHECK: cnn.leaky_relu %{{.*}} {alpha = 2.000000e-01 : f64} : tensor<1x3x4x4xf32>
  %19 = cnn.leaky_relu %18 {alpha = 0.2 : f64} : tensor<1x3x4x4xf32>
  // CHECK: cnn.elu %{{.*}} {alpha = 5.000000e-01 : f64}
  %20 = cnn.elu %19 {alpha = 0.5 : f64} : tensor<1x3x4x4xf32>
  // CHECK: cnn.celu %{{.*}} : tensor<1x3x4x4xf32>
  %21 = cnn.celu %20 : tensor<1x3x4x4xf32>
  // CHECK: cnn.selu %{{.*}} : tensor<1x3x4x4xf32>
  %22 = cnn.selu %21 : tensor<1x3x4x4xf32>
  // CHECK: cnn.clip %{{.*}} {max = 1.000000e+00 : f64, min = -1.000000e+00 : f64}
  %23 = cnn.clip %22 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x3x4x4xf32>
  // CHECK: cnn.pow %{{.*}} {exponent = 1.500000e+00 : f64}
  %24 = cnn.pow %23 {exponent = 1.5 : f64} : tensor<1x3x4x4xf32>
  return %24 : tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%x: tensor<1x3x4x4xf32>, %s: tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32> {
  // CHECK: cnn.add %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %0 = cnn.add %x, %x : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.mul %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = cnn.mul %0, %s : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.sub %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %2 = cnn.sub %1, %s : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.div %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %q = cnn.div %2, %s : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.prelu %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %3 = cnn.prelu %q, %s : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.reduce_mean %{{.*}} {axes = array<i64: 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32>
  %4 = cnn.reduce_mean %3 {axes = array<i64: 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: cnn.reduce_mean %{{.*}} {axes = array<i64: 2, 3>, keepdim = false} : (tensor<1x3x4x4xf32>) -> tensor<1x3xf32>
  %5 = cnn.reduce_mean %3 {axes = array<i64: 2, 3>, keepdim = false} : (tensor<1x3x4x4xf32>) -> tensor<1x3xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @pools
func.func @pools(%x: tensor<1x3x7x7xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x3x3xf32>, tensor<1x3x2x2xf32>) {
  // CHECK: cnn.max_pool2d %{{.*}} {ceil_mode = true, kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x3x7x7xf32>) -> tensor<1x3x4x4xf32>
  %0 = cnn.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x3x7x7xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.avg_pool2d %{{.*}} {count_include_pad = false, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 3, 3>} : (tensor<1x3x7x7xf32>) -> tensor<1x3x3x3xf32>
  %1 = cnn.avg_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false} : (tensor<1x3x7x7xf32>) -> tensor<1x3x3x3xf32>
  // CHECK: cnn.adaptive_avg_pool2d %{{.*}} {output_size = array<i64: 2, 2>} : (tensor<1x3x7x7xf32>) -> tensor<1x3x2x2xf32>
  %2 = cnn.adaptive_avg_pool2d %x {output_size = array<i64: 2, 2>} : (tensor<1x3x7x7xf32>) -> tensor<1x3x2x2xf32>
  return %0, %1, %2 : tensor<1x3x4x4xf32>, tensor<1x3x3x3xf32>, tensor<1x3x2x2xf32>
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<2x8x1x1xf32>, %w: tensor<384x96xf32>, %a: tensor<1x2x4x4xf32>, %b: tensor<1x6x4x4xf32>) -> (tensor<2x8xf32>, tensor<384x96x1x1xf32>, tensor<1x8x4x4xf32>) {
  // CHECK: cnn.flatten %{{.*}} : (tensor<2x8x1x1xf32>) -> tensor<2x8xf32>
  %0 = cnn.flatten %x : (tensor<2x8x1x1xf32>) -> tensor<2x8xf32>
  // CHECK: cnn.reshape %{{.*}} : tensor<384x96xf32> -> tensor<384x96x1x1xf32>
  %1 = cnn.reshape %w : tensor<384x96xf32> -> tensor<384x96x1x1xf32>
  // CHECK: cnn.concat %{{.*}}, %{{.*}} : (tensor<1x2x4x4xf32>, tensor<1x6x4x4xf32>) -> tensor<1x8x4x4xf32>
  %2 = cnn.concat %a, %b : (tensor<1x2x4x4xf32>, tensor<1x6x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %0, %1, %2 : tensor<2x8xf32>, tensor<384x96x1x1xf32>, tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @shuffle
func.func @shuffle(%x: tensor<1x48x8x8xf32>) -> (tensor<1x24x8x8xf32>, tensor<1x48x8x8xf32>, tensor<1x48x8x8xf32>) {
  // CHECK: cnn.slice %{{.*}} {axis = 1 : i64, end = 48 : i64, start = 24 : i64} : (tensor<1x48x8x8xf32>) -> tensor<1x24x8x8xf32>
  %0 = cnn.slice %x {axis = 1 : i64, start = 24 : i64, end = 48 : i64} : (tensor<1x48x8x8xf32>) -> tensor<1x24x8x8xf32>
  // CHECK: cnn.channel_shuffle %{{.*}} {groups = 2 : i64} : (tensor<1x48x8x8xf32>) -> tensor<1x48x8x8xf32>
  %1 = cnn.channel_shuffle %x {groups = 2 : i64} : (tensor<1x48x8x8xf32>) -> tensor<1x48x8x8xf32>
  // CHECK: cnn.hardsigmoid %{{.*}} : tensor<1x48x8x8xf32>
  %2 = cnn.hardsigmoid %x : tensor<1x48x8x8xf32>
  // CHECK: cnn.depth_to_space %{{.*}} {block_size = 2 : i64, mode = "crd"} : (tensor<1x48x8x8xf32>) -> tensor<1x12x16x16xf32>
  %3 = cnn.depth_to_space %x {block_size = 2 : i64, mode = "crd"} : (tensor<1x48x8x8xf32>) -> tensor<1x12x16x16xf32>
  // CHECK: cnn.depth_to_space %{{.*}} {block_size = 4 : i64} : (tensor<1x48x8x8xf32>) -> tensor<1x3x32x32xf32>
  %4 = cnn.depth_to_space %x {block_size = 4 : i64} : (tensor<1x48x8x8xf32>) -> tensor<1x3x32x32xf32>
  // CHECK: cnn.max %{{.*}}, %{{.*}} : (tensor<1x48x8x8xf32>, tensor<1x48x8x8xf32>) -> tensor<1x48x8x8xf32>
  %mx = cnn.max %x, %x : (tensor<1x48x8x8xf32>, tensor<1x48x8x8xf32>) -> tensor<1x48x8x8xf32>
  // CHECK: cnn.min %{{.*}}, %{{.*}} : (tensor<1x48x8x8xf32>, tensor<1x48x8x8xf32>) -> tensor<1x48x8x8xf32>
  %mn = cnn.min %mx, %x : (tensor<1x48x8x8xf32>, tensor<1x48x8x8xf32>) -> tensor<1x48x8x8xf32>
  // CHECK: cnn.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x48x8x8xf32>) -> tensor<1x8x8x48xf32>
  %t = cnn.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x48x8x8xf32>) -> tensor<1x8x8x48xf32>
  // CHECK: cnn.space_to_depth %{{.*}} {block_size = 2 : i64, mode = "crd"} : (tensor<1x48x8x8xf32>) -> tensor<1x192x4x4xf32>
  %s2d = cnn.space_to_depth %x {block_size = 2 : i64, mode = "crd"} : (tensor<1x48x8x8xf32>) -> tensor<1x192x4x4xf32>
  // CHECK: cnn.resize %{{.*}} {scale_h = 2.000000e+00 : f64, scale_w = 2.000000e+00 : f64} : tensor<1x48x8x8xf32> -> tensor<1x48x16x16xf32>
  %5 = cnn.resize %x {scale_h = 2.0 : f64, scale_w = 2.0 : f64} : tensor<1x48x8x8xf32> -> tensor<1x48x16x16xf32>
  // CHECK: cnn.resize %{{.*}} {coordinates = "align_corners", mode = "linear", scale_h = 1.375{{0*}}e+00 : f64, scale_w = 5.000000e-01 : f64} : tensor<1x48x8x8xf32> -> tensor<1x48x11x4xf32>
  %6 = cnn.resize %x {scale_h = 1.375 : f64, scale_w = 0.5 : f64, mode = "linear", coordinates = "align_corners"} : tensor<1x48x8x8xf32> -> tensor<1x48x11x4xf32>
  return %0, %1, %2 : tensor<1x24x8x8xf32>, tensor<1x48x8x8xf32>, tensor<1x48x8x8xf32>
}

// CHECK-LABEL: func.func @head
func.func @head(%x: tensor<2x512xf32>, %w: tensor<10x512xf32>, %b: tensor<10xf32>) -> (tensor<2x10xf32>, tensor<2x10xf32>) {
  // CHECK: cnn.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  %0 = cnn.linear %x, %w, %b : (tensor<2x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  // CHECK: cnn.linear %{{.*}}, %{{.*}} : (tensor<2x512xf32>, tensor<10x512xf32>) -> tensor<2x10xf32>
  %1 = cnn.linear %x, %w : (tensor<2x512xf32>, tensor<10x512xf32>) -> tensor<2x10xf32>
  // CHECK: cnn.softmax %{{.*}} {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %2 = cnn.softmax %0 {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return %1, %2 : tensor<2x10xf32>, tensor<2x10xf32>
}

// CHECK-LABEL: func.func @reductions_masks_select
func.func @reductions_masks_select(%x: tensor<1x3x4x4xf32>, %c: tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32> {
  // CHECK: cnn.reduce_sum %{{.*}} {axes = array<i64: 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32>
  %0 = cnn.reduce_sum %x {axes = array<i64: 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: cnn.reduce_max %{{.*}} {axes = array<i64: 2, 3>, keepdim = false} : (tensor<1x3x4x4xf32>) -> tensor<1x3xf32>
  %1 = cnn.reduce_max %x {axes = array<i64: 2, 3>, keepdim = false} : (tensor<1x3x4x4xf32>) -> tensor<1x3xf32>
  // CHECK: cnn.reduce_min %{{.*}} {axes = array<i64: 1>}
  %2 = cnn.reduce_min %x {axes = array<i64: 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: cnn.reduce_l1 %{{.*}} {axes = array<i64: 1>}
  %3 = cnn.reduce_l1 %x {axes = array<i64: 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: cnn.reduce_l2 %{{.*}} {axes = array<i64: 1>}
  %4 = cnn.reduce_l2 %x {axes = array<i64: 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: cnn.reduce_sum_square %{{.*}} {axes = array<i64: 1>}
  %5 = cnn.reduce_sum_square %x {axes = array<i64: 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: cnn.log_softmax %{{.*}} {axis = 1 : i64} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %6 = cnn.log_softmax %x {axis = 1 : i64} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.expand %{{.*}} : tensor<1x1x4x4xf32> -> tensor<1x3x4x4xf32>
  %7 = cnn.expand %4 : tensor<1x1x4x4xf32> -> tensor<1x3x4x4xf32>
  // CHECK: cnn.greater %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %8 = cnn.greater %x, %c : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.greater_equal
  %9 = cnn.greater_equal %x, %7 : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.less
  %10 = cnn.less %x, %0 : (tensor<1x3x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.less_equal
  %11 = cnn.less_equal %x, %2 : (tensor<1x3x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.equal
  %12 = cnn.equal %x, %3 : (tensor<1x3x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.argmax %{{.*}} {axes = array<i64: 1>, keepdim = false} : (tensor<1x3x4x4xf32>) -> tensor<1x4x4xf32>
  %argmax = cnn.argmax %x {axes = array<i64: 1>, keepdim = false} : (tensor<1x3x4x4xf32>) -> tensor<1x4x4xf32>
  // CHECK: cnn.argmin %{{.*}} {axes = array<i64: 3>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x1xf32>
  %argmin = cnn.argmin %x {axes = array<i64: 3>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x1xf32>
  // CHECK: cnn.logical_not %{{.*}} : tensor<1x3x4x4xf32>
  %13 = cnn.logical_not %12 : tensor<1x3x4x4xf32>
  // CHECK: cnn.select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %14 = cnn.select %13, %6, %c : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: cnn.pad %{{.*}} {mode = "reflect", padding = array<i64: 1, 2, 3, 0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x6xf32>
  %15 = cnn.pad %14 {padding = array<i64: 1, 2, 3, 0>, mode = "reflect"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x6xf32>
  // CHECK: cnn.pad %{{.*}} {padding = array<i64: 1, 1, 1, 1>, value = 5.000000e-01 : f64} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  %16 = cnn.pad %14 {padding = array<i64: 1, 1, 1, 1>, value = 0.5 : f64} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  return %14 : tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @int8
func.func @int8(%x: tensor<1x16x8x8xf32>, %b: tensor<2xf32>) -> tensor<1x2x8x8xf32> {
  // CHECK: cnn.constant dense<{{\[}}1, -127]> : tensor<2xi8>
  %c = cnn.constant dense<[1, -127]> : tensor<2xi8>
  // CHECK: cnn.quantize %{{.*}} {scale = 5.000000e-02 : f32, zero_point = 128 : i64} : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xui8>
  %q = cnn.quantize %x {scale = 0.05 : f32, zero_point = 128 : i64} : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xui8>
  %w = cnn.constant dense<3> : tensor<2x16x3x3xi8>
  // CHECK: cnn.qconv2d %{{.*}}, %{{.*}}, %{{.*}} {input_scale = 5.000000e-02 : f32, input_zero_point = 128 : i64, output_scale = 4.000000e-02 : f32, output_zero_point = 0 : i64, padding = array<i64: 1, 1, 1, 1>, weight_scales = array<f32: 0.00999999977, 2.000000e-02>} : (tensor<1x16x8x8xui8>, tensor<2x16x3x3xi8>, tensor<2xf32>) -> tensor<1x2x8x8xui8>
  %y = cnn.qconv2d %q, %w, %b {padding = array<i64: 1, 1, 1, 1>, input_scale = 0.05 : f32, input_zero_point = 128 : i64, weight_scales = array<f32: 0.01, 0.02>, output_scale = 0.04 : f32, output_zero_point = 0 : i64} : (tensor<1x16x8x8xui8>, tensor<2x16x3x3xi8>, tensor<2xf32>) -> tensor<1x2x8x8xui8>
  // Without output parameters: an f32 output.
  // CHECK: cnn.qconv2d %{{.*}}, %{{.*}} {input_scale = 5.000000e-02 : f32, input_zero_point = 128 : i64, weight_scales = array<f32: 0.00999999977, 2.000000e-02>} : (tensor<1x16x8x8xui8>, tensor<2x16x3x3xi8>) -> tensor<1x2x6x6xf32>
  %yf = cnn.qconv2d %q, %w {input_scale = 0.05 : f32, input_zero_point = 128 : i64, weight_scales = array<f32: 0.01, 0.02>} : (tensor<1x16x8x8xui8>, tensor<2x16x3x3xi8>) -> tensor<1x2x6x6xf32>
  // CHECK: cnn.dequantize %{{.*}} {scale = 4.000000e-02 : f32, zero_point = 0 : i64} : (tensor<1x2x8x8xui8>) -> tensor<1x2x8x8xf32>
  %d = cnn.dequantize %y {scale = 0.04 : f32, zero_point = 0 : i64} : (tensor<1x2x8x8xui8>) -> tensor<1x2x8x8xf32>
  // CHECK: cnn.lookup_table %{{.*}} {table = array<f32: 0.000000e+00, 1.000000e+00, {{.*}}, 2.550000e+02>} : (tensor<1x2x8x8xui8>) -> tensor<1x2x8x8xui8>
  %t = cnn.lookup_table %y {table = array<f32: 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0, 80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0, 88.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0, 100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0, 110.0, 111.0, 112.0, 113.0, 114.0, 115.0, 116.0, 117.0, 118.0, 119.0, 120.0, 121.0, 122.0, 123.0, 124.0, 125.0, 126.0, 127.0, 128.0, 129.0, 130.0, 131.0, 132.0, 133.0, 134.0, 135.0, 136.0, 137.0, 138.0, 139.0, 140.0, 141.0, 142.0, 143.0, 144.0, 145.0, 146.0, 147.0, 148.0, 149.0, 150.0, 151.0, 152.0, 153.0, 154.0, 155.0, 156.0, 157.0, 158.0, 159.0, 160.0, 161.0, 162.0, 163.0, 164.0, 165.0, 166.0, 167.0, 168.0, 169.0, 170.0, 171.0, 172.0, 173.0, 174.0, 175.0, 176.0, 177.0, 178.0, 179.0, 180.0, 181.0, 182.0, 183.0, 184.0, 185.0, 186.0, 187.0, 188.0, 189.0, 190.0, 191.0, 192.0, 193.0, 194.0, 195.0, 196.0, 197.0, 198.0, 199.0, 200.0, 201.0, 202.0, 203.0, 204.0, 205.0, 206.0, 207.0, 208.0, 209.0, 210.0, 211.0, 212.0, 213.0, 214.0, 215.0, 216.0, 217.0, 218.0, 219.0, 220.0, 221.0, 222.0, 223.0, 224.0, 225.0, 226.0, 227.0, 228.0, 229.0, 230.0, 231.0, 232.0, 233.0, 234.0, 235.0, 236.0, 237.0, 238.0, 239.0, 240.0, 241.0, 242.0, 243.0, 244.0, 245.0, 246.0, 247.0, 248.0, 249.0, 250.0, 251.0, 252.0, 253.0, 254.0, 255.0>} : (tensor<1x2x8x8xui8>) -> tensor<1x2x8x8xui8>
  // CHECK: cnn.lookup_table %{{.*}} : (tensor<1x2x8x8xui8>) -> tensor<1x2x8x8xf32>
  %f = cnn.lookup_table %t {table = array<f32: 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 2.5>} : (tensor<1x2x8x8xui8>) -> tensor<1x2x8x8xf32>
  %s = cnn.add %d, %f : (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %s : tensor<1x2x8x8xf32>
}
