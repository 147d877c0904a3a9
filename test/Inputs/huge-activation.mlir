// One ReLU on a 1x3x100000x100000 input: 3e10 elements, past what 32-bit
// buffer offsets address and more memory than a test machine has.
func.func @huge(%x: tensor<1x3x100000x100000xf32>) -> tensor<1x3x100000x100000xf32> {
  %0 = cnn.relu %x : tensor<1x3x100000x100000xf32>
  return %0 : tensor<1x3x100000x100000xf32>
}
