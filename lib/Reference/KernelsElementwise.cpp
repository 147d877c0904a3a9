//===- KernelsElementwise.cpp - Reference activations, add and mul --------===//
//
// An activation is its op's evaluate(); add and mul broadcast rhs
// NumPy-style.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"
#include "cnnc/Reference/Kernels.h"

#include <algorithm>
#include <cmath>

using namespace cnnc;
using namespace cnnc::reference;

Tensor reference::activation(const Tensor &input,
                             llvm::function_ref<double(double)> f) {
  Tensor out(input.shape());
  for (int64_t i = 0; i < input.size(); ++i)
    out.data()[i] = static_cast<float>(f(input.data()[i]));
  return out;
}

/// Applies `op` with rhs broadcast into lhs: rhs's dimensions align on the
/// right, and a dimension of size 1 repeats.
template <typename Op>
static Tensor broadcast(const Tensor &lhs, const Tensor &rhs, Op op) {
  const std::vector<int64_t> &ls = lhs.shape(), &rs = rhs.shape();
  const size_t rank = ls.size(), offset = rank - rs.size();
  // rhs stride for each lhs dimension (0 where rhs broadcasts).
  std::vector<int64_t> stride(rank, 0);
  int64_t s = 1;
  for (size_t d = rs.size(); d-- > 0;) {
    stride[d + offset] = rs[d] == 1 ? 0 : s;
    s *= rs[d];
  }
  Tensor out(ls);
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < lhs.size(); ++i) {
    int64_t r = 0;
    for (size_t d = 0; d < rank; ++d)
      r += index[d] * stride[d];
    out.data()[i] = op(lhs.data()[i], rhs.data()[r]);
    for (size_t d = rank; d-- > 0;) { // next lhs index, row-major
      if (++index[d] < ls[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

Tensor reference::add(const Tensor &lhs, const Tensor &rhs) {
  return broadcast(lhs, rhs, [](float a, float b) { return a + b; });
}

Tensor reference::mul(const Tensor &lhs, const Tensor &rhs) {
  return broadcast(lhs, rhs, [](float a, float b) { return a * b; });
}

Tensor reference::sub(const Tensor &lhs, const Tensor &rhs) {
  return broadcast(lhs, rhs, [](float a, float b) { return a - b; });
}

Tensor reference::div(const Tensor &lhs, const Tensor &rhs) {
  return broadcast(lhs, rhs, [](float a, float b) { return a / b; });
}

// NaN propagates, as torch.maximum and torch.minimum do.
Tensor reference::maximum(const Tensor &lhs, const Tensor &rhs) {
  return broadcast(lhs, rhs, [](float a, float b) {
    return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
  });
}

Tensor reference::minimum(const Tensor &lhs, const Tensor &rhs) {
  return broadcast(lhs, rhs, [](float a, float b) {
    return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
  });
}

Tensor reference::expand(const Tensor &input, llvm::ArrayRef<int64_t> shape) {
  return broadcast(Tensor(std::vector<int64_t>(shape.begin(), shape.end())),
                   input, [](float, float x) { return x; });
}

Tensor reference::mask(const Tensor &lhs, const Tensor &rhs,
                       llvm::function_ref<bool(float, float)> holds) {
  return broadcast(lhs, rhs,
                   [&](float a, float b) { return holds(a, b) ? 1.0f : 0.0f; });
}

Tensor reference::select(const Tensor &condition, const Tensor &onTrue,
                         const Tensor &onFalse, llvm::ArrayRef<int64_t> shape) {
  Tensor c = expand(condition, shape), t = expand(onTrue, shape),
         f = expand(onFalse, shape);
  for (int64_t i = 0; i < c.size(); ++i)
    c.data()[i] = c.data()[i] != 0.0f ? t.data()[i] : f.data()[i];
  return c;
}

Tensor reference::prelu(const Tensor &input, const Tensor &slope) {
  return broadcast(input, slope,
                   [](float x, float a) { return x >= 0 ? x : a * x; });
}

Tensor reference::reduce(const Tensor &input, llvm::ArrayRef<int64_t> axes,
                         bool keepdim, Reduction kind) {
  const std::vector<int64_t> &in = input.shape();
  const size_t rank = in.size();
  // The output with every reduced dimension kept as 1; reshaped at the end.
  std::vector<int64_t> kept = in;
  int64_t count = 1;
  for (int64_t a : axes) {
    kept[a] = 1;
    count *= in[a];
  }
  int64_t outputs = 1;
  for (int64_t d : kept)
    outputs *= d;
  const double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> acc(outputs, kind == Reduction::Max   ? -infinity
                                   : kind == Reduction::Min ? infinity
                                                            : 0.0);
  // ArgMax and ArgMin: the best value so far (NaN beats every number) and
  // its index along the one axis.
  std::vector<double> best(outputs, std::numeric_limits<double>::quiet_NaN());
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < input.size(); ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < rank; ++d)
      o = o * kept[d] + (kept[d] == 1 ? 0 : index[d]);
    const double x = input.data()[i];
    const int64_t along = axes.empty() ? 0 : index[axes.front()];
    switch (kind) {
    case Reduction::ArgMax:
    case Reduction::ArgMin:
      if (along == 0 ||
          (!std::isnan(best[o]) &&
           (std::isnan(x) ||
            (kind == Reduction::ArgMax ? x > best[o] : x < best[o])))) {
        best[o] = x;
        acc[o] = static_cast<double>(along);
      }
      break;
    case Reduction::Max:
      acc[o] = std::max(acc[o], x);
      break;
    case Reduction::Min:
      acc[o] = std::min(acc[o], x);
      break;
    case Reduction::L1:
      acc[o] += std::abs(x);
      break;
    case Reduction::L2:
    case Reduction::SumSquare:
      acc[o] += x * x;
      break;
    case Reduction::Mean:
    case Reduction::Sum:
      acc[o] += x;
      break;
    }
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < in[d])
        break;
      index[d] = 0;
    }
  }
  std::vector<int64_t> shape;
  for (size_t d = 0; d < rank; ++d)
    if (keepdim || !llvm::is_contained(axes, static_cast<int64_t>(d)))
      shape.push_back(kept[d]);
  Tensor out(shape);
  for (size_t o = 0; o < acc.size(); ++o)
    out.data()[o] =
        static_cast<float>(kind == Reduction::Mean ? acc[o] / count
                           : kind == Reduction::L2 ? std::sqrt(acc[o])
                                                   : acc[o]);
  return out;
}
