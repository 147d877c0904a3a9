// --cnn-bind-weights replaces every cnn.weight with a constant blob, from a
// file or from a seed; the data is not printed inline when elided.
// RUN: %python %inputs/make_safetensors.py %t.safetensors tiny
// RUN: cnn-opt %s --cnn-bind-weights=file=%t.safetensors --mlir-elide-resource-strings-if-larger=8 | FileCheck %s
// RUN: cnn-opt %s --cnn-bind-weights=random-seed=3 --mlir-elide-resource-strings-if-larger=8 | FileCheck %s
// RUN: cnn-opt %s --cnn-bind-weights=random-seed=3 > %t.a.mlir
// RUN: cnn-opt %s --cnn-bind-weights=random-seed=3 > %t.b.mlir
// RUN: diff %t.a.mlir %t.b.mlir
// RUN: not cnn-opt %s --cnn-bind-weights 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not cnn-opt %s --cnn-bind-weights=file=%t.nonexistent 2>&1 | FileCheck %s --check-prefix=NOFILE

// CHECK-LABEL: func.func @tiny
// CHECK-NOT: cnn.weight
// CHECK: cnn.constant dense_resource<conv.weight> : tensor<2x3x1x1xf32>
// CHECK: cnn.constant dense_resource<conv.bias> : tensor<2xf32>
// CHECK: cnn.conv2d
// NONE: error: --cnn-bind-weights needs exactly one of file=W.safetensors and random-seed=S
// NOFILE: error: {{.*}}nonexistent: cannot open weights file
func.func @tiny(%x: tensor<1x3x1x2xf32>) -> tensor<1x2x1x2xf32> {
  %w = cnn.weight "conv.weight" : tensor<2x3x1x1xf32>
  %b = cnn.weight "conv.bias" : tensor<2xf32>
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x3x1x2xf32>, tensor<2x3x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x2xf32>
  return %0 : tensor<1x2x1x2xf32>
}
