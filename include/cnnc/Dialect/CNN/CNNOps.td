//===- CNNOps.td - Operations of the cnn dialect ----------*- tablegen -*-===//
//
// Each op follows PyTorch's semantics and NCHW layout. Ops whose result shape
// follows from their operands infer it (InferTypeOpInterface); the checks that
// make inference possible live in one C++ function per op, shared by the
// verifier (which reports them on the op) and by inference (which is silent).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_CNNOPS_TD
#define CNNC_DIALECT_CNN_CNNOPS_TD

include "cnnc/Dialect/CNN/CNNDialect.td"
include "cnnc/Dialect/CNN/CNNInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type and attribute constraints
//===----------------------------------------------------------------------===//

def CNN_Tensor : StaticShapeTensorOf<[F32]>;
def CNN_Tensor1D : Type<And<[CNN_Tensor.predicate,
    CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 1">]>,
    "1-D static f32 tensor", "::mlir::TensorType">;
def CNN_Tensor2D : Type<And<[CNN_Tensor.predicate,
    CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 2">]>,
    "2-D static f32 tensor", "::mlir::TensorType">;
def CNN_Tensor4D : Type<And<[CNN_Tensor.predicate,
    CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 4">]>,
    "4-D (NCHW) static f32 tensor", "::mlir::TensorType">;

// Max pooling also runs on u8 (quantized) maps, whose order it keeps; an
// int8 conv writes u8 or, without output parameters, f32.
def CNN_Tensor4DOrU8 : Type<And<[StaticShapeTensorOf<[F32, UI8]>.predicate,
    CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 4">]>,
    "4-D (NCHW) static f32 or ui8 tensor", "::mlir::TensorType">;

def CNN_Pair : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;

// GELU's form: exact (erf) or PyTorch's tanh approximation.
def CNN_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "GELU's exact form or its tanh approximation", [
      I32EnumAttrCase<"None", 0, "none">,
      I32EnumAttrCase<"Tanh", 1, "tanh">]> {
  let cppNamespace = "::cnnc::cnn";
}

// What a fused group computes, which tells code generation its schedule.
def CNN_GroupKind : I32EnumAttr<"GroupKind", "the kind of a fused group", [
      I32EnumAttrCase<"Conv", 0, "conv">,
      I32EnumAttrCase<"DepthwisePointwise", 1, "depthwise_pointwise">,
      I32EnumAttrCase<"NormActivation", 2, "norm_activation">,
      I32EnumAttrCase<"Elementwise", 3, "elementwise">]> {
  let cppNamespace = "::cnnc::cnn";
}
def CNN_Quad : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

class CNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<CNN_Dialect, mnemonic, traits>;

// An op whose single result type is computed from its operands and
// attributes by `inferResultType`, one function per op in CNNOps.cpp. The
// verifier reports that function's errors on the op (naming operands and
// shapes) and compares the written result type with the inferred one;
// inference itself stays silent, so a bad op gets one clear error.
def CNN_InferredResultType : NativeOpTrait<"InferredResultType", [],
  /*extraOpDeclaration=*/[{
    static ::mlir::FailureOr<::mlir::Type> inferResultType(Adaptor adaptor,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError);
  }],
  /*extraOpDefinition=*/[{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location>, ::mlir::ValueRange operands,
        ::mlir::DictionaryAttr attributes, ::mlir::OpaqueProperties properties,
        ::mlir::RegionRange regions,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      return ::cnnc::cnn::detail::inferSilently<$cppClass>(
          Adaptor(operands, attributes, properties, regions),
          inferredReturnTypes);
    }
    ::llvm::LogicalResult $cppClass::refineReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location>, ::mlir::ValueRange operands,
        ::mlir::DictionaryAttr attributes, ::mlir::OpaqueProperties properties,
        ::mlir::RegionRange regions,
        ::llvm::SmallVectorImpl<::mlir::Type> &returnTypes) {
      return ::cnnc::cnn::detail::refineSilently<$cppClass>(
          Adaptor(operands, attributes, properties, regions), returnTypes);
    }
    ::llvm::LogicalResult $cppClass::verify() {
      return ::cnnc::cnn::detail::verifyInferred(*this);
    }
  }]> {
  let cppNamespace = "::cnnc::cnn";
}

class CNN_InferredOp<string mnemonic, list<Trait> traits = []>
    : CNN_Op<mnemonic, traits # [Pure,
        DeclareOpInterfaceMethods<InferTypeOpInterface, ["refineReturnTypes"]>,
        CNN_InferredResultType]> {
  let hasVerifier = 1;
}

// An activation: one input, same type out, `formula` for every element;
// `reference` is the body of its evaluate(double x), the reference
// interpreter's definition (ActivationOpInterface).
class CNN_ActivationOp<string mnemonic, string formula, code reference>
    : CNN_Op<mnemonic, [Pure, SameOperandsAndResultType,
                        CNN_ActivationOpInterface]> {
  let summary = "elementwise " # mnemonic;
  let description = "Computes `" # formula # "` for every element.";
  let arguments = (ins CNN_Tensor:$input);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let extraClassDeclaration = "double evaluate(double x) { " # reference # " }";
}

//===----------------------------------------------------------------------===//
// Parameters and constants
//===----------------------------------------------------------------------===//

def CNN_WeightOp : CNN_Op<"weight", [Pure]> {
  let summary = "a named model parameter";
  let description = [{
    Names a parameter of the model, bound later from a weights file. Names
    and shapes follow torchvision's `state_dict()` keys.

    ```mlir
    %w = cnn.weight "layer1.0.conv1.weight" : tensor<64x64x3x3xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def CNN_ConstantOp : CNN_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "a constant tensor";
  let description = [{
    ```mlir
    %c = cnn.constant dense<1.0> : tensor<4xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  // i8: a quantized conv's weights (CNNQuantOps.td).
  let results = (outs StaticShapeTensorOf<[F32, I8]>:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and normalization
//===----------------------------------------------------------------------===//

def CNN_Conv2DOp : CNN_InferredOp<"conv2d", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getMacs", "getSpatialWindow", "getParameterRole"]>]> {
  let summary = "2-D convolution (torch.nn.Conv2d)";
  let description = [{
    NCHW input, OIHW weight with `I = C / groups`, optional bias of `O`
    elements. `padding` is per side: `[top, left, bottom, right]`. A
    depthwise conv has `groups = C`; a pointwise conv has a 1x1 kernel.
    `padding_values`, one per input channel, is what the padding reads
    (zeros without it): an affine folded into the conv moves its zeros.

    ```mlir
    %y = cnn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>}
        : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor4D:$input, CNN_Tensor4D:$weight,
      Optional<CNN_Tensor1D>:$bias,
      DefaultValuedAttr<CNN_Pair, "{1, 1}">:$stride,
      DefaultValuedAttr<CNN_Quad, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<CNN_Pair, "{1, 1}">:$dilation,
      DefaultValuedAttr<I64Attr, "1">:$groups,
      OptionalAttr<DenseF32ArrayAttr>:$padding_values);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_ConvTranspose2DOp : CNN_InferredOp<"conv_transpose2d",
    [DeclareOpInterfaceMethods<CNN_LayerOpInterface, ["getMacs"]>]> {
  let summary = "2-D transposed convolution (torch.nn.ConvTranspose2d)";
  let description = [{
    The gradient of a conv with the same attributes: each input pixel
    scatters its kernel window, scaled, into the output, `stride` pixels
    apart. Weight `[C, O / groups, kh, kw]` (ONNX's and PyTorch's layout),
    optional bias of `O`; `padding` `[top, left, bottom, right]` crops the
    output, `output_padding` adds to its bottom and right:
    `H_out = (H - 1) * stride - top - bottom + dilation * (kh - 1) +
    output_padding + 1`. U-Nets and decoders upsample with it.

    ```mlir
    %y = cnn.conv_transpose2d %x, %w {stride = array<i64: 2, 2>}
        : (tensor<1x64x28x28xf32>, tensor<64x32x2x2xf32>) -> tensor<1x32x56x56xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor4D:$input, CNN_Tensor4D:$weight,
      Optional<CNN_Tensor1D>:$bias,
      DefaultValuedAttr<CNN_Pair, "{1, 1}">:$stride,
      DefaultValuedAttr<CNN_Quad, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<CNN_Pair, "{1, 1}">:$dilation,
      DefaultValuedAttr<CNN_Pair, "{0, 0}">:$output_padding,
      DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_BatchNormOp : CNN_InferredOp<"batch_norm", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getParameterRole"]>]> {
  let summary = "inference-time batch normalization (torch.nn.BatchNorm2d)";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon) * weight + bias`, per channel.
    Operands are in torchvision's order: weight (gamma), bias (beta),
    running_mean, running_var.
  }];
  let arguments = (ins CNN_Tensor4D:$input, CNN_Tensor1D:$weight,
      CNN_Tensor1D:$bias, CNN_Tensor1D:$mean, CNN_Tensor1D:$variance,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $mean `,` $variance attr-dict
    `:` functional-type(operands, results)
  }];
}

def CNN_LayerNormOp : CNN_InferredOp<"layer_norm", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getParameterRole"]>]> {
  let summary = "layer normalization over the channel dimension";
  let description = [{
    Normalizes each pixel's channel vector, as ConvNeXt's LayerNorm2d (and
    its channels-last LayerNorm inside a block):
    `y = (x - mean_c) / sqrt(var_c + epsilon) * weight + bias`.
  }];
  let arguments = (ins CNN_Tensor4D:$input, CNN_Tensor1D:$weight,
      CNN_Tensor1D:$bias, DefaultValuedAttr<F64Attr, "1e-6">:$epsilon);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_GroupNormOp : CNN_InferredOp<"group_norm", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getParameterRole"]>]> {
  let summary = "group normalization (torch.nn.GroupNorm, InstanceNorm2d)";
  let description = [{
    Splits the channels into `groups` consecutive groups and normalizes
    each group of each image over its channels and all of H x W, then
    scales and shifts per channel:
    `y = (x - mean_g) / sqrt(var_g + epsilon) * weight + bias`, with the
    biased variance. InstanceNorm2d is one channel per group. `groups`
    must divide the channels.
  }];
  let arguments = (ins CNN_Tensor4D:$input, CNN_Tensor1D:$weight,
      CNN_Tensor1D:$bias, I64Attr:$groups,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias attr-dict `:` functional-type(operands, results)
  }];
}

// Activations and elementwise binary ops.
include "cnnc/Dialect/CNN/CNNElementwiseOps.td"

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def CNN_MaxPool2DOp : CNN_InferredOp<"max_pool2d", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getSpatialWindow"]>]> {
  let summary = "2-D max pooling (torch.nn.MaxPool2d)";
  let description = [{
    Padded positions never win. `padding` is `[top, left, bottom, right]`.
    On a u8 map (a quantized activation) it takes the largest u8 value,
    which is the largest real value: dequantization keeps order.
  }];
  let arguments = (ins CNN_Tensor4DOrU8:$input, CNN_Pair:$kernel_size,
      CNN_Pair:$stride,
      DefaultValuedAttr<CNN_Quad, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<CNN_Pair, "{1, 1}">:$dilation,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs CNN_Tensor4DOrU8:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_AvgPool2DOp : CNN_InferredOp<"avg_pool2d", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getSpatialWindow"]>]> {
  let summary = "2-D average pooling (torch.nn.AvgPool2d)";
  let description = [{
    With `count_include_pad` (the default, as in PyTorch) the divisor counts
    padded positions inside the padded input, never positions past it.
  }];
  let arguments = (ins CNN_Tensor4D:$input, CNN_Pair:$kernel_size,
      CNN_Pair:$stride,
      DefaultValuedAttr<CNN_Quad, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "true">:$count_include_pad);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_AdaptiveAvgPool2DOp : CNN_InferredOp<"adaptive_avg_pool2d", [
    DeclareOpInterfaceMethods<CNN_LayerOpInterface, ["getSpatialWindow"]>]> {
  let summary = "adaptive average pooling (torch.nn.AdaptiveAvgPool2d)";
  let description = [{
    Output cell `i` averages input rows `floor(i * H / OH)` to
    `ceil((i + 1) * H / OH)` (exclusive), and likewise for columns.
  }];
  let arguments = (ins CNN_Tensor4D:$input, CNN_Pair:$output_size);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

include "cnnc/Dialect/CNN/CNNShapeOps.td"

//===----------------------------------------------------------------------===//
// Classifier head
//===----------------------------------------------------------------------===//

def CNN_LinearOp : CNN_InferredOp<"linear", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getMacs", "getParameterRole"]>]> {
  let summary = "fully connected layer (torch.nn.Linear)";
  let description = [{
    `[N, K]` input, `[M, K]` weight, optional `[M]` bias, `[N, M]` result.
  }];
  let arguments = (ins CNN_Tensor2D:$input, CNN_Tensor2D:$weight,
      Optional<CNN_Tensor1D>:$bias);
  let results = (outs CNN_Tensor2D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

// What a reduction computes over its axes (one op per kind below).
def CNN_Reduction : I32EnumAttr<"Reduction", "what a reduction computes", [
      I32EnumAttrCase<"Mean", 0, "mean">,
      I32EnumAttrCase<"Sum", 1, "sum">,
      I32EnumAttrCase<"Max", 2, "max">,
      I32EnumAttrCase<"Min", 3, "min">,
      I32EnumAttrCase<"L1", 4, "l1">,
      I32EnumAttrCase<"L2", 5, "l2">,
      I32EnumAttrCase<"SumSquare", 6, "sum_square">,
      I32EnumAttrCase<"ArgMax", 7, "argmax">,
      I32EnumAttrCase<"ArgMin", 8, "argmin">]> {
  let cppNamespace = "::cnnc::cnn";
}

// A reduction over `axes` (each in `[0, rank)`, ascending); with `keepdim`
// (the default) they stay as dimensions of size 1. `kind` is what the
// lowering and the reference interpreter compute (`kReduction`). An index
// reduction (`singleAxis`) takes exactly one axis.
class CNN_ReduceOp<string mnemonic, string kind, string what,
                   string singleAxis = "false">
    : CNN_InferredOp<mnemonic> {
  let summary = what;
  let arguments = (ins CNN_Tensor:$input, DenseI64ArrayAttr:$axes,
      DefaultValuedAttr<BoolAttr, "true">:$keepdim);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    static constexpr ::cnnc::cnn::Reduction kReduction =
        ::cnnc::cnn::Reduction::}] # kind # [{;
  }];
  let extraClassDefinition = [{
    ::mlir::FailureOr<::mlir::Type> $cppClass::inferResultType(Adaptor op,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) {
      return ::cnnc::cnn::detail::inferReduced(op.getInput(), op.getAxes(),
                                               op.getKeepdim(), emitError,
                                               }] # singleAxis # [{);
    }
  }];
}

def CNN_ReduceMeanOp : CNN_ReduceOp<"reduce_mean", "Mean",
                                    "mean over some dimensions (torch.mean)"> {
  let description = [{
    An exported LayerNorm takes the mean over the channels (`axes = [1]`).

    ```mlir
    %m = cnn.reduce_mean %x {axes = array<i64: 1>}
        : (tensor<1x96x56x56xf32>) -> tensor<1x1x56x56xf32>
    ```
  }];
}
def CNN_ReduceSumOp : CNN_ReduceOp<"reduce_sum", "Sum",
    "sum over some dimensions (torch.sum)">;
def CNN_ReduceMaxOp : CNN_ReduceOp<"reduce_max", "Max",
    "maximum over some dimensions (torch.amax)">;
def CNN_ReduceMinOp : CNN_ReduceOp<"reduce_min", "Min",
    "minimum over some dimensions (torch.amin)">;
def CNN_ReduceL1Op : CNN_ReduceOp<"reduce_l1", "L1",
    "sum of absolute values over some dimensions (torch.norm, p=1)">;
def CNN_ReduceL2Op : CNN_ReduceOp<"reduce_l2", "L2",
    "Euclidean norm over some dimensions (torch.norm)">;
def CNN_ReduceSumSquareOp : CNN_ReduceOp<"reduce_sum_square", "SumSquare",
    "sum of squares over some dimensions">;
def CNN_ArgMaxOp : CNN_ReduceOp<"argmax", "ArgMax",
    "index of the first maximum along one dimension (torch.argmax)", "true"> {
  let description = [{
    The index is an f32 value (exact below 2^24), as the dialect's masks are
    f32: a segmentation head's class map.

    ```mlir
    %classes = cnn.argmax %scores {axes = array<i64: 1>, keepdim = false}
        : (tensor<1x21x64x64xf32>) -> tensor<1x64x64xf32>
    ```
  }];
}
def CNN_ArgMinOp : CNN_ReduceOp<"argmin", "ArgMin",
    "index of the first minimum along one dimension (torch.argmin)", "true">;

// Softmax and log-softmax along one axis.
class CNN_SoftmaxBase<string mnemonic, string what>
    : CNN_InferredOp<mnemonic> {
  let summary = what;
  let arguments = (ins CNN_Tensor:$input,
      DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition = [{
    ::mlir::FailureOr<::mlir::Type> $cppClass::inferResultType(Adaptor op,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) {
      return ::cnnc::cnn::detail::inferAlongAxis(
          op.getInput(), static_cast<int64_t>(op.getAxis()), emitError);
    }
  }];
}

def CNN_SoftmaxOp : CNN_SoftmaxBase<"softmax",
    "softmax along one axis (torch.softmax)">;
// x - max - log(sum(exp(x - max))): exact where log(softmax) underflows.
def CNN_LogSoftmaxOp : CNN_SoftmaxBase<"log_softmax",
    "log-softmax along one axis (torch.log_softmax)">;

//===----------------------------------------------------------------------===//
// Fused groups
//===----------------------------------------------------------------------===//

def CNN_GroupOp : CNN_Op<"group", [RecursiveMemoryEffects, SingleBlock]> {
  let summary = "ops fused into one kernel";
  let description = [{
    The fusion passes put ops that code generation must compute together
    into a group: its region holds the original ops, in order, and ends in
    `cnn.yield` of the group's result. Values from outside are used
    directly. The group means exactly what its ops mean; `kind` tells code
    generation which schedule fits:

    - `conv`: a convolution and its epilogue (BatchNorm affine, layer
      scale, residual add, activation);
    - `depthwise_pointwise`: a depthwise conv and the pointwise convs
      around it (MobileNetV1's pair, MobileNetV2's inverted residual,
      ConvNeXt's block), whose depthwise result is computed per tile and
      never stored whole;
    - `norm_activation`: a normalization and the activation after it;
    - `elementwise`: a chain of elementwise ops, computed in one pass.

    ```mlir
    %y = cnn.group conv : tensor<1x64x56x56xf32> {
      %0 = cnn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : ...
      %1 = cnn.relu %0 : tensor<1x64x56x56xf32>
      cnn.yield %1 : tensor<1x64x56x56xf32>
    }
    ```
  }];
  let arguments = (ins CNN_GroupKind:$kind);
  let results = (outs StaticShapeTensorOf<[F32, UI8]>:$result);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$kind attr-dict `:` type($result) $body";
  let hasVerifier = 1;
}

def CNN_YieldOp : CNN_Op<"yield",
    [Pure, Terminator, HasParent<"GroupOp">]> {
  let summary = "the result of a cnn.group";
  let arguments = (ins StaticShapeTensorOf<[F32, UI8]>:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

// Int8 ops: quantize, dequantize, qconv2d.
include "cnnc/Dialect/CNN/CNNQuantOps.td"

#endif // CNNC_DIALECT_CNN_CNNOPS_TD
