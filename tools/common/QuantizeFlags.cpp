//===- QuantizeFlags.cpp - --quantize and --calibration -------------------===//

#include "QuantizeFlags.h"
#include "ModelFlags.h"
#include "cnnc/Import/LoadModel.h"
#include "cnnc/Quantize/Quantize.h"
#include "cnnc/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"

#include <sstream>

using namespace llvm;

namespace {
cl::opt<std::string> precision(
    "quantize",
    cl::desc("int8: convs in int8 (u8 activations, i8 weights per output "
             "channel), calibrated on --calibration's inputs"),
    cl::value_desc("int8"), cl::cat(cnnc::modelFlagsCategory()));
cl::opt<std::string> calibration(
    "calibration",
    cl::desc("For --quantize=int8: a .npy of inputs (N x the model's input "
             "without its batch), or a folder of them"),
    cl::value_desc("path"), cl::cat(cnnc::modelFlagsCategory()));
cl::opt<std::string>
    method("calibration-method",
           cl::desc("How the calibration inputs give activation ranges (ONNX "
                    "Runtime's methods)"),
           cl::value_desc("minmax|percentile|entropy"), cl::init("minmax"),
           cl::cat(cnnc::modelFlagsCategory()));
cl::opt<double> percentile(
    "calibration-percentile",
    cl::desc("The share of values a percentile range keeps (99.999)"),
    cl::value_desc("P"), cl::init(99.999), cl::cat(cnnc::modelFlagsCategory()));
cl::opt<bool> report(
    "quantize-report",
    cl::desc("Print each int8 conv's scales and its output's SQNR against "
             "fp32 on the calibration inputs"),
    cl::cat(cnnc::modelFlagsCategory()));
cl::opt<bool> quantizeStems(
    "quantize-stems",
    cl::desc("Quantize every conv of under 16 input channels (a stem on "
             "RGB) too; by default only a stem whose kernel columns fold "
             "into its channels is"),
    cl::Hidden, cl::cat(cnnc::modelFlagsCategory()));
cl::opt<double>
    minSqnr("quantize-min-sqnr",
            cl::desc("Keep convs whose int8 SQNR is under DB in fp32"),
            cl::value_desc("DB"), cl::init(-1e300),
            cl::cat(cnnc::modelFlagsCategory()));

Error flagError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}
} // namespace

Error cnnc::optimizeFromFlags(mlir::ModuleOp module, StringRef functionName,
                              unsigned level) {
  const bool int8 = precision == "int8";
  if (!int8 && !precision.empty() && precision != "none")
    return flagError("--quantize=" + precision +
                     ": the precisions are int8 and none");
  if (!int8 && (!calibration.empty() || report || minSqnr.getNumOccurrences() ||
                method.getNumOccurrences() || percentile.getNumOccurrences() ||
                quantizeStems))
    return flagError("--calibration, --calibration-method, "
                     "--calibration-percentile, --quantize-report, "
                     "--quantize-min-sqnr and --quantize-stems are for "
                     "--quantize=int8");
  CalibrationOptions calibrationOptions;
  if (method == "percentile")
    calibrationOptions.method = CalibrationMethod::Percentile;
  else if (method == "entropy")
    calibrationOptions.method = CalibrationMethod::Entropy;
  else if (method != "minmax")
    return flagError("--calibration-method=" + method +
                     ": the methods are minmax, percentile and entropy");
  if (percentile.getNumOccurrences() &&
      calibrationOptions.method != CalibrationMethod::Percentile)
    return flagError("--calibration-percentile is for "
                     "--calibration-method=percentile");
  if (!(percentile > 0 && percentile <= 100))
    return flagError("--calibration-percentile=" +
                     (std::ostringstream() << percentile.getValue()).str() +
                     ": a share in percent, over 0 and at most 100");
  calibrationOptions.percentile = percentile;
  calibrationOptions.quantizeStems = quantizeStems;
  if (int8 && calibration.empty())
    return flagError("--quantize=int8 needs --calibration=PATH (a .npy of "
                     "inputs, or a folder of them)");
  mlir::PassManager folds(module.getContext());
  buildFoldPipeline(folds, level);
  if (failed(folds.run(module)))
    return flagError("the optimization pipeline failed");
  if (int8) {
    mlir::func::FuncOp func = findModelFunction(module, functionName);
    if (!func || func.getNumArguments() != 1)
      return flagError("--quantize=int8 needs a model function of one input");
    auto type =
        llvm::cast<mlir::RankedTensorType>(func.getArgument(0).getType());
    Expected<std::vector<reference::Tensor>> inputs =
        readCalibrationInputs(calibration, type.getShape());
    if (!inputs)
      return inputs.takeError();
    QuantizeOptions options;
    options.calibration = calibrationOptions;
    options.minSqnrDb = minSqnr;
    options.measure = report || minSqnr.getNumOccurrences();
    Expected<std::vector<LayerReport>> layers =
        quantizeInt8(func, *inputs, options);
    if (!layers)
      return layers.takeError();
    if (report)
      errs() << formatReport(*layers);
  }
  mlir::PassManager fusions(module.getContext());
  buildFusePipeline(fusions, level);
  if (failed(fusions.run(module)))
    return flagError("the optimization pipeline failed");
  return Error::success();
}
