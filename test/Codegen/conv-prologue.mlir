// A squeeze-excitation scale read only by a pointwise conv is computed in
// that conv's stage (--cnn-fuse-conv-prologue): a row at a time where a
// task is a row of all channel tiles (the 28x28 map), whole first where
// the conv is blocked (the 7x7 map). No stage of its own writes the
// scaled map: the conv reads the map and the scale.
// RUN: cnnc %s --random-weights=1 --emit=schedule --caches=48K,2M --cores=2 --target=x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41 -o - | FileCheck %s

// CHECK: ; 9 stages,
// CHECK-NOT: mul_
// CHECK: group_conv_{{[0-9]+}} [1x24x28x28] conv project28
// CHECK-NEXT: reads a0 a2 writes a3;
// CHECK-NEXT: conv 96->24 1x1 to 28x28: {{.*}} one row x all channel tiles per task
// CHECK-NEXT: its input computed in this stage, a row at a time
// CHECK-NOT: mul_
// CHECK: group_conv_{{[0-9]+}} [1x80x7x7] conv project7
// CHECK-NEXT: reads a4 a6 writes a7;
// CHECK-NEXT: conv 480->80 1x1 to 7x7: blocked
// CHECK-NEXT: its input computed in this stage, whole first
func.func @excitation(%x: tensor<1x96x28x28xf32>) -> tensor<1x80x7x7xf32> {
  %p = cnn.adaptive_avg_pool2d %x {output_size = array<i64: 1, 1>} : (tensor<1x96x28x28xf32>) -> tensor<1x96x1x1xf32>
  %s = cnn.sigmoid %p : tensor<1x96x1x1xf32>
  %m = cnn.mul %x, %s : (tensor<1x96x28x28xf32>, tensor<1x96x1x1xf32>) -> tensor<1x96x28x28xf32>
  %w = cnn.weight "project28.weight" : tensor<24x96x1x1xf32>
  %a = cnn.conv2d %m, %w : (tensor<1x96x28x28xf32>, tensor<24x96x1x1xf32>) -> tensor<1x24x28x28xf32>
  %we = cnn.weight "expand.weight" : tensor<480x24x1x1xf32>
  %y = cnn.conv2d %a, %we {stride = array<i64: 4, 4>} : (tensor<1x24x28x28xf32>, tensor<480x24x1x1xf32>) -> tensor<1x480x7x7xf32>
  %q = cnn.adaptive_avg_pool2d %y {output_size = array<i64: 1, 1>} : (tensor<1x480x7x7xf32>) -> tensor<1x480x1x1xf32>
  %t = cnn.sigmoid %q : tensor<1x480x1x1xf32>
  %n = cnn.mul %y, %t : (tensor<1x480x7x7xf32>, tensor<1x480x1x1xf32>) -> tensor<1x480x7x7xf32>
  %v = cnn.weight "project7.weight" : tensor<80x480x1x1xf32>
  %b = cnn.conv2d %n, %v : (tensor<1x480x7x7xf32>, tensor<80x480x1x1xf32>) -> tensor<1x80x7x7xf32>
  return %b : tensor<1x80x7x7xf32>
}
