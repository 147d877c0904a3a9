//===- KernelsShape.cpp - Reference concat and reshape --------------------===//
//
// Shape ops copy elements in NCHW order.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"
#include "cnnc/Reference/Kernels.h"

using namespace cnnc;
using namespace cnnc::reference;

Tensor reference::concat(llvm::ArrayRef<const Tensor *> inputs, int64_t axis) {
  std::vector<int64_t> shape = inputs[0]->shape();
  if (axis < 0)
    axis += shape.size();
  shape[axis] = 0;
  for (const Tensor *t : inputs)
    shape[axis] += t->dim(axis);
  int64_t outer, inner;
  around(shape, axis, outer, inner);
  Tensor out(shape);
  float *dst = out.data();
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : inputs) {
      int64_t chunk = t->dim(axis) * inner;
      std::copy_n(t->data() + o * chunk, chunk, dst);
      dst += chunk;
    }
  return out;
}

Tensor reference::reshape(const Tensor &input, std::vector<int64_t> shape) {
  return Tensor(std::move(shape),
                std::vector<float>(input.data(), input.data() + input.size()));
}
