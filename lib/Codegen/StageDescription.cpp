//===- StageDescription.cpp - What a stage is called and keyed by ---------===//
//
// A stage's structure (its ops, their attributes and operand types, values
// named by position) keys its kernel in the compile cache; its layer name
// and op list are what `--profile` and `--emit=schedule` print.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;
using namespace cnnc::codegen;

/// The module path of the weight `value` reads (`layer1.0.conv1` for the
/// constant `layer1.0.conv1.weight.bn`), or "" if it has no name.
static std::string weightLayer(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return "";
  auto resource =
      llvm::dyn_cast<DenseResourceElementsAttr>(constant.getValue());
  if (!resource)
    return "";
  StringRef key = resource.getRawHandle().getKey();
  for (StringRef suffix : {".weight", ".bias", ".running_mean"})
    if (size_t at = key.find(suffix); at != StringRef::npos)
      return key.take_front(at).str();
  return key.str();
}

void Lowerer::describeStage(Operation *op, Stage &stage) {
  std::vector<Operation *> ops;
  if (auto group = llvm::dyn_cast<GroupOp>(op)) {
    for (Operation &inner : group.getBody().front().without_terminator()) {
      // An AMX conv at a group's head was lowered as a stage of its own
      // (lowerGroup): here it is an input, not an op to count.
      auto lowered = values.find(inner.getResult(0));
      if (lowered == values.end() || lowered->second.activation < 0)
        ops.push_back(&inner);
    }
    ops.push_back(group.getBody().front().getTerminator());
  } else {
    ops.push_back(op);
  }
  // The structure names values by position, never by SSA name: results of
  // the stage's own ops, then values from outside in order of first use,
  // each an activation (a kernel input) or a constant (a weight).
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getName() << " " << op->getPropertiesAsAttribute() << "\n";
  llvm::DenseMap<Value, std::string> names;
  std::string layer;
  SmallVector<StringRef> kinds;
  for (Operation *inner : ops) {
    if (!llvm::isa<YieldOp>(inner))
      kinds.push_back(inner->getName().stripDialect());
    if (auto layerOp = llvm::dyn_cast<LayerOpInterface>(inner))
      stage.macs += layerOp.getMacs();
    os << inner->getName() << " " << inner->getPropertiesAsAttribute() << " "
       << inner->getDiscardableAttrDictionary() << " (";
    for (Value operand : inner->getOperands()) {
      auto [it, added] = names.try_emplace(operand, "");
      if (added) {
        auto known = values.find(operand);
        it->second =
            (known != values.end() && known->second.activation >= 0 ? "a"
                                                                    : "c") +
            std::to_string(names.size());
      }
      os << it->second << ":" << operand.getType() << " ";
      if (layer.empty())
        layer = weightLayer(operand);
    }
    os << ") ->";
    for (Value result : inner->getResults()) {
      names[result] = "r" + std::to_string(names.size());
      os << " " << names[result] << ":" << result.getType();
    }
    os << "\n";
  }
  stage.structure = os.str();
  stage.ops = llvm::join(kinds, "+");
  stage.layer = layer.empty() ? lastLayer + "/" + stage.ops : layer;
  if (!layer.empty())
    lastLayer = layer;
}
