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

// The activations users write besides the classifiers' (torch.nn.Softplus,
// Softsign, Mish, and the elementwise math of torch), each one op.
def CNN_SoftplusOp : CNN_ActivationOp<"softplus", "log(1 + exp(x))",
    [{ return x > 20.0 ? x : std::log1p(std::exp(x)); }]>;
def CNN_SoftsignOp : CNN_ActivationOp<"softsign", "x / (1 + |x|)",
    [{ return x / (1.0 + std::abs(x)); }]>;
def CNN_MishOp : CNN_ActivationOp<"mish", "x * tanh(softplus(x))",
    [{ return x * std::tanh(x > 20.0 ? x : std::log1p(std::exp(x))); }]>;
def CNN_ExpOp : CNN_ActivationOp<"exp", "exp(x)", [{ return std::exp(x); }]>;
def CNN_LogOp : CNN_ActivationOp<"log", "log(x)", [{ return std::log(x); }]>;
def CNN_AbsOp : CNN_ActivationOp<"abs", "|x|", [{ return std::abs(x); }]>;
def CNN_NegOp : CNN_ActivationOp<"neg", "-x", [{ return -x; }]>;
def CNN_ReciprocalOp : CNN_ActivationOp<"reciprocal", "1 / x",
    [{ return 1.0 / x; }]>;
// ONNX Not of a comparison's mask.
def CNN_LogicalNotOp : CNN_ActivationOp<"logical_not", "x == 0 ? 1 : 0",
    [{ return x == 0 ? 1.0 : 0.0; }]>;

// Activations with constant parameters, as attributes.
class CNN_ParameterizedActivationOp<string mnemonic, string formula,
                                    dag parameters, code reference>
    : CNN_Op<mnemonic, [Pure, SameOperandsAndResultType,
                        CNN_ActivationOpInterface]> {
  let summary = "elementwise " # mnemonic;
  let description = "Computes `" # formula # "` for every element.";
  let arguments = !con((ins CNN_Tensor:$input), parameters);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let extraClassDeclaration = "double evaluate(double x) { " # reference # " }";
}

// torch.nn.LeakyReLU.
def CNN_LeakyReluOp : CNN_ParameterizedActivationOp<"leaky_relu",
    "x >= 0 ? x : alpha * x",
    (ins DefaultValuedAttr<F64Attr, "0.01">:$alpha),
    [{ return x >= 0 ? x : getAlpha().convertToDouble() * x; }]>;
// torch.nn.ELU.
def CNN_EluOp : CNN_ParameterizedActivationOp<"elu",
    "x > 0 ? x : alpha * (exp(x) - 1)",
    (ins DefaultValuedAttr<F64Attr, "1.0">:$alpha),
    [{ return x > 0 ? x : getAlpha().convertToDouble() * std::expm1(x); }]>;
// torch.nn.CELU.
def CNN_CeluOp : CNN_ParameterizedActivationOp<"celu",
    "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))",
    (ins DefaultValuedAttr<F64Attr, "1.0">:$alpha),
    [{ double a = getAlpha().convertToDouble();
       return std::max(0.0, x) + std::min(0.0, a * std::expm1(x / a)); }]>;
// torch.nn.SELU (its constants are ONNX Selu's defaults).
def CNN_SeluOp : CNN_ParameterizedActivationOp<"selu",
    "gamma * (x > 0 ? x : alpha * (exp(x) - 1))",
    (ins DefaultValuedAttr<F64Attr, "1.6732632423543772">:$alpha,
         DefaultValuedAttr<F64Attr, "1.0507009873554805">:$gamma),
    [{ return getGamma().convertToDouble() *
              (x > 0 ? x : getAlpha().convertToDouble() * std::expm1(x)); }]>;
// torch.clamp and torch.nn.Hardtanh (ReLU and ReLU6 have their own ops).
def CNN_ClipOp : CNN_ParameterizedActivationOp<"clip", "min(max(x, min), max)",
    (ins F64Attr:$min, F64Attr:$max),
    [{ return std::min(std::max(x, getMin().convertToDouble()),
                       getMax().convertToDouble()); }]>;
// x ** c for a constant c (x * x has no op of its own: cnn.mul).
def CNN_PowOp : CNN_ParameterizedActivationOp<"pow", "x ** exponent",
    (ins F64Attr:$exponent),
    [{ return std::pow(x, getExponent().convertToDouble()); }]>;

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
  let extraClassDefinition = [{
    ::mlir::FailureOr<::mlir::Type> $cppClass::inferResultType(Adaptor op,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) {
      return ::cnnc::cnn::detail::inferBroadcastInto(op.getLhs(), op.getRhs(),
                                                     emitError);
    }
  }];
}

def CNN_AddOp : CNN_BinaryOp<"add", "addition">;
def CNN_SubOp : CNN_BinaryOp<"sub", "subtraction">;
def CNN_DivOp : CNN_BinaryOp<"div", "division">;
// torch.maximum / torch.minimum (ONNX Max / Min of two inputs).
def CNN_MaxOp : CNN_BinaryOp<"max", "maximum">;
def CNN_MinOp : CNN_BinaryOp<"min", "minimum">;
// torch.nn.PReLU: `lhs >= 0 ? lhs : rhs * lhs`, the slope per channel
// (`tensor<Cx1x1xf32>`) or one for all (`tensor<1xf32>`).
def CNN_PreluOp : CNN_BinaryOp<"prelu", "PReLU (rhs: the negative slope)",
    [DeclareOpInterfaceMethods<CNN_LayerOpInterface, ["getParameterRole"]>]>;
// Comparisons give a mask: 1.0 where the comparison holds, else 0.0 (the
// dialect's tensors are f32; ONNX's are bool). cnn.select reads it.
def CNN_GreaterOp : CNN_BinaryOp<"greater", "lhs > rhs as 1.0 or 0.0">;
def CNN_GreaterEqualOp : CNN_BinaryOp<"greater_equal",
                                      "lhs >= rhs as 1.0 or 0.0">;
def CNN_LessOp : CNN_BinaryOp<"less", "lhs < rhs as 1.0 or 0.0">;
def CNN_LessEqualOp : CNN_BinaryOp<"less_equal", "lhs <= rhs as 1.0 or 0.0">;
def CNN_EqualOp : CNN_BinaryOp<"equal", "lhs == rhs as 1.0 or 0.0">;
// A constant rhs of mul is a scale (ConvNeXt's layer scale).
def CNN_MulOp : CNN_BinaryOp<"mul", "multiplication", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getParameterRole"]>]>;

//===----------------------------------------------------------------------===//
// Selection
//===----------------------------------------------------------------------===//

def CNN_SelectOp : CNN_Op<"select", [Pure]> {
  let summary = "on_true where the condition is not 0, else on_false "
                "(torch.where, ONNX Where)";
  let description = [{
    The three operands broadcast NumPy-style into the result type. The
    condition is a mask from a comparison (1.0 or 0.0).

    ```mlir
    %m = cnn.greater %x, %zero : (tensor<1x8x4x4xf32>, tensor<1xf32>) -> tensor<1x8x4x4xf32>
    %y = cnn.select %m, %x, %scaled : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor:$condition, CNN_Tensor:$on_true,
                   CNN_Tensor:$on_false);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $on_true `,` $on_false attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // CNNC_DIALECT_CNN_CNNELEMENTWISEOPS_TD
