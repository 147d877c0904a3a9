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

def CNN_LayerOpInterface : OpInterface<"LayerOpInterface"> {
  let description = [{
    What a layer says about itself: its multiply-accumulates and sliding
    window (for `--cnn-stats`), and the role of each parameter operand
    (for `--random-weights`, and to tell learnable parameters from
    buffers such as BatchNorm's running statistics). An op without this
    interface has no MACs and no window, and its parameters are kernels
    (rank >= 2) or shifts.
  }];
  let cppNamespace = "::cnnc::cnn";
  let methods = [
    InterfaceMethod<"Multiply-accumulates of one run of the op.",
      "int64_t", "getMacs", (ins), [{}], [{ return 0; }]>,
    InterfaceMethod<[{
        The sliding window over the input's height and width (kernel,
        stride, dilation), if the op has one.
      }],
      "std::optional<::cnnc::cnn::SpatialWindow>", "getSpatialWindow", (ins),
      [{}], [{ return std::nullopt; }]>,
    InterfaceMethod<"The role of operand `index` when it is a parameter.",
      "::cnnc::cnn::ParameterRole", "getParameterRole",
      (ins "unsigned":$index), [{}], [{
        return ::cnnc::cnn::defaultParameterRole(
            $_op->getOperand(index).getType());
      }]>,
  ];
}

#endif // CNNC_DIALECT_CNN_CNNINTERFACES_TD
