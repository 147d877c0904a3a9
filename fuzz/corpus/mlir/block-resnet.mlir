// A ResNet-50 bottleneck with a projection shortcut: 1x1 256->64, 3x3 64->64,
// 1x1 64->256, BN after each conv, and the skip `cnn.add`.
// RUN: cnn-opt %s | cnn-opt | FileCheck %s

// CHECK-LABEL: func.func @bottleneck
// CHECK-COUNT-3: cnn.batch_norm
// CHECK: %[[SUM:.*]] = cnn.add %{{.*}}, %arg0
// CHECK: cnn.relu %[[SUM]]
func.func @bottleneck(%x: tensor<1x256x56x56xf32>) -> tensor<1x256x56x56xf32> {
  %w1 = cnn.weight "layer1.1.conv1.weight" : tensor<64x256x1x1xf32>
  %g1 = cnn.weight "layer1.1.bn1.weight" : tensor<64xf32>
  %b1 = cnn.weight "layer1.1.bn1.bias" : tensor<64xf32>
  %m1 = cnn.weight "layer1.1.bn1.running_mean" : tensor<64xf32>
  %v1 = cnn.weight "layer1.1.bn1.running_var" : tensor<64xf32>
  %0 = cnn.conv2d %x, %w1 : (tensor<1x256x56x56xf32>, tensor<64x256x1x1xf32>) -> tensor<1x64x56x56xf32>
  %1 = cnn.batch_norm %0, %g1, %b1, %m1, %v1 : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  %2 = cnn.relu %1 : tensor<1x64x56x56xf32>
  %w2 = cnn.weight "layer1.1.conv2.weight" : tensor<64x64x3x3xf32>
  %g2 = cnn.weight "layer1.1.bn2.weight" : tensor<64xf32>
  %b2 = cnn.weight "layer1.1.bn2.bias" : tensor<64xf32>
  %m2 = cnn.weight "layer1.1.bn2.running_mean" : tensor<64xf32>
  %v2 = cnn.weight "layer1.1.bn2.running_var" : tensor<64xf32>
  %3 = cnn.conv2d %2, %w2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x56x56xf32>
  %4 = cnn.batch_norm %3, %g2, %b2, %m2, %v2 : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  %5 = cnn.relu %4 : tensor<1x64x56x56xf32>
  %w3 = cnn.weight "layer1.1.conv3.weight" : tensor<256x64x1x1xf32>
  %g3 = cnn.weight "layer1.1.bn3.weight" : tensor<256xf32>
  %b3 = cnn.weight "layer1.1.bn3.bias" : tensor<256xf32>
  %m3 = cnn.weight "layer1.1.bn3.running_mean" : tensor<256xf32>
  %v3 = cnn.weight "layer1.1.bn3.running_var" : tensor<256xf32>
  %6 = cnn.conv2d %5, %w3 : (tensor<1x64x56x56xf32>, tensor<256x64x1x1xf32>) -> tensor<1x256x56x56xf32>
  %7 = cnn.batch_norm %6, %g3, %b3, %m3, %v3 : (tensor<1x256x56x56xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<1x256x56x56xf32>
  %8 = cnn.add %7, %x : (tensor<1x256x56x56xf32>, tensor<1x256x56x56xf32>) -> tensor<1x256x56x56xf32>
  %9 = cnn.relu %8 : tensor<1x256x56x56xf32>
  return %9 : tensor<1x256x56x56xf32>
}
