//===- Report.h - Per-layer SQNR of an int8 model ---------------*- C++ -*-===//
//
// Private to lib/Quantize.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_QUANTIZE_REPORT_H
#define CNNC_LIB_QUANTIZE_REPORT_H

#include "cnnc/Quantize/Quantize.h"

namespace cnnc {

/// Runs `fp32` and `int8` (its quantized copy, whose cnn.qconv2d ops carry
/// the cnn.quant_layer index of the conv they replace) on every input and
/// reports, per layer, the int8 output's parameters and its SQNR against
/// the fp32 conv's output.
llvm::Expected<std::vector<LayerReport>>
measureLayers(mlir::func::FuncOp fp32, mlir::func::FuncOp int8,
              llvm::ArrayRef<reference::Tensor> inputs);

} // namespace cnnc

#endif // CNNC_LIB_QUANTIZE_REPORT_H
