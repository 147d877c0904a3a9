// A VGG stage: two 3x3 convs (ReLU after each) then a 2x2 max pool.
// RUN: cnn-opt %s | cnn-opt | FileCheck %s

// CHECK-LABEL: func.func @vgg_stage
// CHECK-COUNT-2: cnn.conv2d
// CHECK: cnn.max_pool2d {{.*}} -> tensor<1x128x56x56xf32>
func.func @vgg_stage(%x: tensor<1x64x112x112xf32>) -> tensor<1x128x56x56xf32> {
  %w0 = cnn.weight "features.7.weight" : tensor<128x64x3x3xf32>
  %b0 = cnn.weight "features.7.bias" : tensor<128xf32>
  %0 = cnn.conv2d %x, %w0, %b0 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x64x112x112xf32>, tensor<128x64x3x3xf32>, tensor<128xf32>) -> tensor<1x128x112x112xf32>
  %1 = cnn.relu %0 : tensor<1x128x112x112xf32>
  %w1 = cnn.weight "features.9.weight" : tensor<128x128x3x3xf32>
  %b1 = cnn.weight "features.9.bias" : tensor<128xf32>
  %2 = cnn.conv2d %1, %w1, %b1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x128x112x112xf32>, tensor<128x128x3x3xf32>, tensor<128xf32>) -> tensor<1x128x112x112xf32>
  %3 = cnn.relu %2 : tensor<1x128x112x112xf32>
  %4 = cnn.max_pool2d %3 {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x128x112x112xf32>) -> tensor<1x128x56x56xf32>
  return %4 : tensor<1x128x56x56xf32>
}
