//===- CNNQuantOps.td - Quantized ops of the cnn dialect --*- tablegen -*-===//
//
// Int8 inference as ONNX's QDQ format writes it: a quantized activation is
// a `ui8` tensor whose real value is `(q - zero_point) * scale`; the ops
// that make, read and compute on one carry their scale and zero point as
// attributes. Weights are `i8` (signed), symmetric, one scale per output
// channel. Every step rounds as include/cnnc/Support/Quantization.h says,
// so the reference interpreter and compiled code agree bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_CNNQUANTOPS_TD
#define CNNC_DIALECT_CNN_CNNQUANTOPS_TD

def CNN_QTensor : StaticShapeTensorOf<[UI8]>;
def CNN_QTensor4D : Type<And<[CNN_QTensor.predicate,
    CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 4">]>,
    "4-D (NCHW) static ui8 tensor", "::mlir::TensorType">;
def CNN_QWeight4D : Type<And<[StaticShapeTensorOf<[I8]>.predicate,
    CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 4">]>,
    "4-D (OIHW) static i8 tensor", "::mlir::TensorType">;

def CNN_QuantizeOp : CNN_InferredOp<"quantize"> {
  let summary = "f32 to u8 (ONNX QuantizeLinear)";
  let description = [{
    `q = saturate(round(x * (1 / scale)) + zero_point)` to [0, 255],
    rounding half to even. The quantize of a dequantize with the same
    parameters folds to the dequantize's input, and one of a max pooling
    of such a dequantize becomes the max pooling of its u8 input.

    ```mlir
    %q = cnn.quantize %x {scale = 0.05 : f32, zero_point = 128 : i64}
        : (tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xui8>
    ```
  }];
  let arguments = (ins CNN_Tensor:$input, F32Attr:$scale,
      I64Attr:$zero_point);
  let results = (outs CNN_QTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def CNN_DequantizeOp : CNN_InferredOp<"dequantize"> {
  let summary = "u8 to f32 (ONNX DequantizeLinear)";
  let description = [{
    `x = (q - zero_point) * scale`.

    ```mlir
    %x = cnn.dequantize %q {scale = 0.05 : f32, zero_point = 128 : i64}
        : (tensor<1x64x56x56xui8>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins CNN_QTensor:$input, F32Attr:$scale,
      I64Attr:$zero_point);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_QConv2DOp : CNN_InferredOp<"qconv2d", [DeclareOpInterfaceMethods<
    CNN_LayerOpInterface, ["getMacs", "getSpatialWindow", "getParameterRole"]>]> {
  let summary = "int8 2-D convolution with its requantization";
  let description = [{
    A `cnn.conv2d` on a u8 input and i8 weights (ONNX QLinearConv). Each
    output channel `o` accumulates in int32
    `bias_q[o] + sum((x - input_zero_point) * w)`, where the padding reads
    the input's zero point (a real 0) and `bias_q[o] = round(bias[o] /
    (input_scale * weight_scales[o]))`; the output is
    `saturate(round(acc * input_scale * weight_scales[o] / output_scale) +
    output_zero_point)`. A ReLU or ReLU6 after the conv is its output
    range: a zero point of 0 saturates below zero.

    Without `output_scale` and `output_zero_point` the result is f32, the
    accumulator's real value `acc * (input_scale * weight_scales[o])`, as
    ONNX Runtime's QGemm writes a float output: a QDQ model's last linear
    layer, or a conv whose result nothing quantizes.

    ```mlir
    %y = cnn.qconv2d %q, %w, %b {padding = array<i64: 1, 1, 1, 1>,
        input_scale = 0.02 : f32, input_zero_point = 0 : i64,
        weight_scales = array<f32: 0.01, 0.02>, output_scale = 0.04 : f32,
        output_zero_point = 0 : i64}
        : (tensor<1x16x8x8xui8>, tensor<2x16x3x3xi8>, tensor<2xf32>)
        -> tensor<1x2x8x8xui8>
    ```
  }];
  let arguments = (ins CNN_QTensor4D:$input, CNN_QWeight4D:$weight,
      Optional<CNN_Tensor1D>:$bias,
      DefaultValuedAttr<CNN_Pair, "{1, 1}">:$stride,
      DefaultValuedAttr<CNN_Quad, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<CNN_Pair, "{1, 1}">:$dilation,
      DefaultValuedAttr<I64Attr, "1">:$groups,
      F32Attr:$input_scale, I64Attr:$input_zero_point,
      DenseF32ArrayAttr:$weight_scales,
      OptionalAttr<F32Attr>:$output_scale,
      OptionalAttr<I64Attr>:$output_zero_point);
  let results = (outs CNN_Tensor4DOrU8:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Whether the result is the f32 accumulator's value, not u8.
    bool writesFloat() { return !getOutputScale().has_value(); }
  }];
}

def CNN_LookupTableOp : CNN_Op<"lookup_table", [Pure]> {
  let summary = "a function of a u8 value, tabulated";
  let description = [{
    `y = table[q]` for every element: an elementwise function of a
    quantized value has only 256 inputs. `--cnn-quantized-tables` makes one
    of each dequantize -> activations (-> quantize) chain, evaluating it on
    the 256 values as the reference interpreter does, so int8 models with
    SiLU, sigmoid or hardswish between their convs stay exact. The result
    is f32, or u8 (the table then holds integers in [0, 255]).

    ```mlir
    %y = cnn.lookup_table %q {table = array<f32: 0.0, 1.0, ...>}
        : (tensor<1x64x56x56xui8>) -> tensor<1x64x56x56xui8>
    ```
  }];
  let arguments = (ins CNN_QTensor:$input, DenseF32ArrayAttr:$table);
  let results = (outs AnyTypeOf<[CNN_Tensor, CNN_QTensor]>:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // CNNC_DIALECT_CNN_CNNQUANTOPS_TD
