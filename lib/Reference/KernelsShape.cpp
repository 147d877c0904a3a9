//===- KernelsShape.cpp - Reference concat, slice, shuffle and reshape ----===//
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

Tensor reference::slice(const Tensor &input, int64_t axis, int64_t start,
                        int64_t end) {
  std::vector<int64_t> shape = input.shape();
  if (axis < 0)
    axis += shape.size();
  int64_t outer, inner;
  around(shape, axis, outer, inner);
  const int64_t from = input.dim(axis) * inner;
  shape[axis] = end - start;
  Tensor out(shape);
  float *dst = out.data();
  for (int64_t o = 0; o < outer; ++o) {
    std::copy_n(input.data() + o * from + start * inner, (end - start) * inner,
                dst);
    dst += (end - start) * inner;
  }
  return out;
}

Tensor reference::channelShuffle(const Tensor &input, int64_t groups) {
  Tensor out(input.shape());
  const int64_t n = input.dim(0), c = input.dim(1);
  const int64_t plane = input.dim(2) * input.dim(3), perGroup = c / groups;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < perGroup; ++i)
      for (int64_t g = 0; g < groups; ++g)
        std::copy_n(input.data() + (b * c + g * perGroup + i) * plane, plane,
                    out.data() + (b * c + i * groups + g) * plane);
  return out;
}

Tensor reference::depthToSpace(const Tensor &input, int64_t b, bool crd) {
  const int64_t n = input.dim(0), c = input.dim(1) / (b * b);
  const int64_t h = input.dim(2), w = input.dim(3);
  Tensor out({n, c, h * b, w * b});
  for (int64_t bn = 0; bn < n; ++bn)
    for (int64_t oc = 0; oc < c; ++oc)
      for (int64_t oy = 0; oy < h * b; ++oy)
        for (int64_t ox = 0; ox < w * b; ++ox) {
          const int64_t i = oy % b, j = ox % b;
          const int64_t ic =
              crd ? oc * b * b + i * b + j : (i * b + j) * c + oc;
          out.data()[((bn * c + oc) * h * b + oy) * w * b + ox] =
              input.data()[((bn * c * b * b + ic) * h + oy / b) * w + ox / b];
        }
  return out;
}

Tensor reference::spaceToDepth(const Tensor &input, int64_t b, bool crd) {
  const int64_t n = input.dim(0), c = input.dim(1);
  const int64_t h = input.dim(2) / b, w = input.dim(3) / b;
  Tensor out({n, c * b * b, h, w});
  for (int64_t bn = 0; bn < n; ++bn)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t iy = 0; iy < h * b; ++iy)
        for (int64_t ix = 0; ix < w * b; ++ix) {
          const int64_t i = iy % b, j = ix % b;
          const int64_t oc =
              crd ? ic * b * b + i * b + j : (i * b + j) * c + ic;
          out.data()[((bn * c * b * b + oc) * h + iy / b) * w + ix / b] =
              input.data()[((bn * c + ic) * h * b + iy) * w * b + ix];
        }
  return out;
}

Tensor reference::transpose(const Tensor &input, llvm::ArrayRef<int64_t> perm) {
  const size_t rank = perm.size();
  std::vector<int64_t> shape(rank), strides(rank, 1), inStrides(rank);
  for (size_t d = rank; d-- > 1;)
    strides[d - 1] = strides[d] * input.dim(d);
  for (size_t d = 0; d < rank; ++d) {
    shape[d] = input.dim(perm[d]);
    inStrides[d] = strides[perm[d]];
  }
  Tensor out(shape);
  std::vector<int64_t> coords(rank, 0);
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t from = 0;
    for (size_t d = 0; d < rank; ++d)
      from += coords[d] * inStrides[d];
    out.data()[i] = input.data()[from];
    for (size_t d = rank; d-- > 0;)
      if (++coords[d] < shape[d])
        break;
      else
        coords[d] = 0;
  }
  return out;
}

Tensor reference::pad(const Tensor &input, llvm::ArrayRef<int64_t> padding,
                      llvm::StringRef mode, float value) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  const int64_t oh = h + padding[0] + padding[2],
                ow = w + padding[1] + padding[3];
  Tensor out({n, c, oh, ow});
  // The input coordinate for output coordinate `o`, or -1 (the value).
  auto source = [&](int64_t o, int64_t before, int64_t size) -> int64_t {
    const int64_t at = o - before;
    if (at >= 0 && at < size)
      return at;
    if (mode == "reflect")
      return at < 0 ? -at : 2 * (size - 1) - at;
    if (mode == "edge")
      return at < 0 ? 0 : size - 1;
    return -1;
  };
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t x = 0; x < ow; ++x) {
          const int64_t sy = source(y, padding[0], h),
                        sx = source(x, padding[1], w);
          out.data()[((b * c + ch) * oh + y) * ow + x] =
              sy < 0 || sx < 0 ? value
                               : input.data()[((b * c + ch) * h + sy) * w + sx];
        }
  return out;
}
