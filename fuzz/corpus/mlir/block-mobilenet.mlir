// A MobileNetV2 inverted residual (t = 6, 24 channels, stride 1): expand
// 1x1 24->144, depthwise 3x3 with groups = 144, ReLU6, project 1x1 144->24,
// residual add.
// RUN: cnn-opt %s | cnn-opt | FileCheck %s

// CHECK-LABEL: func.func @inverted_residual
// CHECK: cnn.conv2d {{.*}} -> tensor<1x144x56x56xf32>
// CHECK: cnn.relu6
// CHECK: cnn.conv2d {{.*}}groups = 144 : i64{{.*}} : (tensor<1x144x56x56xf32>, tensor<144x1x3x3xf32>) -> tensor<1x144x56x56xf32>
// CHECK: cnn.relu6
// CHECK: cnn.conv2d {{.*}} -> tensor<1x24x56x56xf32>
// CHECK: cnn.add
func.func @inverted_residual(%x: tensor<1x24x56x56xf32>) -> tensor<1x24x56x56xf32> {
  %we = cnn.weight "features.3.conv.0.0.weight" : tensor<144x24x1x1xf32>
  %ge = cnn.weight "features.3.conv.0.1.weight" : tensor<144xf32>
  %be = cnn.weight "features.3.conv.0.1.bias" : tensor<144xf32>
  %me = cnn.weight "features.3.conv.0.1.running_mean" : tensor<144xf32>
  %ve = cnn.weight "features.3.conv.0.1.running_var" : tensor<144xf32>
  %0 = cnn.conv2d %x, %we : (tensor<1x24x56x56xf32>, tensor<144x24x1x1xf32>) -> tensor<1x144x56x56xf32>
  %1 = cnn.batch_norm %0, %ge, %be, %me, %ve : (tensor<1x144x56x56xf32>, tensor<144xf32>, tensor<144xf32>, tensor<144xf32>, tensor<144xf32>) -> tensor<1x144x56x56xf32>
  %2 = cnn.relu6 %1 : tensor<1x144x56x56xf32>
  %wd = cnn.weight "features.3.conv.1.0.weight" : tensor<144x1x3x3xf32>
  %gd = cnn.weight "features.3.conv.1.1.weight" : tensor<144xf32>
  %bd = cnn.weight "features.3.conv.1.1.bias" : tensor<144xf32>
  %md = cnn.weight "features.3.conv.1.1.running_mean" : tensor<144xf32>
  %vd = cnn.weight "features.3.conv.1.1.running_var" : tensor<144xf32>
  %3 = cnn.conv2d %2, %wd {padding = array<i64: 1, 1, 1, 1>, groups = 144 : i64} : (tensor<1x144x56x56xf32>, tensor<144x1x3x3xf32>) -> tensor<1x144x56x56xf32>
  %4 = cnn.batch_norm %3, %gd, %bd, %md, %vd : (tensor<1x144x56x56xf32>, tensor<144xf32>, tensor<144xf32>, tensor<144xf32>, tensor<144xf32>) -> tensor<1x144x56x56xf32>
  %5 = cnn.relu6 %4 : tensor<1x144x56x56xf32>
  %wp = cnn.weight "features.3.conv.2.weight" : tensor<24x144x1x1xf32>
  %gp = cnn.weight "features.3.conv.3.weight" : tensor<24xf32>
  %bp = cnn.weight "features.3.conv.3.bias" : tensor<24xf32>
  %mp = cnn.weight "features.3.conv.3.running_mean" : tensor<24xf32>
  %vp = cnn.weight "features.3.conv.3.running_var" : tensor<24xf32>
  %6 = cnn.conv2d %5, %wp : (tensor<1x144x56x56xf32>, tensor<24x144x1x1xf32>) -> tensor<1x24x56x56xf32>
  %7 = cnn.batch_norm %6, %gp, %bp, %mp, %vp : (tensor<1x24x56x56xf32>, tensor<24xf32>, tensor<24xf32>, tensor<24xf32>, tensor<24xf32>) -> tensor<1x24x56x56xf32>
  %8 = cnn.add %x, %7 : (tensor<1x24x56x56xf32>, tensor<1x24x56x56xf32>) -> tensor<1x24x56x56xf32>
  return %8 : tensor<1x24x56x56xf32>
}
