// An int8 conv between quantize and dequantize, a max pool of u8 values,
// and a residual add of the dequantized maps.
func.func @int8(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %w = cnn.constant dense<[[[[64]], [[-32]], [[127]], [[0]]], [[[32]], [[64]], [[-127]], [[95]]], [[[1]], [[2]], [[3]], [[4]]], [[[-1]], [[-2]], [[-3]], [[-4]]]]> : tensor<4x4x1x1xi8>
  %b = cnn.weight "conv.bias" : tensor<4xf32>
  %q = cnn.quantize %x {scale = 0.0156862754 : f32, zero_point = 64 : i64} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xui8>
  %p = cnn.max_pool2d %q {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x4x8x8xui8>) -> tensor<1x4x4x4xui8>
  %c = cnn.qconv2d %p, %w, %b {input_scale = 0.0156862754 : f32, input_zero_point = 64 : i64, output_scale = 0.01 : f32, output_zero_point = 0 : i64, weight_scales = array<f32: 0.0078, 0.0031, 0.01, 0.02>} : (tensor<1x4x4x4xui8>, tensor<4x4x1x1xi8>, tensor<4xf32>) -> tensor<1x4x4x4xui8>
  %d1 = cnn.dequantize %c {scale = 0.01 : f32, zero_point = 0 : i64} : (tensor<1x4x4x4xui8>) -> tensor<1x4x4x4xf32>
  %d2 = cnn.dequantize %p {scale = 0.0156862754 : f32, zero_point = 64 : i64} : (tensor<1x4x4x4xui8>) -> tensor<1x4x4x4xf32>
  %y = cnn.add %d1, %d2 : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
