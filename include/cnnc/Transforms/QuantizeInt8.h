//===- QuantizeInt8.h - Which convs the int8 rewrite takes ------*- C++ -*-===//
//
// Calibration (lib/Quantize) records ranges on exactly the convs and values
// that --cnn-quantize-int8 rewrites; both ask these functions.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_QUANTIZEINT8_H
#define CNNC_TRANSFORMS_QUANTIZEINT8_H

#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Quantization.h"

namespace cnnc {

/// The attributes holding a conv's calibrated ranges (array<f32: min, max>).
inline constexpr llvm::StringLiteral kInputRangeAttr = "cnn.input_range";
inline constexpr llvm::StringLiteral kOutputRangeAttr = "cnn.output_range";
/// The per-output-channel scales (array<f32>) of a conv whose weights a
/// QDQ model stored as int8: its int8 form uses them, not its own.
inline constexpr llvm::StringLiteral kWeightScalesAttr = "cnn.weight_scales";
/// Which calibrated conv a cnn.qconv2d came from (an index), kept by the
/// rewrite so that its output can be compared with the fp32 conv's.
inline constexpr llvm::StringLiteral kLayerAttr = "cnn.quant_layer";

/// Whether `conv` can become a cnn.qconv2d: groups that int8 code computes
/// (quant::int8GroupsFit), constant weights.
bool isQuantizable(cnn::Conv2DOp conv);

/// The value an int8 `conv` produces: the result of the ReLU or ReLU6 that
/// is its only user (folded into it), else its own result.
mlir::Value quantizedOutput(cnn::Conv2DOp conv);

/// A cnn.qconv2d computing `conv` on the u8 `input` (quantized with `in`)
/// with int8 `weights` (conv's weight shape) and their per-channel scales,
/// its output quantized with `out` (f32 without it); built at the
/// builder's insertion point.
cnn::QConv2DOp createQConv(mlir::OpBuilder &builder, cnn::Conv2DOp conv,
                           mlir::Value input, const quant::Params &in,
                           llvm::ArrayRef<float> weightScales,
                           llvm::ArrayRef<int8_t> weights,
                           std::optional<quant::Params> out);

/// A cnn.qconv2d computing a linear layer of `features` outputs with int8
/// `weights` ([features, K]) on the u8 `input` as an N x K x 1 x 1 map (a
/// 1x1 conv, cnn-linear-as-conv's form), its output quantized with `out`
/// (f32 without it); built at the builder's insertion point.
cnn::QConv2DOp createQLinear(mlir::OpBuilder &builder, mlir::Location loc,
                             mlir::Value input, mlir::Value bias,
                             int64_t features, const quant::Params &in,
                             llvm::ArrayRef<float> weightScales,
                             llvm::ArrayRef<int8_t> weights,
                             std::optional<quant::Params> out);

} // namespace cnnc

#endif // CNNC_TRANSFORMS_QUANTIZEINT8_H
