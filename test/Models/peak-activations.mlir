// --cnn-stats' peak of live activations, worked out by hand. Each
// activation lives from the op that makes it (the input: from the start)
// to its last top-level user.
// RUN: cnn-opt %s --cnn-stats -o /dev/null | FileCheck %s
// RUN: cnn-opt %s --cnn-stats=json=true -o /dev/null | FileCheck %s --check-prefix=JSON

// Top-level ops: 0 weight, 1 conv, 2 relu, 3 add, 4 return.
// %x (1x4x8x8, 1024 bytes) lives over 0-1, %0 (1x8x8x8, 2048) over 1-3,
// %1 (2048) over 2-3, %2 (2048) over 3-4. Alive during the conv:
// 1024 + 2048; the ReLU: 2048 + 2048; the add: 3 x 2048 = 6144.
// CHECK: total: params=32 macs=2048
// CHECK-NEXT: peak activations: 6144 bytes (at add
// JSON: "peak_activation_bytes": 6144
func.func @m(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %w = cnn.weight "conv.weight" : tensor<8x4x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x8x8xf32>
  %1 = cnn.relu %0 : tensor<1x8x8x8xf32>
  %2 = cnn.add %1, %0 : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %2 : tensor<1x8x8x8xf32>
}
