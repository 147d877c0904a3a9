//===- ConstantData.cpp - Reading and making f32 constants ----------------===//

#include "cnnc/Weights/ConstantData.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

std::optional<std::vector<float>> cnnc::readElements(ElementsAttr attr) {
  if (auto blob = llvm::dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = blob.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return std::vector<float>(data->begin(), data->end());
  }
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(attr)) {
    if (!dense.getElementType().isF32())
      return std::nullopt;
    auto range = dense.getValues<float>();
    return std::vector<float>(range.begin(), range.end());
  }
  return std::nullopt;
}

static ConstantOp constantSource(Value value) {
  Operation *def = value.getDefiningOp();
  while (auto reshape = llvm::dyn_cast_or_null<ReshapeOp>(def))
    def = reshape.getInput().getDefiningOp();
  return llvm::dyn_cast_or_null<ConstantOp>(def);
}

std::optional<std::vector<float>> cnnc::constantValues(Value value) {
  ConstantOp constant = constantSource(value);
  if (!constant)
    return std::nullopt;
  return readElements(constant.getValue());
}

bool cnnc::isBlobConstant(Value value) {
  ConstantOp constant = constantSource(value);
  return constant && llvm::isa<DenseResourceElementsAttr>(constant.getValue());
}

Value cnnc::makeConstant(OpBuilder &builder, Location loc,
                         RankedTensorType type, ArrayRef<float> data,
                         StringRef name, bool asBlob) {
  ElementsAttr attr;
  // An empty tensor (a zero dimension) has no data to copy into a blob
  // (MLIR would memcpy from a null pointer).
  if (asBlob && !data.empty())
    attr = llvm::cast<ElementsAttr>(DenseF32ResourceElementsAttr::get(
        type, name, HeapAsmResourceBlob::allocateAndCopyInferAlign(data)));
  else
    attr = llvm::cast<ElementsAttr>(DenseElementsAttr::get(type, data));
  return ConstantOp::create(builder, loc, type, attr);
}
