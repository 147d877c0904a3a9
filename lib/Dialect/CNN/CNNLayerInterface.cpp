//===- CNNLayerInterface.cpp - MACs, windows and parameter roles ----------===//
//
// What --cnn-stats and --random-weights ask of each layer op through
// LayerOpInterface (CNNInterfaces.td).
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Shapes.h"

#include <algorithm>
#include <array>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

ParameterRole cnnc::cnn::defaultParameterRole(Type type) {
  auto ranked = llvm::dyn_cast<RankedTensorType>(type);
  return ranked && ranked.getRank() >= 2 ? ParameterRole::Kernel
                                         : ParameterRole::Shift;
}

static int64_t elementsOf(Value value) {
  return llvm::cast<RankedTensorType>(value.getType()).getNumElements();
}

static std::array<int64_t, 2> pairOf(ArrayRef<int64_t> values) {
  return {values[0], values[1]};
}

int64_t Conv2DOp::getMacs() {
  // Each output element takes (C / groups) * kh * kw MACs.
  auto weight = llvm::cast<RankedTensorType>(getWeight().getType());
  return elementsOf(getResult()) * weight.getDimSize(1) * weight.getDimSize(2) *
         weight.getDimSize(3);
}

int64_t QConv2DOp::getMacs() {
  auto weight = llvm::cast<RankedTensorType>(getWeight().getType());
  return elementsOf(getResult()) * weight.getDimSize(1) * weight.getDimSize(2) *
         weight.getDimSize(3);
}

std::optional<SpatialWindow> QConv2DOp::getSpatialWindow() {
  auto weight = llvm::cast<RankedTensorType>(getWeight().getType());
  return SpatialWindow{pairOf(weight.getShape().drop_front(2)),
                       pairOf(getStride()), pairOf(getDilation())};
}

ParameterRole QConv2DOp::getParameterRole(unsigned index) {
  return index == 1 ? ParameterRole::Kernel : ParameterRole::Shift;
}

int64_t ConvTranspose2DOp::getMacs() {
  // Each input element scatters (O / groups) * kh * kw MACs.
  auto weight = llvm::cast<RankedTensorType>(getWeight().getType());
  return elementsOf(getInput()) * weight.getDimSize(1) * weight.getDimSize(2) *
         weight.getDimSize(3);
}

std::optional<SpatialWindow> Conv2DOp::getSpatialWindow() {
  auto weight = llvm::cast<RankedTensorType>(getWeight().getType());
  return SpatialWindow{pairOf(weight.getShape().drop_front(2)),
                       pairOf(getStride()), pairOf(getDilation())};
}

ParameterRole Conv2DOp::getParameterRole(unsigned index) {
  return index == 1 ? ParameterRole::Kernel : ParameterRole::Shift;
}

int64_t LinearOp::getMacs() {
  auto weight = llvm::cast<RankedTensorType>(getWeight().getType());
  return elementsOf(getResult()) * weight.getDimSize(1);
}

ParameterRole LinearOp::getParameterRole(unsigned index) {
  return index == 1 ? ParameterRole::Kernel : ParameterRole::Shift;
}

ParameterRole BatchNormOp::getParameterRole(unsigned index) {
  // Operands: input, weight, bias, running mean, running variance.
  switch (index) {
  case 1:
    return ParameterRole::Scale;
  case 3:
    return ParameterRole::Mean;
  case 4:
    return ParameterRole::Variance;
  default:
    return ParameterRole::Shift;
  }
}

ParameterRole LayerNormOp::getParameterRole(unsigned index) {
  return index == 1 ? ParameterRole::Scale : ParameterRole::Shift;
}

ParameterRole GroupNormOp::getParameterRole(unsigned index) {
  return index == 1 ? ParameterRole::Scale : ParameterRole::Shift;
}

ParameterRole MulOp::getParameterRole(unsigned index) {
  return index == 1 ? ParameterRole::Scale
                    : defaultParameterRole(getOperand(index).getType());
}

// PReLU's slopes start at 0.25 in PyTorch: a scale, not a kernel.
ParameterRole PreluOp::getParameterRole(unsigned index) {
  return index == 1 ? ParameterRole::Scale
                    : defaultParameterRole(getOperand(index).getType());
}

std::optional<SpatialWindow> MaxPool2DOp::getSpatialWindow() {
  return SpatialWindow{pairOf(getKernelSize()), pairOf(getStride()),
                       pairOf(getDilation())};
}

std::optional<SpatialWindow> AvgPool2DOp::getSpatialWindow() {
  return SpatialWindow{pairOf(getKernelSize()), pairOf(getStride()), {1, 1}};
}

std::optional<SpatialWindow> AdaptiveAvgPool2DOp::getSpatialWindow() {
  // As a window: the largest cell and the step between cells.
  auto input = llvm::cast<RankedTensorType>(getInput().getType());
  ArrayRef<int64_t> size = getOutputSize();
  SpatialWindow window;
  for (int dim = 0; dim < 2; ++dim) {
    int64_t inSize = input.getDimSize(2 + dim);
    for (int64_t i = 0; i < size[dim]; ++i)
      window.kernel[dim] =
          std::max(window.kernel[dim], adaptiveEnd(i, inSize, size[dim]) -
                                           adaptiveStart(i, inSize, size[dim]));
    window.stride[dim] = std::max<int64_t>(1, inSize / size[dim]);
  }
  return window;
}
