//===- Tensor.cpp - The reference tensor and shared helpers ---------------===//
//
// Dense row-major f32 storage, owned or viewed.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"
#include "cnnc/Reference/Kernels.h"

#include <cassert>

using namespace cnnc;
using namespace cnnc::reference;

static int64_t product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Tensor::Tensor(std::vector<int64_t> shape)
    : dims(std::move(shape)), owned(product(dims), 0.0f) {}

Tensor::Tensor(std::vector<int64_t> shape, std::vector<float> data)
    : dims(std::move(shape)), owned(std::move(data)) {
  assert(static_cast<int64_t>(owned.size()) == product(dims));
}

Tensor Tensor::view(std::vector<int64_t> shape, const float *data) {
  Tensor t;
  t.dims = std::move(shape);
  t.viewed = data;
  return t;
}

int64_t Tensor::size() const { return product(dims); }

/// Splits a shape around `axis` into outer x axis x inner.
void cnnc::reference::around(const std::vector<int64_t> &shape, int64_t axis,
                             int64_t &outer, int64_t &inner) {
  outer = inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
}
