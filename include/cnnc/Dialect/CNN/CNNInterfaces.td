//===- CNNInterfaces.td - Interfaces of the cnn dialect ---*- tablegen -*-===//
//
// What passes, the reference interpreter and code generation ask of an op,
// so that a new op says it once, here, rather than in hand-kept lists.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_CNNINTERFACES_TD
#define CNNC_DIALECT_CNN_CNNINTERFACES_TD

include "mlir/IR/OpBase.td"

def CNN_ActivationOpInterface : OpInterface<"ActivationOpInterface"> {
  let description = [{
    An elementwise activation: one input, the same type out, each element
    `y = f(x)`. The fusion passes fuse any activation as a conv or norm
    epilogue, and the reference interpreter computes it with `evaluate`;
    code generation gives each one a Halide expression (LowerElementwise.cpp,
    `activate`), and an activation without one is a compile error naming
    it, never an identity.
  }];
  let cppNamespace = "::cnnc::cnn";
  let methods = [
    InterfaceMethod<
      "f(x) for one element, in double: the reference definition.",
      "double", "evaluate", (ins "double":$x)>,
  ];
}

#endif // CNNC_DIALECT_CNN_CNNINTERFACES_TD
