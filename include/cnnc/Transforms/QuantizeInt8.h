//===- QuantizeInt8.h - Which convs the int8 rewrite takes ------*- C++ -*-===//
//
// Calibration (lib/Quantize) records ranges on exactly the convs and values
// that --cnn-quantize-int8 rewrites; both ask these functions.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_QUANTIZEINT8_H
#define CNNC_TRANSFORMS_QUANTIZEINT8_H

#include "cnnc/Dialect/CNN/CNNOps.h"

namespace cnnc {

/// The attributes holding a conv's calibrated ranges (array<f32: min, max>).
inline constexpr llvm::StringLiteral kInputRangeAttr = "cnn.input_range";
inline constexpr llvm::StringLiteral kOutputRangeAttr = "cnn.output_range";
/// Which calibrated conv a cnn.qconv2d came from (an index), kept by the
/// rewrite so that its output can be compared with the fp32 conv's.
inline constexpr llvm::StringLiteral kLayerAttr = "cnn.quant_layer";

/// Whether `conv` can become a cnn.qconv2d: no groups, constant weights.
bool isQuantizable(cnn::Conv2DOp conv);

/// The value an int8 `conv` produces: the result of the ReLU or ReLU6 that
/// is its only user (folded into it), else its own result.
mlir::Value quantizedOutput(cnn::Conv2DOp conv);

} // namespace cnnc

#endif // CNNC_TRANSFORMS_QUANTIZEINT8_H
