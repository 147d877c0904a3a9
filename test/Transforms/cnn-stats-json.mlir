// --cnn-stats=json=true prints the same figures as JSON, and the IR is
// left as it was.
// RUN: cnn-opt %s --cnn-stats=json=true -o %t.mlir | FileCheck %s
// RUN: cnn-opt %s | diff - %t.mlir

// CHECK:      "functions": [
// CHECK:          "function": "pair",
// CHECK:          "layers": [
// CHECK:              "jump": [
// CHECK-NEXT:           1,
// CHECK-NEXT:           1
// CHECK-NEXT:         ],
// CHECK-NEXT:         "layer": "dw",
// CHECK-NEXT:         "macs": 903168,
// CHECK-NEXT:         "op": "cnn.conv2d",
// CHECK-NEXT:         "params": 288,
// CHECK-NEXT:         "rf": [
// CHECK-NEXT:           3,
// CHECK-NEXT:           3
// CHECK-NEXT:         ],
// CHECK-NEXT:         "shape": [
// CHECK-NEXT:           1,
// CHECK-NEXT:           32,
// CHECK-NEXT:           56,
// CHECK-NEXT:           56
// CHECK-NEXT:         ]
// CHECK:          "total": {
// CHECK-NEXT:       "macs": 7325696,
// CHECK-NEXT:       "params": 2336
func.func @pair(%x: tensor<1x32x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %dw = cnn.weight "dw.weight" : tensor<32x1x3x3xf32>
  %0 = cnn.conv2d %x, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 32 : i64} : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x56x56xf32>
  %pw = cnn.weight "pw.weight" : tensor<64x32x1x1xf32>
  %1 = cnn.conv2d %0, %pw : (tensor<1x32x56x56xf32>, tensor<64x32x1x1xf32>) -> tensor<1x64x56x56xf32>
  return %1 : tensor<1x64x56x56xf32>
}
