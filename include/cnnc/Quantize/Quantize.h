//===- Quantize.h - Post-training int8 quantization -------------*- C++ -*-===//
//
// `cnnc --quantize=int8 --calibration=PATH`: the model runs on the
// calibration inputs in the reference interpreter, which records the range
// of every activation an int8 conv reads or writes; --cnn-quantize-int8
// then rewrites those convs (Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_QUANTIZE_QUANTIZE_H
#define CNNC_QUANTIZE_QUANTIZE_H

#include "cnnc/Reference/Interpreter.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <limits>
#include <string>
#include <vector>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace cnnc {

/// Reads calibration inputs for a model whose input has `inputShape`
/// ([B, C, H, W]): one .npy of [N, C, H, W] (or [C, H, W]), or a folder of
/// such files, in name order. The N samples are cut into batches of B; N
/// must be a positive multiple of B. Errors name the file and the shapes.
llvm::Expected<std::vector<reference::Tensor>>
readCalibrationInputs(llvm::StringRef path, llvm::ArrayRef<int64_t> inputShape);

/// How activation ranges come from the calibration inputs (ONNX Runtime's
/// calibration methods).
enum class CalibrationMethod {
  /// The smallest and largest value (the default).
  MinMax,
  /// The range holding `percentile`% of the values.
  Percentile,
  /// The range whose u8 quantization loses the least information (KL
  /// divergence of the histograms).
  Entropy,
};

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::MinMax;
  double percentile = 99.999;
  /// Quantize dense convs of under 16 input channels too (a stem on RGB),
  /// which otherwise stay f32: a model whose every conv is int8 runs the
  /// same integers in every engine (the tests' zoo checks).
  bool quantizeStems = false;
};

/// Runs `func` (weights bound) on every input with the reference
/// interpreter and writes each quantizable conv's input and output ranges
/// (by `options.method`, over all inputs) as the attributes
/// --cnn-quantize-int8 reads. The histogram methods run the inputs twice:
/// min-max first, for the histograms' bounds.
llvm::Error calibrate(mlir::func::FuncOp func,
                      llvm::ArrayRef<reference::Tensor> inputs,
                      const CalibrationOptions &options = {});

struct QuantizeOptions {
  CalibrationOptions calibration;
  /// Measure each conv's SQNR (runs the model twice more per calibration
  /// input); without it the report is empty and nothing stays fp32.
  bool measure = false;
  /// Convs whose int8 output's SQNR against fp32 (on the calibration
  /// inputs) is below this stay fp32.
  double minSqnrDb = -std::numeric_limits<double>::infinity();
};

/// What quantization did to one conv.
struct LayerReport {
  /// The module path of its weight (`layer1.0.conv1`), or its location.
  std::string name;
  float inputScale = 0, outputScale = 0;
  int inputZeroPoint = 0, outputZeroPoint = 0;
  /// Signal-to-quantization-noise ratio of its output (dequantized)
  /// against the fp32 model's on the calibration inputs, errors of earlier
  /// int8 layers included, with every conv int8.
  double sqnrDb = 0;
  bool keptFp32 = false;
};

/// A table of `layers`, one row each, for --quantize-report.
std::string formatReport(llvm::ArrayRef<LayerReport> layers);

/// calibrate, then --cnn-quantize-int8 and canonicalization on `func`;
/// with `options.measure`, first measures each conv's SQNR with every conv
/// int8 and keeps those under `options.minSqnrDb` in fp32.
llvm::Expected<std::vector<LayerReport>>
quantizeInt8(mlir::func::FuncOp func, llvm::ArrayRef<reference::Tensor> inputs,
             const QuantizeOptions &options = {});

} // namespace cnnc

#endif // CNNC_QUANTIZE_QUANTIZE_H
