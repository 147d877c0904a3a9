//===- Calibrate.cpp - Activation ranges from calibration inputs ----------===//
//
// Min-max calibration, as ONNX Runtime's default: each activation an int8
// conv reads or writes gets the smallest and largest finite value it took
// over all calibration inputs. The interpreter's observer sees every op's
// result; the model's own input is measured directly.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "cnnc/Quantize/Quantize.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Transforms/QuantizeInt8.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;

namespace {

struct Range {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  void add(llvm::ArrayRef<float> values) {
    for (float v : values)
      if (std::isfinite(v)) {
        min = std::min(min, v);
        max = std::max(max, v);
      }
  }
  /// A value that was never finite counts as 0.
  std::array<float, 2> bounds() const {
    return min <= max ? std::array<float, 2>{min, max}
                      : std::array<float, 2>{0.0f, 0.0f};
  }
};

llvm::Error calibrationError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace

llvm::Error cnnc::calibrate(func::FuncOp func,
                            llvm::ArrayRef<reference::Tensor> inputs) {
  if (inputs.empty())
    return calibrationError("calibration needs at least one input");
  // The values whose ranges the int8 rewrite needs.
  llvm::DenseMap<Value, Range> ranges;
  SmallVector<cnn::Conv2DOp> convs;
  func.walk([&](cnn::Conv2DOp conv) {
    if (!isQuantizable(conv))
      return;
    convs.push_back(conv);
    ranges.try_emplace(conv.getInput());
    ranges.try_emplace(quantizedOutput(conv));
  });
  if (convs.empty())
    return calibrationError(
        "@" + func.getSymName() +
        " has no conv that int8 quantization applies to (a conv "
        "without groups and with constant weights)");
  reference::Options options;
  options.observe = [&](Operation *op, const reference::Tensor &result) {
    auto it = ranges.find(op->getResult(0));
    if (it != ranges.end())
      it->second.add(result.values());
  };
  for (const reference::Tensor &input : inputs) {
    if (func.getNumArguments() == 1) {
      auto it = ranges.find(func.getArgument(0));
      if (it != ranges.end())
        it->second.add(input.values());
    }
    llvm::Expected<std::vector<reference::Tensor>> out =
        reference::run(func, input, options);
    if (!out)
      return out.takeError();
  }
  Builder b(func.getContext());
  for (cnn::Conv2DOp conv : convs) {
    conv->setAttr(kInputRangeAttr,
                  b.getDenseF32ArrayAttr(ranges[conv.getInput()].bounds()));
    conv->setAttr(
        kOutputRangeAttr,
        b.getDenseF32ArrayAttr(ranges[quantizedOutput(conv)].bounds()));
  }
  return llvm::Error::success();
}

/// Runs --cnn-quantize-int8 and cleans up after it.
static llvm::Error rewriteConvs(func::FuncOp func) {
  PassManager pm(func.getContext(), func::FuncOp::getOperationName());
  pm.addPass(createCNNQuantizeInt8());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (failed(pm.run(func)))
    return calibrationError("int8 quantization of @" + func.getSymName() +
                            " failed");
  return llvm::Error::success();
}

llvm::Expected<std::vector<LayerReport>>
cnnc::quantizeInt8(func::FuncOp func, llvm::ArrayRef<reference::Tensor> inputs,
                   const QuantizeOptions &options) {
  if (llvm::Error error = calibrate(func, inputs))
    return std::move(error);
  if (!options.measure) {
    if (llvm::Error error = rewriteConvs(func))
      return std::move(error);
    return std::vector<LayerReport>();
  }
  // Every conv int8 in a copy beside the model, measured against the model.
  Builder b(func.getContext());
  int layer = 0;
  func.walk([&](cnn::Conv2DOp conv) {
    if (conv->hasAttr(kInputRangeAttr))
      conv->setAttr(kLayerAttr, b.getI64IntegerAttr(layer++));
  });
  func::FuncOp probe = func.clone();
  probe.setSymName((func.getSymName() + "_int8_probe").str());
  func->getBlock()->getOperations().insert(std::next(func->getIterator()),
                                           probe);
  llvm::Expected<std::vector<LayerReport>> report =
      [&]() -> llvm::Expected<std::vector<LayerReport>> {
    if (llvm::Error error = rewriteConvs(probe))
      return std::move(error);
    return measureLayers(func, probe, inputs);
  }();
  probe.erase();
  if (!report)
    return report.takeError();
  // Convs under the threshold lose their ranges: the rewrite leaves them.
  func.walk([&](cnn::Conv2DOp conv) {
    auto index = conv->getAttrOfType<IntegerAttr>(kLayerAttr);
    if (!index)
      return;
    LayerReport &row = (*report)[index.getInt()];
    if (row.sqnrDb < options.minSqnrDb) {
      row.keptFp32 = true;
      conv->removeAttr(kInputRangeAttr);
      conv->removeAttr(kOutputRangeAttr);
    }
    conv->removeAttr(kLayerAttr);
  });
  if (llvm::Error error = rewriteConvs(func))
    return std::move(error);
  func.walk([](cnn::QConv2DOp conv) { conv->removeAttr(kLayerAttr); });
  return report;
}
