//===- Kernels.cpp - Reference kernels of the cnn ops ---------------------===//
//
// Written for clarity: plain index arithmetic, double accumulation.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Reference/Kernels.h"
#include "cnnc/Support/Shapes.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <thread>

using namespace cnnc;
using namespace cnnc::reference;

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Runs body(i) for i in [0, count) on up to `threads` threads.
template <typename Body>
static void parallelFor(int64_t count, unsigned threads, Body body) {
  unsigned workers = std::max(1u, std::min<unsigned>(threads, count));
  if (workers == 1) {
    for (int64_t i = 0; i < count; ++i)
      body(i);
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      for (int64_t i = w; i < count; i += workers)
        body(i);
    });
  for (std::thread &t : pool)
    t.join();
}

static Window1D window(const Pool2DParams &p, int dim) {
  Window1D w;
  w.kernel = p.kernel[dim];
  w.stride = p.stride[dim];
  w.padBegin = p.padding[dim];
  w.padEnd = p.padding[dim + 2];
  w.dilation = p.dilation[dim];
  w.ceilMode = p.ceilMode;
  return w;
}

//===----------------------------------------------------------------------===//
// Convolution and normalization
//===----------------------------------------------------------------------===//

Tensor reference::conv2d(const Tensor &input, const Tensor &weight,
                         const Tensor *bias, const Conv2DParams &p,
                         unsigned threads) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  const int64_t o = weight.dim(0), cg = weight.dim(1), kh = weight.dim(2),
                kw = weight.dim(3);
  const int64_t og = o / p.groups;
  Window1D wy{kh, p.stride[0], p.padding[0], p.padding[2], p.dilation[0]};
  Window1D wx{kw, p.stride[1], p.padding[1], p.padding[3], p.dilation[1]};
  const int64_t oh = *convOutputSize(h, wy), ow = *convOutputSize(w, wx);
  Tensor out({n, o, oh, ow});
  const float *in = input.data(), *wt = weight.data();
  float *res = out.data();

  parallelFor(n * o, threads, [&](int64_t job) {
    int64_t b = job / o, oc = job % o, group = oc / og;
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        double acc = bias ? bias->data()[oc] : 0.0;
        for (int64_t ci = 0; ci < cg; ++ci) {
          int64_t ic = group * cg + ci;
          for (int64_t ky = 0; ky < kh; ++ky) {
            int64_t iy = y * p.stride[0] - p.padding[0] + ky * p.dilation[0];
            if (iy < 0 || iy >= h)
              continue; // zero padding
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t ix = x * p.stride[1] - p.padding[1] + kx * p.dilation[1];
              if (ix < 0 || ix >= w)
                continue;
              acc += double(in[((b * c + ic) * h + iy) * w + ix]) *
                     double(wt[((oc * cg + ci) * kh + ky) * kw + kx]);
            }
          }
        }
        res[((b * o + oc) * oh + y) * ow + x] = static_cast<float>(acc);
      }
  });
  return out;
}

Tensor reference::batchNorm(const Tensor &input, const Tensor &weight,
                            const Tensor &bias, const Tensor &mean,
                            const Tensor &variance, double epsilon) {
  const int64_t n = input.dim(0), c = input.dim(1),
                hw = input.dim(2) * input.dim(3);
  Tensor out(input.shape());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch) {
      double scale =
          weight.data()[ch] / std::sqrt(double(variance.data()[ch]) + epsilon);
      for (int64_t i = 0; i < hw; ++i) {
        int64_t at = (b * c + ch) * hw + i;
        out.data()[at] = static_cast<float>(
            (input.data()[at] - double(mean.data()[ch])) * scale +
            bias.data()[ch]);
      }
    }
  return out;
}

Tensor reference::layerNorm(const Tensor &input, const Tensor &weight,
                            const Tensor &bias, double epsilon) {
  const int64_t n = input.dim(0), c = input.dim(1),
                hw = input.dim(2) * input.dim(3);
  Tensor out(input.shape());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < hw; ++i) {
      auto at = [&](int64_t ch) { return (b * c + ch) * hw + i; };
      double mean = 0, var = 0;
      for (int64_t ch = 0; ch < c; ++ch)
        mean += input.data()[at(ch)];
      mean /= c;
      for (int64_t ch = 0; ch < c; ++ch) {
        double d = input.data()[at(ch)] - mean;
        var += d * d;
      }
      var /= c; // biased, as torch.nn.LayerNorm
      double inv = 1.0 / std::sqrt(var + epsilon);
      for (int64_t ch = 0; ch < c; ++ch)
        out.data()[at(ch)] = static_cast<float>((input.data()[at(ch)] - mean) *
                                                    inv * weight.data()[ch] +
                                                bias.data()[ch]);
    }
  return out;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// The zero-filled output of pooling `input` with `p`.
static Tensor poolOutput(const Tensor &input, const Pool2DParams &p) {
  return Tensor({input.dim(0), input.dim(1),
                 *poolOutputSize(input.dim(2), window(p, 0)),
                 *poolOutputSize(input.dim(3), window(p, 1))});
}

Tensor reference::maxPool2d(const Tensor &input, const Pool2DParams &p) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  Tensor out = poolOutput(input, p);
  const int64_t oh = out.dim(2), ow = out.dim(3);
  for (int64_t plane = 0; plane < n * c; ++plane)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        // Padded positions never win.
        float best = -std::numeric_limits<float>::infinity();
        for (int64_t ky = 0; ky < p.kernel[0]; ++ky) {
          int64_t iy = y * p.stride[0] - p.padding[0] + ky * p.dilation[0];
          if (iy < 0 || iy >= h)
            continue;
          for (int64_t kx = 0; kx < p.kernel[1]; ++kx) {
            int64_t ix = x * p.stride[1] - p.padding[1] + kx * p.dilation[1];
            if (ix < 0 || ix >= w)
              continue;
            best = std::max(best, input.data()[(plane * h + iy) * w + ix]);
          }
        }
        out.data()[(plane * oh + y) * ow + x] = best;
      }
  return out;
}

Tensor reference::avgPool2d(const Tensor &input, const Pool2DParams &p) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  Tensor out = poolOutput(input, p);
  const int64_t oh = out.dim(2), ow = out.dim(3);
  for (int64_t plane = 0; plane < n * c; ++plane)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        // As PyTorch: the window is clipped to the padded input for the
        // count_include_pad divisor, and to the input for the sum.
        int64_t y0 = y * p.stride[0] - p.padding[0];
        int64_t x0 = x * p.stride[1] - p.padding[1];
        int64_t y1 = std::min(y0 + p.kernel[0], h + p.padding[2]);
        int64_t x1 = std::min(x0 + p.kernel[1], w + p.padding[3]);
        int64_t padded = (y1 - y0) * (x1 - x0);
        y0 = std::max<int64_t>(y0, 0);
        x0 = std::max<int64_t>(x0, 0);
        y1 = std::min(y1, h);
        x1 = std::min(x1, w);
        double sum = 0;
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix)
            sum += input.data()[(plane * h + iy) * w + ix];
        int64_t divisor = p.countIncludePad ? padded : (y1 - y0) * (x1 - x0);
        out.data()[(plane * oh + y) * ow + x] =
            static_cast<float>(sum / double(divisor));
      }
  return out;
}

Tensor reference::adaptiveAvgPool2d(const Tensor &input, int64_t oh,
                                    int64_t ow) {
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2),
                w = input.dim(3);
  Tensor out({n, c, oh, ow});
  for (int64_t plane = 0; plane < n * c; ++plane)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        int64_t y0 = adaptiveStart(y, h, oh), y1 = adaptiveEnd(y, h, oh);
        int64_t x0 = adaptiveStart(x, w, ow), x1 = adaptiveEnd(x, w, ow);
        double sum = 0;
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix)
            sum += input.data()[(plane * h + iy) * w + ix];
        out.data()[(plane * oh + y) * ow + x] =
            static_cast<float>(sum / double((y1 - y0) * (x1 - x0)));
      }
  return out;
}

//===----------------------------------------------------------------------===//
// Head and shape ops
//===----------------------------------------------------------------------===//

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

/// Splits a shape around `axis` into outer x axis x inner.
static void around(const std::vector<int64_t> &shape, int64_t axis,
                   int64_t &outer, int64_t &inner) {
  outer = inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
}

Tensor reference::softmax(const Tensor &input, int64_t axis) {
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
      for (int64_t a = 0; a < len; ++a)
        out.data()[at(a)] =
            static_cast<float>(std::exp(input.data()[at(a)] - top) / sum);
    }
  return out;
}

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
