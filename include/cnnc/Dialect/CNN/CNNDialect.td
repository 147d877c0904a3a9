//===- CNNDialect.td - The cnn dialect --------------------*- tablegen -*-===//
//
// The `cnn` dialect describes convolutional networks at the level of
// PyTorch modules: static-shape f32 tensors in NCHW layout, OIHW weights.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_CNNDIALECT_TD
#define CNNC_DIALECT_CNN_CNNDIALECT_TD

include "mlir/IR/OpBase.td"

def CNN_Dialect : Dialect {
  let name = "cnn";
  let summary = "Convolutional networks with PyTorch semantics";
  let description = [{
    Ops of the classic CNN families (VGG, ResNet, MobileNet, ConvNeXt).
    Activations are ranked, static-shape f32 tensors in NCHW layout (batch
    included); convolution weights are OIHW. Every op follows PyTorch's
    semantics for padding, ceil_mode, count_include_pad, epsilon and GELU.
  }];
  let cppNamespace = "::cnnc::cnn";
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

#endif // CNNC_DIALECT_CNN_CNNDIALECT_TD
