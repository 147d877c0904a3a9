//===- Report.cpp - Per-layer SQNR of an int8 model -----------------------===//
//
// ONNX Runtime's quantization debugger compares each quantized tensor with
// the fp32 model's; so does --quantize-report, per int8 conv: the fp32
// model and its int8 copy run on the same calibration input, and each
// int8 conv's dequantized output is compared with the fp32 value it
// replaces (after the ReLU it absorbed), errors of the layers before it
// included.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "cnnc/Support/Quantization.h"
#include "cnnc/Transforms/QuantizeInt8.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace cnnc;

/// The module path of the conv's weight (`layer1.0.conv1`), else where the
/// conv came from.
static std::string layerName(cnn::Conv2DOp conv) {
  if (auto constant = conv.getWeight().getDefiningOp<cnn::ConstantOp>())
    if (auto blob =
            llvm::dyn_cast<DenseResourceElementsAttr>(constant.getValue())) {
      StringRef key = blob.getRawHandle().getKey();
      size_t at = key.find(".weight");
      return (at == StringRef::npos ? key : key.take_front(at)).str();
    }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << conv.getLoc();
  return os.str();
}

llvm::Expected<std::vector<LayerReport>>
cnnc::measureLayers(func::FuncOp fp32, func::FuncOp int8,
                    llvm::ArrayRef<reference::Tensor> inputs) {
  std::vector<LayerReport> layers;
  llvm::DenseMap<Value, size_t> tracked;
  fp32.walk([&](cnn::Conv2DOp conv) {
    auto index = conv->getAttrOfType<IntegerAttr>(kLayerAttr);
    if (!index)
      return;
    size_t i = static_cast<size_t>(index.getInt());
    if (layers.size() <= i)
      layers.resize(i + 1);
    layers[i].name = layerName(conv);
    tracked[quantizedOutput(conv)] = i;
  });
  int8.walk([&](cnn::QConv2DOp conv) {
    auto index = conv->getAttrOfType<IntegerAttr>(kLayerAttr);
    if (!index || static_cast<size_t>(index.getInt()) >= layers.size() ||
        conv.writesFloat())
      return;
    LayerReport &row = layers[index.getInt()];
    row.inputScale = conv.getInputScale().convertToFloat();
    row.inputZeroPoint = static_cast<int>(conv.getInputZeroPoint());
    row.outputScale = conv.getOutputScale()->convertToFloat();
    row.outputZeroPoint = static_cast<int>(*conv.getOutputZeroPoint());
  });
  std::vector<double> signal(layers.size(), 0.0), noise(layers.size(), 0.0);
  std::vector<std::vector<float>> reference(layers.size());
  for (const reference::Tensor &input : inputs) {
    reference::Options fp32Run;
    fp32Run.observe = [&](Operation *op, const reference::Tensor &result) {
      auto it = tracked.find(op->getResult(0));
      if (it != tracked.end())
        reference[it->second].assign(result.values().begin(),
                                     result.values().end());
    };
    if (auto out = reference::run(fp32, input, fp32Run); !out)
      return out.takeError();
    reference::Options int8Run;
    int8Run.observe = [&](Operation *op, const reference::Tensor &result) {
      auto conv = llvm::dyn_cast<cnn::QConv2DOp>(op);
      auto index =
          conv ? conv->getAttrOfType<IntegerAttr>(kLayerAttr) : IntegerAttr();
      if (!index || static_cast<size_t>(index.getInt()) >= layers.size())
        return;
      size_t i = static_cast<size_t>(index.getInt());
      const std::vector<float> &expected = reference[i];
      if (expected.size() != static_cast<size_t>(result.size()))
        return;
      const quant::Params params{layers[i].outputScale,
                                 layers[i].outputZeroPoint};
      for (size_t e = 0; e < expected.size(); ++e) {
        double value =
            quant::dequantize(static_cast<int32_t>(result.values()[e]), params);
        signal[i] += double(expected[e]) * expected[e];
        noise[i] += (value - expected[e]) * (value - expected[e]);
      }
    };
    if (auto out = reference::run(int8, input, int8Run); !out)
      return out.takeError();
  }
  for (size_t i = 0; i < layers.size(); ++i)
    layers[i].sqnrDb = noise[i] > 0 ? 10.0 * std::log10(signal[i] / noise[i])
                                    : std::numeric_limits<double>::infinity();
  return layers;
}

std::string cnnc::formatReport(llvm::ArrayRef<LayerReport> layers) {
  std::string text;
  llvm::raw_string_ostream os(text);
  size_t width = 5;
  for (const LayerReport &row : layers)
    width = std::max(width, row.name.size());
  os << llvm::left_justify("layer", width)
     << "  input scale  zero  output scale  zero  SQNR dB  precision\n";
  for (const LayerReport &row : layers)
    os << llvm::left_justify(row.name, width)
       << llvm::format("  %11.5g  %4d  %12.5g  %4d  %7.1f  %s\n",
                       row.inputScale, row.inputZeroPoint, row.outputScale,
                       row.outputZeroPoint, row.sqnrDb,
                       row.keptFp32 ? "fp32 (under --quantize-min-sqnr)"
                                    : "int8");
  return os.str();
}
