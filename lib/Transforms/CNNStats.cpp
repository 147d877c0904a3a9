//===- CNNStats.cpp - The --cnn-stats pass --------------------------------===//

#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Transforms/ModelStats.h"
#include "cnnc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNSTATS
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

std::string joinDims(ArrayRef<int64_t> dims, char separator) {
  std::string text;
  for (auto [i, d] : llvm::enumerate(dims)) {
    if (i)
      text += separator;
    text += std::to_string(d);
  }
  return text;
}

/// "5" when height and width agree, "5x7" when not.
std::string squareOrPair(const std::array<int64_t, 2> &value) {
  if (value[0] == value[1])
    return std::to_string(value[0]);
  return joinDims(value, 'x');
}

void printTable(func::FuncOp func, const ModelStats &stats, raw_ostream &os) {
  os << "cnn-stats @" << func.getSymName() << "\n";
  os << llvm::format("%5s  %-20s %-18s %12s %14s %7s %5s  %s\n", "#", "op",
                     "output", "params", "macs", "rf", "jump", "layer");
  for (auto [index, layer] : llvm::enumerate(stats.layers)) {
    std::string name = layer.op->getName().stripDialect().str();
    os << llvm::format("%5zu  %-20s %-18s %12lld %14lld %7s %5s  %s\n",
                       index + 1, name.c_str(),
                       joinDims(layer.shape, 'x').c_str(),
                       static_cast<long long>(layer.params),
                       static_cast<long long>(layer.macs),
                       squareOrPair(layer.receptiveField).c_str(),
                       squareOrPair(layer.jump).c_str(), layer.layer.c_str());
  }
  os << "total: params=" << stats.params << " macs=" << stats.macs << "\n";
  os << "peak activations: " << stats.peakActivationBytes << " bytes";
  if (stats.peakAt)
    os << " (at " << stats.peakAt->getName().stripDialect() << " "
       << stats.peakAt->getLoc() << ")";
  os << "\n";
}

llvm::json::Object toJson(func::FuncOp func, const ModelStats &stats) {
  llvm::json::Array layers;
  for (const LayerStats &layer : stats.layers) {
    layers.push_back(llvm::json::Object{
        {"op", layer.op->getName().getStringRef()},
        {"layer", layer.layer},
        {"shape", llvm::json::Array(layer.shape)},
        {"params", layer.params},
        {"macs", layer.macs},
        {"rf", llvm::json::Array(layer.receptiveField)},
        {"jump", llvm::json::Array(layer.jump)},
    });
  }
  return llvm::json::Object{
      {"function", func.getSymName()},
      {"layers", std::move(layers)},
      {"total", llvm::json::Object{{"params", stats.params},
                                   {"macs", stats.macs},
                                   {"peak_activation_bytes",
                                    stats.peakActivationBytes}}},
  };
}

struct CNNStatsPass : public cnnc::impl::CNNStatsBase<CNNStatsPass> {
  using CNNStatsBase::CNNStatsBase;

  void runOnOperation() override {
    llvm::json::Array functions;
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      ModelStats stats = computeModelStats(func);
      if (json)
        functions.push_back(toJson(func, stats));
      else
        printTable(func, stats, llvm::outs());
    }
    if (json)
      llvm::outs() << llvm::formatv("{0:2}\n",
                                    llvm::json::Value(llvm::json::Object{
                                        {"functions", std::move(functions)}}));
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }
};

} // namespace
