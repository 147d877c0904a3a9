//===- BindWeights.cpp - Replacing cnn.weight with constants --------------===//

#include "cnnc/Weights/BindWeights.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Random.h"
#include "cnnc/Weights/SafeTensors.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    text += (i ? ", " : "") + std::to_string(d);
  return text + "]";
}

/// Replaces `weight` with a constant holding `blob`.
void replaceWithBlob(WeightOp weight, AsmResourceBlob blob) {
  OpBuilder builder(weight);
  auto type = llvm::cast<RankedTensorType>(weight.getType());
  auto attr = DenseF32ResourceElementsAttr::get(type, weight.getName(),
                                                std::move(blob));
  auto constant = ConstantOp::create(builder, weight.getLoc(), type,
                                     llvm::cast<ElementsAttr>(attr));
  weight.getResult().replaceAllUsesWith(constant.getResult());
  weight.erase();
}

/// The name of the first op that uses `value`, for error messages.
std::string firstUserName(Value value) {
  for (Operation *user : value.getUsers())
    return user->getName().getStringRef().str();
  return "no op";
}

/// What a parameter is, from the op that uses it (its LayerOpInterface).
ParameterRole roleOf(WeightOp weight) {
  Value value = weight.getResult();
  for (OpOperand &use : value.getUses())
    if (auto layer = llvm::dyn_cast<LayerOpInterface>(use.getOwner()))
      return layer.getParameterRole(use.getOperandNumber());
  return defaultParameterRole(value.getType());
}

} // namespace

LogicalResult cnnc::bindWeights(ModuleOp module, const SafeTensorsFile &file,
                                bool verbose) {
  SmallVector<WeightOp> weights;
  module.walk([&](WeightOp op) { weights.push_back(op); });

  // Check everything first, so that a bad file leaves the module untouched.
  bool ok = true;
  llvm::StringSet<> used;
  for (WeightOp weight : weights) {
    auto type = llvm::cast<RankedTensorType>(weight.getType());
    const TensorInfo *tensor = file.lookup(weight.getName());
    if (!tensor) {
      weight.emitError() << "weight '" << weight.getName() << "' (wanted by "
                         << firstUserName(weight) << ") is missing from "
                         << file.path();
      ok = false;
      continue;
    }
    used.insert(weight.getName());
    if (!isBindableFloat(tensor->dtype)) {
      weight.emitError() << "weight '" << weight.getName() << "' has dtype "
                         << dtypeName(tensor->dtype) << " in " << file.path()
                         << ", but a model weight must be F32, F16, BF16 "
                            "or F64";
      ok = false;
      continue;
    }
    if (ArrayRef<int64_t>(tensor->shape) != type.getShape()) {
      weight.emitError() << "weight '" << weight.getName() << "' has shape "
                         << shapeString(tensor->shape) << " in " << file.path()
                         << ", but the model wants "
                         << shapeString(type.getShape());
      ok = false;
    }
  }
  if (!ok)
    return failure();

  if (verbose)
    for (const auto &entry : file.tensors())
      if (!used.contains(entry.first))
        emitRemark(module.getLoc())
            << "tensor '" << entry.first << "' of " << file.path()
            << " is not used by the model";

  std::shared_ptr<llvm::MemoryBuffer> mapping = file.mapping();
  for (WeightOp weight : weights) {
    const TensorInfo &tensor = *file.lookup(weight.getName());
    const char *data = tensor.bytes.data();
    int64_t count = tensor.numElements();
    bool inPlace = tensor.dtype == DType::F32 &&
                   reinterpret_cast<uintptr_t>(data) % alignof(float) == 0;
    if (inPlace) {
      // The blob points into the mapping and keeps it alive.
      ArrayRef<float> values(reinterpret_cast<const float *>(data), count);
      replaceWithBlob(weight,
                      UnmanagedAsmResourceBlob::allocateInferAlign(
                          values, [mapping](void *, size_t, size_t) {}));
      continue;
    }
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocate(count * sizeof(float), alignof(float));
    convertToF32(tensor,
                 reinterpret_cast<float *>(blob.getMutableData().data()));
    replaceWithBlob(weight, std::move(blob));
  }
  return success();
}

void cnnc::bindRandomWeights(ModuleOp module, uint64_t seed) {
  SmallVector<WeightOp> weights;
  module.walk([&](WeightOp op) { weights.push_back(op); });
  for (WeightOp weight : weights) {
    auto type = llvm::cast<RankedTensorType>(weight.getType());
    int64_t count = type.getNumElements();
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocate(count * sizeof(float), alignof(float));
    auto *values = reinterpret_cast<float *>(blob.getMutableData().data());
    Random random(seed, weight.getName().str());
    float lo = -0.1f, hi = 0.1f;
    switch (roleOf(weight)) {
    case ParameterRole::Kernel: {
      // Uniform in [-a, a] has variance a^2 / 3 = 1 / fan_in.
      int64_t fanIn = count / type.getDimSize(0);
      float a = std::sqrt(3.0f / static_cast<float>(fanIn));
      lo = -a;
      hi = a;
      break;
    }
    case ParameterRole::Scale:
    case ParameterRole::Variance:
      lo = 0.5f;
      hi = 1.5f;
      break;
    case ParameterRole::Shift:
    case ParameterRole::Mean:
      break;
    }
    for (int64_t i = 0; i < count; ++i)
      values[i] = random.uniform(lo, hi);
    replaceWithBlob(weight, std::move(blob));
  }
}

LogicalResult cnnc::overrideWeights(ModuleOp module,
                                    const SafeTensorsFile &file, bool verbose) {
  llvm::StringMap<ConstantOp> constants;
  module.walk([&](ConstantOp op) {
    if (auto blob = llvm::dyn_cast<DenseResourceElementsAttr>(op.getValue()))
      constants[blob.getRawHandle().getKey()] = op;
  });
  std::string unknown;
  for (const auto &entry : file.tensors())
    if (!constants.contains(entry.first))
      unknown += (unknown.empty() ? "'" : ", '") + entry.first + "'";
  if (!unknown.empty())
    return emitError(module.getLoc())
           << file.path()
           << " has tensors that name no constant of the model: " << unknown
           << " (cnn-import prints the constants' names)";
  for (const auto &entry : file.tensors()) {
    ConstantOp constant = constants[entry.first];
    OpBuilder builder(constant);
    auto weight = WeightOp::create(builder, constant.getLoc(),
                                   constant.getType(), entry.first);
    constant.getResult().replaceAllUsesWith(weight.getResult());
    constant.erase();
  }
  return bindWeights(module, file, verbose);
}
