// Concatenations along channels are written in place on CPU targets: the
// producers of their operands write straight into their channels of the
// concatenation's buffer, and no stage copies. DenseNet's pattern: each
// concatenation is a prefix of the next, so all live in the last one's
// buffer (a4 here).
// RUN: cnnc %s --random-weights=1 --emit=schedule --caches=48K,2M --cores=2 -o - | FileCheck %s

// CHECK: ; 7 stages,
// CHECK: entry
// CHECK-NEXT: reads input writes a0 (channels 0-16 of a4, in place);
// CHECK: conv c1
// CHECK-NEXT: reads a0 (channels 0-16 of a4, in place) writes a1 (channels 16-32 of a4, in place);
// CHECK: conv c2
// CHECK-NEXT: reads a2 (channels 0-32 of a4, in place) writes a3 (channels 32-48 of a4, in place);
// CHECK: conv c3
// CHECK-NEXT: reads a4 writes a5;
// CHECK-NOT: in place
// CHECK: concat_{{[0-9]+}} [1x24x12x12] elementwise c4/concat
// CHECK-NEXT: reads a5 a6 writes a7;
func.func @dense(%x: tensor<1x16x12x12xf32>) -> tensor<1x24x12x12xf32> {
  %w1 = cnn.weight "c1.weight" : tensor<16x16x3x3xf32>
  %a = cnn.conv2d %x, %w1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x16x12x12xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x12x12xf32>
  %r = cnn.relu %a : tensor<1x16x12x12xf32>
  %c1 = cnn.concat %x, %r {axis = 1 : i64} : (tensor<1x16x12x12xf32>, tensor<1x16x12x12xf32>) -> tensor<1x32x12x12xf32>
  %w2 = cnn.weight "c2.weight" : tensor<16x32x1x1xf32>
  %b = cnn.conv2d %c1, %w2 : (tensor<1x32x12x12xf32>, tensor<16x32x1x1xf32>) -> tensor<1x16x12x12xf32>
  %c2 = cnn.concat %x, %r, %b {axis = 1 : i64} : (tensor<1x16x12x12xf32>, tensor<1x16x12x12xf32>, tensor<1x16x12x12xf32>) -> tensor<1x48x12x12xf32>
  %w3 = cnn.weight "c3.weight" : tensor<16x48x1x1xf32>
  %y = cnn.conv2d %c2, %w3 : (tensor<1x48x12x12xf32>, tensor<16x48x1x1xf32>) -> tensor<1x16x12x12xf32>
  // 8 channels are computed as a whole vector of 16: a buffer of 16
  // channels cannot sit among others, so this concatenation copies.
  %w4 = cnn.weight "c4.weight" : tensor<8x16x1x1xf32>
  %z = cnn.conv2d %y, %w4 : (tensor<1x16x12x12xf32>, tensor<8x16x1x1xf32>) -> tensor<1x8x12x12xf32>
  %c4 = cnn.concat %y, %z {axis = 1 : i64} : (tensor<1x16x12x12xf32>, tensor<1x8x12x12xf32>) -> tensor<1x24x12x12xf32>
  return %c4 : tensor<1x24x12x12xf32>
}
