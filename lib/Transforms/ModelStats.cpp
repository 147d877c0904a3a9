//===- ModelStats.cpp - Parameters, MACs and receptive fields -------------===//

#include "cnnc/Transforms/ModelStats.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

struct Field {
  std::array<int64_t, 2> size = {1, 1};
  std::array<int64_t, 2> jump = {1, 1};
};

/// The parameter op a value comes from, looking through reshapes, or null.
Operation *parameterSource(Value value) {
  Operation *def = value.getDefiningOp();
  while (auto reshape = llvm::dyn_cast_or_null<ReshapeOp>(def))
    def = reshape.getInput().getDefiningOp();
  if (llvm::isa_and_nonnull<WeightOp, ConstantOp>(def))
    return def;
  return nullptr;
}

int64_t numElements(Value value) {
  return llvm::cast<RankedTensorType>(value.getType()).getNumElements();
}

/// The operands of `op` that are learnable parameters: everything that comes
/// from a weight or constant, except buffers (BatchNorm's running
/// statistics), as the op's LayerOpInterface says.
SmallVector<Value> learnableOperands(Operation *op) {
  SmallVector<Value> result;
  auto layer = llvm::dyn_cast<LayerOpInterface>(op);
  for (OpOperand &operand : op->getOpOperands()) {
    if (layer && isBuffer(layer.getParameterRole(operand.getOperandNumber())))
      continue;
    if (parameterSource(operand.get()))
      result.push_back(operand.get());
  }
  return result;
}

/// The module path of the op's first parameter: its weight's name, or the
/// name of the blob a bound constant holds (`layer1.0.conv1.weight` gives
/// `layer1.0.conv1`).
std::string layerName(Operation *op) {
  for (Value operand : op->getOperands()) {
    Operation *source = parameterSource(operand);
    if (auto weight = llvm::dyn_cast_or_null<WeightOp>(source))
      return weight.getName().rsplit('.').first.str();
    if (auto constant = llvm::dyn_cast_or_null<ConstantOp>(source))
      if (auto blob =
              llvm::dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
        return blob.getRawHandle().getKey().rsplit('.').first.str();
  }
  return "";
}

/// A window with kernel k, stride s, dilation d widens the field by
/// (d * (k - 1)) input jumps and multiplies the jump by s.
Field widen(Field in, ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
            ArrayRef<int64_t> dilation) {
  Field out;
  for (int dim = 0; dim < 2; ++dim) {
    out.size[dim] =
        in.size[dim] + dilation[dim] * (kernel[dim] - 1) * in.jump[dim];
    out.jump[dim] = in.jump[dim] * stride[dim];
  }
  return out;
}

} // namespace

/// Bytes of the activations alive during each top-level op of `func`.
static void computePeakActivations(func::FuncOp func, ModelStats &stats) {
  Block &body = func.getBody().front();
  llvm::DenseMap<Operation *, int64_t> index;
  int64_t n = 0;
  for (Operation &op : body)
    index[&op] = n++;
  // Each activation: its bytes, first and last top-level op.
  struct Live {
    int64_t bytes, first, last;
  };
  std::vector<Live> live;
  auto add = [&](Value value, int64_t first) {
    auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
    if (!type || !type.hasStaticShape())
      return;
    int64_t last = first;
    for (Operation *user : value.getUsers()) {
      Operation *top = body.findAncestorOpInBlock(*user);
      if (top)
        last = std::max(last, index[top]);
    }
    live.push_back({type.getNumElements() *
                        static_cast<int64_t>(type.getElementTypeBitWidth() / 8),
                    first, last});
  };
  for (BlockArgument arg : func.getArguments())
    add(arg, 0);
  for (Operation &op : body) {
    if (llvm::isa<WeightOp, ConstantOp>(op) || op.getNumResults() != 1)
      continue;
    // Computed from parameters alone (a reshaped weight): not an activation.
    if (llvm::none_of(op.getOperands(), [&](Value v) {
          return llvm::isa<BlockArgument>(v) ||
                 !llvm::isa_and_nonnull<WeightOp, ConstantOp>(
                     v.getDefiningOp());
        }))
      continue;
    add(op.getResult(0), index[&op]);
  }
  for (Operation &op : body) {
    int64_t at = index[&op], bytes = 0;
    for (const Live &l : live)
      if (l.first <= at && at <= l.last)
        bytes += l.bytes;
    if (bytes > stats.peakActivationBytes) {
      stats.peakActivationBytes = bytes;
      stats.peakAt = &op;
    }
  }
}

ModelStats cnnc::computeModelStats(func::FuncOp func) {
  ModelStats stats;
  llvm::DenseMap<Value, Field> fields;
  llvm::DenseSet<Operation *> counted;
  for (BlockArgument arg : func.getArguments())
    fields[arg] = Field();

  // Post-order: a group's ops come before the group itself.
  func.walk([&](Operation *op) {
    if (auto group = llvm::dyn_cast<GroupOp>(op)) {
      auto yield = llvm::cast<YieldOp>(group.getBody().front().getTerminator());
      auto it = fields.find(yield.getValue());
      if (it != fields.end())
        fields[group.getResult()] = it->second;
      return;
    }
    if (llvm::isa<YieldOp>(op))
      return;
    if (op->getDialect() == nullptr ||
        !llvm::isa<CNNDialect>(op->getDialect()) || op->getNumResults() != 1)
      return;
    // The field of the op's input: the widest among its activation operands.
    bool hasActivation = false;
    Field in;
    for (Value operand : op->getOperands()) {
      auto it = fields.find(operand);
      if (it == fields.end())
        continue;
      for (int dim = 0; dim < 2; ++dim) {
        in.size[dim] = std::max(in.size[dim], it->second.size[dim]);
        in.jump[dim] = std::max(in.jump[dim], it->second.jump[dim]);
      }
      hasActivation = true;
    }
    if (!hasActivation)
      return; // a parameter, a constant, or computed from those alone

    auto layerOp = llvm::dyn_cast<LayerOpInterface>(op);
    std::optional<SpatialWindow> window =
        layerOp ? layerOp.getSpatialWindow() : std::nullopt;
    Field out =
        window ? widen(in, window->kernel, window->stride, window->dilation)
               : in;
    fields[op->getResult(0)] = out;

    LayerStats layer;
    layer.op = op;
    layer.layer = layerName(op);
    auto type = llvm::cast<RankedTensorType>(op->getResult(0).getType());
    layer.shape.assign(type.getShape().begin(), type.getShape().end());
    for (Value operand : learnableOperands(op))
      if (counted.insert(parameterSource(operand)).second)
        layer.params += numElements(operand);
    layer.macs = layerOp ? layerOp.getMacs() : 0;
    layer.receptiveField = out.size;
    layer.jump = out.jump;
    stats.params += layer.params;
    stats.macs += layer.macs;
    stats.layers.push_back(std::move(layer));
  });
  computePeakActivations(func, stats);
  return stats;
}
