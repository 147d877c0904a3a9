// A ConvNeXt-T block: 7x7 depthwise, LayerNorm, 1x1 96->384 (torchvision's
// nn.Linear weight reshaped), GELU, 1x1 384->96, layer scale, residual add.
// RUN: cnn-opt %s | cnn-opt | FileCheck %s

// CHECK-LABEL: func.func @convnext_block
// CHECK: cnn.conv2d {{.*}}groups = 96 : i64, padding = array<i64: 3, 3, 3, 3>{{.*}}tensor<96x1x7x7xf32>
// CHECK: cnn.layer_norm
// CHECK: cnn.reshape {{.*}} : tensor<384x96xf32> -> tensor<384x96x1x1xf32>
// CHECK: cnn.conv2d {{.*}} -> tensor<1x384x56x56xf32>
// CHECK: cnn.gelu
// CHECK: cnn.conv2d {{.*}} -> tensor<1x96x56x56xf32>
// CHECK: cnn.mul {{.*}} : (tensor<1x96x56x56xf32>, tensor<96x1x1xf32>) -> tensor<1x96x56x56xf32>
// CHECK: cnn.add
func.func @convnext_block(%x: tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32> {
  %wd = cnn.weight "features.1.0.block.0.weight" : tensor<96x1x7x7xf32>
  %bd = cnn.weight "features.1.0.block.0.bias" : tensor<96xf32>
  %0 = cnn.conv2d %x, %wd, %bd {padding = array<i64: 3, 3, 3, 3>, groups = 96 : i64} : (tensor<1x96x56x56xf32>, tensor<96x1x7x7xf32>, tensor<96xf32>) -> tensor<1x96x56x56xf32>
  %gn = cnn.weight "features.1.0.block.2.weight" : tensor<96xf32>
  %bn = cnn.weight "features.1.0.block.2.bias" : tensor<96xf32>
  %1 = cnn.layer_norm %0, %gn, %bn {epsilon = 1.0e-6 : f64} : (tensor<1x96x56x56xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x96x56x56xf32>
  %l1 = cnn.weight "features.1.0.block.3.weight" : tensor<384x96xf32>
  %w1 = cnn.reshape %l1 : tensor<384x96xf32> -> tensor<384x96x1x1xf32>
  %b1 = cnn.weight "features.1.0.block.3.bias" : tensor<384xf32>
  %2 = cnn.conv2d %1, %w1, %b1 : (tensor<1x96x56x56xf32>, tensor<384x96x1x1xf32>, tensor<384xf32>) -> tensor<1x384x56x56xf32>
  %3 = cnn.gelu %2 : tensor<1x384x56x56xf32>
  %l2 = cnn.weight "features.1.0.block.5.weight" : tensor<96x384xf32>
  %w2 = cnn.reshape %l2 : tensor<96x384xf32> -> tensor<96x384x1x1xf32>
  %b2 = cnn.weight "features.1.0.block.5.bias" : tensor<96xf32>
  %4 = cnn.conv2d %3, %w2, %b2 : (tensor<1x384x56x56xf32>, tensor<96x384x1x1xf32>, tensor<96xf32>) -> tensor<1x96x56x56xf32>
  %s = cnn.weight "features.1.0.layer_scale" : tensor<96x1x1xf32>
  %5 = cnn.mul %4, %s : (tensor<1x96x56x56xf32>, tensor<96x1x1xf32>) -> tensor<1x96x56x56xf32>
  %6 = cnn.add %5, %x : (tensor<1x96x56x56xf32>, tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  return %6 : tensor<1x96x56x56xf32>
}
