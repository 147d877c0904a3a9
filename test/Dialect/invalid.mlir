// Every verifier rule of the dialect, with the error it gives.
// RUN: cnn-opt %s -split-input-file -verify-diagnostics

func.func @weight_without_name() {
  // expected-error @below {{'cnn.weight' op needs a non-empty parameter name}}
  %w = cnn.weight "" : tensor<4xf32>
  return
}

// -----

func.func @dynamic_shape(%x: tensor<?x3x4x4xf32>) {
  // expected-error @below {{'cnn.relu' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<?x3x4x4xf32>'}}
  %0 = cnn.relu %x : tensor<?x3x4x4xf32>
  return
}

// -----

func.func @conv_wrong_rank(%x: tensor<3x4x4xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @below {{operand #0 must be 4-D (NCHW) static f32 tensor}}
  %0 = cnn.conv2d %x, %w : (tensor<3x4x4xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x2x2xf32>
  return
}

// -----

func.func @conv_channels_per_group(%x: tensor<1x64x8x8xf32>, %w: tensor<64x32x3x3xf32>) {
  // expected-error @below {{'cnn.conv2d' op weight 'tensor<64x32x3x3xf32>' has 32 input channels per group, but input 'tensor<1x64x8x8xf32>' with groups = 1 needs 64}}
  %0 = cnn.conv2d %x, %w : (tensor<1x64x8x8xf32>, tensor<64x32x3x3xf32>) -> tensor<1x64x6x6xf32>
  return
}

// -----

func.func @conv_groups_divide_input(%x: tensor<1x30x8x8xf32>, %w: tensor<64x2x3x3xf32>) {
  // expected-error @below {{input 'tensor<1x30x8x8xf32>' has 30 channels, not divisible by groups = 4}}
  %0 = cnn.conv2d %x, %w {groups = 4 : i64} : (tensor<1x30x8x8xf32>, tensor<64x2x3x3xf32>) -> tensor<1x64x6x6xf32>
  return
}

// -----

func.func @conv_groups_divide_output(%x: tensor<1x32x8x8xf32>, %w: tensor<30x8x3x3xf32>) {
  // expected-error @below {{weight 'tensor<30x8x3x3xf32>' has 30 output channels, not divisible by groups = 4}}
  %0 = cnn.conv2d %x, %w {groups = 4 : i64} : (tensor<1x32x8x8xf32>, tensor<30x8x3x3xf32>) -> tensor<1x30x6x6xf32>
  return
}

// -----

func.func @conv_groups_positive(%x: tensor<1x32x8x8xf32>, %w: tensor<32x1x3x3xf32>) {
  // expected-error @below {{groups must be positive, got 0}}
  %0 = cnn.conv2d %x, %w {groups = 0 : i64} : (tensor<1x32x8x8xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x6x6xf32>
  return
}

// -----

func.func @conv_padding_values_count(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) {
  // expected-error @below {{padding_values has 2 values, but input 'tensor<1x3x4x4xf32>' has 3 channels}}
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, padding_values = array<f32: 1.0, 2.0>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @conv_padding_values_finite(%x: tensor<1x1x4x4xf32>, %w: tensor<2x1x3x3xf32>) {
  // expected-error @below {{padding_values must be finite}}
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, padding_values = array<f32: 0x7F800000>} : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @conv_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @below {{bias 'tensor<4xf32>' must have 8 elements, one per output channel}}
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<4xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x3x4x4xf32>, %w: tensor<8x3x7x7xf32>) {
  // expected-error @below {{kernel 7x7 (dilation [1, 1]) does not fit the input 'tensor<1x3x4x4xf32>' padded by [0, 0, 0, 0]}}
  %0 = cnn.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<8x3x7x7xf32>) -> tensor<1x8x1x1xf32>
  return
}

// -----

func.func @conv_stride_positive(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @below {{stride must be positive, got [0, 1]}}
  %0 = cnn.conv2d %x, %w {stride = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_padding_nonnegative(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @below {{padding must be non-negative, got [-1, 0, 0, 0]}}
  %0 = cnn.conv2d %x, %w {padding = array<i64: -1, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_dilation_positive(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @below {{dilation must be positive, got [1, 0]}}
  %0 = cnn.conv2d %x, %w {dilation = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_padding_arity(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @below {{'padding' failed to satisfy constraint: i64 dense array attribute with exactly 4 elements}}
  %0 = cnn.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @conv_wrong_result(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @below {{result type 'tensor<1x8x8x8xf32>' does not match the inferred type 'tensor<1x8x6x6xf32>'}}
  %0 = cnn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @batch_norm_size(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>, %bad: tensor<4xf32>) {
  // expected-error @below {{'cnn.batch_norm' op variance 'tensor<4xf32>' must have 3 elements, one per input channel}}
  %0 = cnn.batch_norm %x, %c, %c, %c, %bad : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @batch_norm_epsilon(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>) {
  // expected-error @below {{epsilon must be positive}}
  %0 = cnn.batch_norm %x, %c, %c, %c, %c {epsilon = 0.0 : f64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @layer_norm_scale(%x: tensor<1x96x4x4xf32>, %g: tensor<384xf32>, %b: tensor<96xf32>) {
  // expected-error @below {{'cnn.layer_norm' op weight 'tensor<384xf32>' must have 96 elements, one per input channel}}
  %0 = cnn.layer_norm %x, %g, %b : (tensor<1x96x4x4xf32>, tensor<384xf32>, tensor<96xf32>) -> tensor<1x96x4x4xf32>
  return
}

// -----

func.func @group_norm_groups(%x: tensor<1x6x4x4xf32>, %c: tensor<6xf32>) {
  // expected-error @below {{'cnn.group_norm' op groups must be positive and divide the 6 channels, not 4}}
  %0 = cnn.group_norm %x, %c, %c {groups = 4 : i64} : (tensor<1x6x4x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return
}

// -----

func.func @group_norm_no_groups(%x: tensor<1x6x4x4xf32>, %c: tensor<6xf32>) {
  // expected-error @below {{'cnn.group_norm' op groups must be positive and divide the 6 channels, not 0}}
  %0 = cnn.group_norm %x, %c, %c {groups = 0 : i64} : (tensor<1x6x4x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return
}

// -----

func.func @layer_norm_epsilon(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>) {
  // expected-error @below {{'cnn.layer_norm' op epsilon must be positive}}
  %0 = cnn.layer_norm %x, %c, %c {epsilon = -1.0 : f64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @gelu_approximate(%x: tensor<1x3x4x4xf32>) {
  // expected-error @below {{custom op 'cnn.gelu' expected string or keyword containing one of the following enum values for attribute 'approximate' [none, tanh]}}
  %0 = cnn.gelu %x approximate sigmoid : tensor<1x3x4x4xf32>
  return
}

// -----

func.func @add_mismatch(%x: tensor<1x64x56x56xf32>, %y: tensor<1x64x28x28xf32>) {
  // expected-error @below {{'cnn.add' op rhs 'tensor<1x64x28x28xf32>' does not broadcast to lhs 'tensor<1x64x56x56xf32>'}}
  %0 = cnn.add %x, %y : (tensor<1x64x56x56xf32>, tensor<1x64x28x28xf32>) -> tensor<1x64x56x56xf32>
  return
}

// -----

func.func @mul_scale_mismatch(%x: tensor<1x96x4x4xf32>, %s: tensor<192x1x1xf32>) {
  // expected-error @below {{'cnn.mul' op rhs 'tensor<192x1x1xf32>' does not broadcast to lhs 'tensor<1x96x4x4xf32>'}}
  %0 = cnn.mul %x, %s : (tensor<1x96x4x4xf32>, tensor<192x1x1xf32>) -> tensor<1x96x4x4xf32>
  return
}

// -----

func.func @pool_window_too_large(%x: tensor<1x3x2x2xf32>) {
  // expected-error @below {{'cnn.max_pool2d' op pool window 3x3 is larger than the input 'tensor<1x3x2x2xf32>' padded by [0, 0, 0, 0]}}
  %0 = cnn.max_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>} : (tensor<1x3x2x2xf32>) -> tensor<1x3x1x1xf32>
  return
}

// -----

func.func @pool_padding_too_large(%x: tensor<1x3x8x8xf32>) {
  // expected-error @below {{'cnn.avg_pool2d' op padding [2, 2, 2, 2] must be at most half of kernel_size [3, 3]}}
  %0 = cnn.avg_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 2, 2, 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
  return
}

// -----

func.func @pool_kernel_positive(%x: tensor<1x3x8x8xf32>) {
  // expected-error @below {{kernel_size must be positive, got [0, 2]}}
  %0 = cnn.max_pool2d %x {kernel_size = array<i64: 0, 2>, stride = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x7xf32>
  return
}

// -----

func.func @pool_needs_kernel(%x: tensor<1x3x8x8xf32>) {
  // expected-error @below {{requires attribute 'kernel_size'}}
  %0 = cnn.max_pool2d %x {stride = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @adaptive_size(%x: tensor<1x3x8x8xf32>) {
  // expected-error @below {{'cnn.adaptive_avg_pool2d' op output_size must be positive, got [0, 1]}}
  %0 = cnn.adaptive_avg_pool2d %x {output_size = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x1x1xf32>
  return
}

// -----

func.func @flatten_range(%x: tensor<1x3x8x8xf32>) {
  // expected-error @below {{'cnn.flatten' op start_dim 3 and end_dim 1 do not name a range of the dimensions of input 'tensor<1x3x8x8xf32>'}}
  %0 = cnn.flatten %x {start_dim = 3 : i64, end_dim = 1 : i64} : (tensor<1x3x8x8xf32>) -> tensor<1x192xf32>
  return
}

// -----

func.func @reshape_count(%w: tensor<384x96xf32>) {
  // expected-error @below {{'cnn.reshape' op cannot reshape 'tensor<384x96xf32>' (36864 elements) to 'tensor<384x48x1x1xf32>' (18432 elements)}}
  %0 = cnn.reshape %w : tensor<384x96xf32> -> tensor<384x48x1x1xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @below {{'cnn.concat' op needs at least one input}}
  %0 = cnn.concat : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_mismatch(%a: tensor<1x2x4x4xf32>, %b: tensor<1x2x5x4xf32>) {
  // expected-error @below {{'cnn.concat' op input #1 'tensor<1x2x5x4xf32>' differs from input #0 'tensor<1x2x4x4xf32>' outside axis 1}}
  %0 = cnn.concat %a, %b : (tensor<1x2x4x4xf32>, tensor<1x2x5x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<1x2x4x4xf32>, %b: tensor<1x2x4xf32>) {
  // expected-error @below {{'cnn.concat' op input #1 must have rank 4, got 'tensor<1x2x4xf32>'}}
  %0 = cnn.concat %a, %b : (tensor<1x2x4x4xf32>, tensor<1x2x4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.concat' op axis 4 is out of range for input #0 'tensor<1x2x4x4xf32>'}}
  %0 = cnn.concat %a {axis = 4 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @slice_range(%a: tensor<1x48x4x4xf32>) {
  // expected-error @below {{'cnn.slice' op slice [20, 50) is not a non-empty part of axis 1 of input 'tensor<1x48x4x4xf32>'}}
  %0 = cnn.slice %a {axis = 1 : i64, start = 20 : i64, end = 50 : i64} : (tensor<1x48x4x4xf32>) -> tensor<1x30x4x4xf32>
  return
}

// -----

func.func @slice_axis(%a: tensor<1x48x4x4xf32>) {
  // expected-error @below {{'cnn.slice' op axis 4 is out of range for input 'tensor<1x48x4x4xf32>'}}
  %0 = cnn.slice %a {axis = 4 : i64, start = 0 : i64, end = 1 : i64} : (tensor<1x48x4x4xf32>) -> tensor<1x48x4x4xf32>
  return
}

// -----

func.func @shuffle_groups(%a: tensor<1x48x4x4xf32>) {
  // expected-error @below {{'cnn.channel_shuffle' op groups 5 must divide the 48 channels of input 'tensor<1x48x4x4xf32>'}}
  %0 = cnn.channel_shuffle %a {groups = 5 : i64} : (tensor<1x48x4x4xf32>) -> tensor<1x48x4x4xf32>
  return
}

// -----

func.func @linear_features(%x: tensor<1x512xf32>, %w: tensor<1000x2048xf32>) {
  // expected-error @below {{'cnn.linear' op weight 'tensor<1000x2048xf32>' expects 2048 input features, but input 'tensor<1x512xf32>' has 512}}
  %0 = cnn.linear %x, %w : (tensor<1x512xf32>, tensor<1000x2048xf32>) -> tensor<1x1000xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<1x512xf32>, %w: tensor<1000x512xf32>, %b: tensor<10xf32>) {
  // expected-error @below {{'cnn.linear' op bias 'tensor<10xf32>' must have 1000 elements, one per output feature}}
  %0 = cnn.linear %x, %w, %b : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<10xf32>) -> tensor<1x1000xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<1x10xf32>) {
  // expected-error @below {{'cnn.softmax' op axis 2 is out of range for input 'tensor<1x10xf32>'}}
  %0 = cnn.softmax %x {axis = 2 : i64} : (tensor<1x10xf32>) -> tensor<1x10xf32>
  return
}

// -----

func.func @reduce_mean_axes(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.reduce_mean' op axes must be ascending dimensions of 'tensor<1x2x4x4xf32>'}}
  %0 = cnn.reduce_mean %x {axes = array<i64: 3, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  return
}

// -----

func.func @argmax_two_axes(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.argmax' op takes one axis, not 2}}
  %0 = cnn.argmax %x {axes = array<i64: 2, 3>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  return
}

// -----

func.func @reduce_mean_result(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.reduce_mean' op result type 'tensor<1x2x4x4xf32>' does not match the inferred type 'tensor<1x1x4x4xf32>'}}
  %0 = cnn.reduce_mean %x {axes = array<i64: 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @group_kind(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{custom op 'cnn.group' expected string or keyword containing one of the following enum values for attribute 'kind' [conv, depthwise_pointwise, norm_activation, elementwise]}}
  %0 = cnn.group pool : tensor<1x2x4x4xf32> {
    %1 = cnn.relu %x : tensor<1x2x4x4xf32>
    cnn.yield %1 : tensor<1x2x4x4xf32>
  }
  return
}

// -----

func.func @group_kind_string(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{custom op 'cnn.group' invalid kind attribute specification: "pool"}}
  %0 = cnn.group "pool" : tensor<1x2x4x4xf32> {
    %1 = cnn.relu %x : tensor<1x2x4x4xf32>
    cnn.yield %1 : tensor<1x2x4x4xf32>
  }
  return
}

// -----

func.func @group_yield_type(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.group' op yields 'tensor<1x2x4x4xf32>' but the group's result is 'tensor<1x2x2x2xf32>'}}
  %0 = cnn.group "conv" : tensor<1x2x2x2xf32> {
    %1 = cnn.relu %x : tensor<1x2x4x4xf32>
    cnn.yield %1 : tensor<1x2x4x4xf32>
  }
  return
}

// -----

func.func @group_no_yield(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.group' op body must end in cnn.yield}}
  %0 = cnn.group "conv" : tensor<1x2x4x4xf32> {
    %1 = cnn.relu %x : tensor<1x2x4x4xf32>
  }
  return
}

// -----

func.func @depth_to_space_block_divides_channels(%x: tensor<1x12x4x4xf32>) {
  // expected-error @below {{block_size 4 (1 to 64) squared must divide the 12 channels of input 'tensor<1x12x4x4xf32>'}}
  %0 = cnn.depth_to_space %x {block_size = 4 : i64} : (tensor<1x12x4x4xf32>) -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @space_to_depth_block_divides_size(%x: tensor<1x3x6x9xf32>) {
  // expected-error @below {{block_size 2 (1 to 64) must divide the height and width of input 'tensor<1x3x6x9xf32>'}}
  %0 = cnn.space_to_depth %x {block_size = 2 : i64} : (tensor<1x3x6x9xf32>) -> tensor<1x12x3x4xf32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<1x3x4x5xf32>) {
  // expected-error @below {{perm [0, 1, 1, 3] is not a permutation of the dimensions of input 'tensor<1x3x4x5xf32>'}}
  %0 = cnn.transpose %x {perm = array<i64: 0, 1, 1, 3>} : (tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  return
}

// -----

func.func @depth_to_space_mode(%x: tensor<1x12x4x4xf32>) {
  // expected-error @below {{mode must be "dcr" or "crd", not "rdc"}}
  %0 = cnn.depth_to_space %x {block_size = 2 : i64, mode = "rdc"} : (tensor<1x12x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_only_spatial(%x: tensor<1x12x4x4xf32>) {
  // expected-error @below {{resizes only H and W: 'tensor<1x12x4x4xf32>' to 'tensor<1x6x8x8xf32>'}}
  %0 = cnn.resize %x {scale_h = 2.0 : f64, scale_w = 2.0 : f64} : tensor<1x12x4x4xf32> -> tensor<1x6x8x8xf32>
  return
}

// -----

func.func @resize_mode(%x: tensor<1x12x4x4xf32>) {
  // expected-error @below {{mode must be "nearest" or "linear", not "cubic"}}
  %0 = cnn.resize %x {scale_h = 2.0 : f64, scale_w = 2.0 : f64, mode = "cubic"} : tensor<1x12x4x4xf32> -> tensor<1x12x8x8xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x8x5x5xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @below {{output_padding must be below the stride or the dilation, got [2, 2]}}
  %0 = cnn.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, output_padding = array<i64: 2, 2>} : (tensor<1x8x5x5xf32>, tensor<8x3x3x3xf32>) -> tensor<1x3x13x13xf32>
  return
}

// -----

func.func @conv_transpose_huge_stride(%x: tensor<1x8x5x5xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @below {{stride [4611686018427387904, 1], dilation [1, 1] and padding [0, 0, 0, 0] are out of range}}
  %0 = cnn.conv_transpose2d %x, %w {stride = array<i64: 4611686018427387904, 1>} : (tensor<1x8x5x5xf32>, tensor<8x3x3x3xf32>) -> tensor<1x3x13x13xf32>
  return
}

// -----

func.func @reduce_sum_axis_past_rank(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.reduce_sum' op axes must be ascending dimensions of 'tensor<1x2x4x4xf32>'}}
  %0 = cnn.reduce_sum %x {axes = array<i64: 4>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<2x10xf32>) {
  // expected-error @below {{'cnn.log_softmax' op axis 2 is out of range for input 'tensor<2x10xf32>'}}
  %0 = cnn.log_softmax %x {axis = 2 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return
}

// -----

func.func @expand_not_broadcast(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.expand' op 'tensor<1x2x4x4xf32>' does not broadcast to 'tensor<1x3x4x4xf32>'}}
  %0 = cnn.expand %x : tensor<1x2x4x4xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @greater_not_broadcast(%x: tensor<1x2x4x4xf32>, %y: tensor<3x1x1xf32>) {
  // expected-error @below {{'cnn.greater' op rhs 'tensor<3x1x1xf32>' does not broadcast to lhs 'tensor<1x2x4x4xf32>'}}
  %0 = cnn.greater %x, %y : (tensor<1x2x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @select_not_broadcast(%m: tensor<1x2x4x4xf32>, %y: tensor<1x2x4x5xf32>) {
  // expected-error @below {{'cnn.select' op on_false 'tensor<1x2x4x5xf32>' does not broadcast to 'tensor<1x2x4x4xf32>'}}
  %0 = cnn.select %m, %m, %y : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x5xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @pad_reflect_past_map(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.pad' op reflect padding [4, 0, 0, 0] must be less than the map of input 'tensor<1x2x4x4xf32>'}}
  %0 = cnn.pad %x {padding = array<i64: 4, 0, 0, 0>, mode = "reflect"} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x4xf32>
  return
}

// -----

func.func @pad_mode(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.pad' op mode must be constant, reflect or edge, not "wrap"}}
  %0 = cnn.pad %x {padding = array<i64: 1, 1, 1, 1>, mode = "wrap"} : (tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @quantize_scale(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{'cnn.quantize' op scale must be positive and finite, got 0.000000e+00}}
  %0 = cnn.quantize %x {scale = 0.0 : f32, zero_point = 0 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xui8>
  return
}

// -----

func.func @dequantize_zero_point(%q: tensor<1x2x4x4xui8>) {
  // expected-error @below {{'cnn.dequantize' op zero_point must be in [0, 255], got 256}}
  %0 = cnn.dequantize %q {scale = 1.0 : f32, zero_point = 256 : i64} : (tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @quantize_to_signed(%x: tensor<1x2x4x4xf32>) {
  // expected-error @below {{result #0 must be statically shaped tensor of 8-bit unsigned integer values, but got 'tensor<1x2x4x4xi8>'}}
  %0 = cnn.quantize %x {scale = 1.0 : f32, zero_point = 0 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xi8>
  return
}

// -----

func.func @qconv_weight_scales(%q: tensor<1x4x4x4xui8>, %w: tensor<2x4x1x1xi8>) {
  // expected-error @below {{'cnn.qconv2d' op weight_scales has 1 values, but the weight has 2 output channels}}
  %0 = cnn.qconv2d %q, %w {input_scale = 1.0 : f32, input_zero_point = 0 : i64, weight_scales = array<f32: 1.0>, output_scale = 1.0 : f32, output_zero_point = 0 : i64} : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xi8>) -> tensor<1x2x4x4xui8>
  return
}

// -----

func.func @qconv_output_scale(%q: tensor<1x4x4x4xui8>, %w: tensor<2x4x1x1xi8>) {
  // expected-error @below {{'cnn.qconv2d' op output_scale must be positive and finite, got -1.000000e+00}}
  %0 = cnn.qconv2d %q, %w {input_scale = 1.0 : f32, input_zero_point = 0 : i64, weight_scales = array<f32: 1.0, 1.0>, output_scale = -1.0 : f32, output_zero_point = 0 : i64} : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xi8>) -> tensor<1x2x4x4xui8>
  return
}

// -----

func.func @qconv_output_zero_point_alone(%q: tensor<1x4x4x4xui8>, %w: tensor<2x4x1x1xi8>) {
  // expected-error @below {{'cnn.qconv2d' op has output_zero_point without output_scale: a u8 output needs both, an f32 output neither}}
  %0 = cnn.qconv2d %q, %w {input_scale = 1.0 : f32, input_zero_point = 0 : i64, weight_scales = array<f32: 1.0, 1.0>, output_zero_point = 0 : i64} : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xi8>) -> tensor<1x2x4x4xui8>
  return
}

// -----

func.func @qconv_f32_result_with_output_scale(%q: tensor<1x4x4x4xui8>, %w: tensor<2x4x1x1xi8>) {
  // expected-error @below {{'cnn.qconv2d' op result type 'tensor<1x2x4x4xf32>' does not match the inferred type 'tensor<1x2x4x4xui8>'}}
  %0 = cnn.qconv2d %q, %w {input_scale = 1.0 : f32, input_zero_point = 0 : i64, weight_scales = array<f32: 1.0, 1.0>, output_scale = 1.0 : f32, output_zero_point = 0 : i64} : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xi8>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @qconv_f32_weight(%q: tensor<1x4x4x4xui8>, %w: tensor<2x4x1x1xf32>) {
  // expected-error @below {{operand #1 must be 4-D (OIHW) static i8 tensor}}
  %0 = cnn.qconv2d %q, %w {input_scale = 1.0 : f32, input_zero_point = 0 : i64, weight_scales = array<f32: 1.0, 1.0>, output_scale = 1.0 : f32, output_zero_point = 0 : i64} : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xf32>) -> tensor<1x2x4x4xui8>
  return
}

// -----

func.func @qconv_channels(%q: tensor<1x4x4x4xui8>, %w: tensor<2x3x1x1xi8>) {
  // expected-error @below {{'cnn.qconv2d' op weight 'tensor<2x3x1x1xi8>' has 3 input channels per group, but input 'tensor<1x4x4x4xui8>' with groups = 1 needs 4}}
  %0 = cnn.qconv2d %q, %w {input_scale = 1.0 : f32, input_zero_point = 0 : i64, weight_scales = array<f32: 1.0, 1.0>, output_scale = 1.0 : f32, output_zero_point = 0 : i64} : (tensor<1x4x4x4xui8>, tensor<2x3x1x1xi8>) -> tensor<1x2x4x4xui8>
  return
}

// -----

func.func @lookup_table_size(%q: tensor<1x4x4x4xui8>) {
  // expected-error @below {{'cnn.lookup_table' op table has 2 values, not 256}}
  %0 = cnn.lookup_table %q {table = array<f32: 1.0, 2.0>} : (tensor<1x4x4x4xui8>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @lookup_table_u8(%q: tensor<1x4x4x4xui8>) {
  // expected-error @below {{'cnn.lookup_table' op table value 5.000000e-01 is not a u8 value, as a ui8 result needs}}
  %0 = cnn.lookup_table %q {table = array<f32: 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 2.5>} : (tensor<1x4x4x4xui8>) -> tensor<1x4x4x4xui8>
  return
}

// -----

func.func @lookup_table_shape(%q: tensor<1x4x4x4xui8>) {
  // expected-error @below {{'cnn.lookup_table' op result shape differs from the input's}}
  %0 = cnn.lookup_table %q {table = array<f32: 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0, 80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0, 88.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0, 100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0, 110.0, 111.0, 112.0, 113.0, 114.0, 115.0, 116.0, 117.0, 118.0, 119.0, 120.0, 121.0, 122.0, 123.0, 124.0, 125.0, 126.0, 127.0, 128.0, 129.0, 130.0, 131.0, 132.0, 133.0, 134.0, 135.0, 136.0, 137.0, 138.0, 139.0, 140.0, 141.0, 142.0, 143.0, 144.0, 145.0, 146.0, 147.0, 148.0, 149.0, 150.0, 151.0, 152.0, 153.0, 154.0, 155.0, 156.0, 157.0, 158.0, 159.0, 160.0, 161.0, 162.0, 163.0, 164.0, 165.0, 166.0, 167.0, 168.0, 169.0, 170.0, 171.0, 172.0, 173.0, 174.0, 175.0, 176.0, 177.0, 178.0, 179.0, 180.0, 181.0, 182.0, 183.0, 184.0, 185.0, 186.0, 187.0, 188.0, 189.0, 190.0, 191.0, 192.0, 193.0, 194.0, 195.0, 196.0, 197.0, 198.0, 199.0, 200.0, 201.0, 202.0, 203.0, 204.0, 205.0, 206.0, 207.0, 208.0, 209.0, 210.0, 211.0, 212.0, 213.0, 214.0, 215.0, 216.0, 217.0, 218.0, 219.0, 220.0, 221.0, 222.0, 223.0, 224.0, 225.0, 226.0, 227.0, 228.0, 229.0, 230.0, 231.0, 232.0, 233.0, 234.0, 235.0, 236.0, 237.0, 238.0, 239.0, 240.0, 241.0, 242.0, 243.0, 244.0, 245.0, 246.0, 247.0, 248.0, 249.0, 250.0, 251.0, 252.0, 253.0, 254.0, 255.0>} : (tensor<1x4x4x4xui8>) -> tensor<1x4x2x2xf32>
  return
}
