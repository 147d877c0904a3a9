//===- CNNElementwiseOps.td - Activations and binary ops --*- tablegen -*-===//
//
// Included by CNNOps.td, after the base classes.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_CNNELEMENTWISEOPS_TD
#define CNNC_DIALECT_CNN_CNNELEMENTWISEOPS_TD

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

def CNN_ReluOp : CNN_ActivationOp<"relu", "max(x, 0)",
    [{ return std::max(x, 0.0); }]>;
def CNN_Relu6Op : CNN_ActivationOp<"relu6", "min(max(x, 0), 6)",
    [{ return std::min(std::max(x, 0.0), 6.0); }]>;
def CNN_SigmoidOp : CNN_ActivationOp<"sigmoid", "1 / (1 + exp(-x))",
    [{ return 1.0 / (1.0 + std::exp(-x)); }]>;
def CNN_HardswishOp : CNN_ActivationOp<"hardswish", "x * relu6(x + 3) / 6",
    [{ return x * std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0; }]>;
// MobileNetV3's squeeze-and-excitation gate (torch.nn.Hardsigmoid).
def CNN_HardsigmoidOp : CNN_ActivationOp<"hardsigmoid", "relu6(x + 3) / 6",
    [{ return std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0; }]>;
// SiLU (swish), EfficientNet's and RegNet's activation (torch.nn.SiLU).
def CNN_SiluOp : CNN_ActivationOp<"silu", "x * sigmoid(x)",
    [{ return x / (1.0 + std::exp(-x)); }]>;
// torch.nn.Tanh.
def CNN_TanhOp : CNN_ActivationOp<"tanh", "tanh(x)",
    [{ return std::tanh(x); }]>;
// torch.sqrt and torch.erf: what exported LayerNorms and exact GELUs are
// made of (--cnn-recompose makes them layer_norm and gelu again).
def CNN_SqrtOp : CNN_ActivationOp<"sqrt", "sqrt(x)",
    [{ return std::sqrt(x); }]>;
def CNN_ErfOp : CNN_ActivationOp<"erf", "erf(x)",
    [{ return std::erf(x); }]>;

def CNN_GeluOp : CNN_Op<"gelu", [Pure, SameOperandsAndResultType,
                                  CNN_ActivationOpInterface]> {
  let summary = "GELU (torch.nn.GELU)";
  let description = [{
    The exact erf form by default; `approximate tanh` is PyTorch's tanh
    approximation (`nn.GELU(approximate="tanh")`).

    ```mlir
    %y = cnn.gelu %x : tensor<1x384x56x56xf32>
    %z = cnn.gelu %x approximate tanh : tensor<1x384x56x56xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor:$input,
      DefaultValuedAttr<CNN_GeluApproximation,
                        "::cnnc::cnn::GeluApproximation::None">:$approximate);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat =
      "$input (`approximate` $approximate^)? attr-dict `:` type($input)";
  let extraClassDeclaration = "double evaluate(double x);";
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

class CNN_BinaryOp<string mnemonic, string what, list<Trait> traits = []>
    : CNN_InferredOp<mnemonic, traits> {
  let summary = "elementwise " # what # " with broadcasting of rhs";
  let description = [{
    The result has the type of `lhs`; `rhs` broadcasts into it NumPy-style
    (aligned on the right, each dimension 1 or equal). A per-channel layer
    scale is a `tensor<Cx1x1xf32>` rhs.
  }];
  let arguments = (ins CNN_Tensor:$lhs, CNN_Tensor:$rhs);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_AddOp : CNN_BinaryOp<"add", "addition">;
def CNN_SubOp : CNN_BinaryOp<"sub", "subtraction">;
def CNN_DivOp : CNN_BinaryOp<"div", "division">;
// A constant rhs of mul is a scale (ConvNeXt's layer scale).
def CNN_MulOp : CNN_BinaryOp<"mul", "multiplication", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getParameterRole"]>]>;

#endif // CNNC_DIALECT_CNN_CNNELEMENTWISEOPS_TD
