//===- KernelsLinear.cpp - Reference linear and softmax -------------------===//
//
// The classifier head, in double.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"
#include "cnnc/Reference/Kernels.h"

#include <cmath>

using namespace cnnc;
using namespace cnnc::reference;

Tensor reference::linear(const Tensor &input, const Tensor &weight,
                         const Tensor *bias, unsigned threads) {
  const int64_t n = input.dim(0), k = input.dim(1), m = weight.dim(0);
  Tensor out({n, m});
  parallelFor(m, threads, [&](int64_t j) {
    for (int64_t b = 0; b < n; ++b) {
      double acc = bias ? bias->data()[j] : 0.0;
      for (int64_t i = 0; i < k; ++i)
        acc += double(input.data()[b * k + i]) * weight.data()[j * k + i];
      out.data()[b * m + j] = static_cast<float>(acc);
    }
  });
  return out;
}

Tensor reference::softmax(const Tensor &input, int64_t axis, bool log) {
  const int64_t rank = input.shape().size();
  if (axis < 0)
    axis += rank;
  int64_t outer, inner, len = input.dim(axis);
  around(input.shape(), axis, outer, inner);
  Tensor out(input.shape());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t a) { return (o * len + a) * inner + i; };
      double top = -std::numeric_limits<double>::infinity();
      for (int64_t a = 0; a < len; ++a)
        top = std::max(top, double(input.data()[at(a)]));
      double sum = 0;
      for (int64_t a = 0; a < len; ++a)
        sum += std::exp(input.data()[at(a)] - top);
      for (int64_t a = 0; a < len; ++a) {
        const double shifted = input.data()[at(a)] - top;
        out.data()[at(a)] = static_cast<float>(log ? shifted - std::log(sum)
                                                   : std::exp(shifted) / sum);
      }
    }
  return out;
}
