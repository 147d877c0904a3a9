//===- Calibrate.cpp - Activation ranges from calibration inputs ----------===//
//
// Each activation an int8 conv reads or writes gets a range from the values
// it took over all calibration inputs: min-max (ONNX Runtime's default),
// or a percentile or entropy range from a histogram over min-max
// (Histogram.h). The interpreter's observer sees every op's result; the
// model's own input is measured directly.
//
//===----------------------------------------------------------------------===//

#include "Histogram.h"
#include "Report.h"
#include "cnnc/Quantize/Quantize.h"
#include "cnnc/Support/Quantization.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Transforms/QuantizeInt8.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

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

/// A dense conv of under 16 input channels (a model's first, on RGB),
/// which calibration leaves in f32: its dot products of 4 channels hold
/// 3, they run without VNNI (Build.cpp), and its f32 form with a fused
/// activation is fast. ResNet-18 int8 ran 12% faster with its stem in
/// f32, MobileNetV3-Small 20% (docs/decisions.md). Not a stem whose kernel
/// columns int8 code folds into its channels (quant::foldsKernelColumns):
/// ResNet-50's input quantized and its 7x7 stem in int8 took 0.36 ms, its
/// f32 stem 0.54 (Zen 5).
static bool isSmallStem(cnn::Conv2DOp conv) {
  auto input = llvm::cast<RankedTensorType>(conv.getInput().getType());
  auto weight = llvm::cast<RankedTensorType>(conv.getWeight().getType());
  const int64_t groups = static_cast<int64_t>(conv.getGroups());
  return groups == 1 && input.getDimSize(1) < 16 &&
         !quant::foldsKernelColumns(groups, input.getDimSize(1),
                                    weight.getDimSize(2), weight.getDimSize(3));
}

/// Runs `func` on every input, calling `see` with each value of `wanted`
/// (the model's input included) and its contents.
static llvm::Error
observeValues(func::FuncOp func, llvm::ArrayRef<reference::Tensor> inputs,
              const llvm::DenseSet<Value> &wanted,
              llvm::function_ref<void(Value, llvm::ArrayRef<float>)> see) {
  reference::Options options;
  options.observe = [&](Operation *op, const reference::Tensor &result) {
    if (wanted.contains(op->getResult(0)))
      see(op->getResult(0), result.values());
  };
  for (const reference::Tensor &input : inputs) {
    if (func.getNumArguments() == 1 && wanted.contains(func.getArgument(0)))
      see(func.getArgument(0), input.values());
    llvm::Expected<std::vector<reference::Tensor>> out =
        reference::run(func, input, options);
    if (!out)
      return out.takeError();
  }
  return llvm::Error::success();
}

llvm::Error cnnc::calibrate(func::FuncOp func,
                            llvm::ArrayRef<reference::Tensor> inputs,
                            const CalibrationOptions &options) {
  if (inputs.empty())
    return calibrationError("calibration needs at least one input");
  // The values whose ranges the int8 rewrite needs.
  llvm::DenseSet<Value> wanted;
  SmallVector<cnn::Conv2DOp> convs;
  func.walk([&](cnn::Conv2DOp conv) {
    if (!isQuantizable(conv) || (!options.quantizeStems && isSmallStem(conv)))
      return;
    convs.push_back(conv);
    wanted.insert(conv.getInput());
    wanted.insert(quantizedOutput(conv));
  });
  if (convs.empty())
    return calibrationError(
        "@" + func.getSymName() +
        " has no conv that int8 quantization applies to (a dense, "
        "depthwise or grouped conv with constant weights)");
  llvm::DenseMap<Value, Range> minMax;
  if (llvm::Error error = observeValues(
          func, inputs, wanted, [&](Value v, llvm::ArrayRef<float> values) {
            minMax[v].add(values);
          }))
    return error;
  llvm::DenseMap<Value, std::array<float, 2>> bounds;
  for (auto &[value, range] : minMax)
    bounds[value] = range.bounds();
  if (options.method != CalibrationMethod::MinMax) {
    llvm::DenseMap<Value, size_t> index;
    std::vector<Histogram> histograms;
    for (auto &[value, b] : bounds) {
      index[value] = histograms.size();
      histograms.emplace_back(b[0], b[1]);
    }
    if (llvm::Error error = observeValues(
            func, inputs, wanted, [&](Value v, llvm::ArrayRef<float> values) {
              histograms[index[v]].add(values);
            }))
      return error;
    for (auto &[value, b] : bounds) {
      const Histogram &h = histograms[index[value]];
      b = options.method == CalibrationMethod::Percentile
              ? h.percentileRange(options.percentile)
              : h.entropyRange(quant::kActivationMax - quant::kActivationMin);
    }
  }
  Builder b(func.getContext());
  for (cnn::Conv2DOp conv : convs) {
    conv->setAttr(kInputRangeAttr,
                  b.getDenseF32ArrayAttr(bounds[conv.getInput()]));
    conv->setAttr(kOutputRangeAttr,
                  b.getDenseF32ArrayAttr(bounds[quantizedOutput(conv)]));
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
  // Linear layers are quantized as the 1x1 convs they are.
  PassManager linears(func.getContext(), func::FuncOp::getOperationName());
  linears.addPass(createCNNLinearAsConv());
  if (failed(linears.run(func)))
    return calibrationError("rewriting the linear layers of @" +
                            func.getSymName() + " as convs failed");
  if (llvm::Error error = calibrate(func, inputs, options.calibration))
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
