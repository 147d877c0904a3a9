//===- OnnxHostTensors.cpp - Data movement on host tensors ----------------===//

#include "OnnxTensors.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cmath>
#include <string>

using namespace cnnc::onnximport;

namespace {

std::string text(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// The element count of `shape`, or an error past kMaxHostElements.
llvm::Expected<int64_t> countOf(llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && count > kMaxHostElements / d))
      return failure("a constant of shape " + text(shape) +
                     " computed in the graph is larger than " +
                     llvm::Twine(kMaxHostElements) + " elements");
    count *= d;
  }
  return count;
}

/// A tensor of `shape` whose element i is `t`'s element `source(coords)`,
/// coords being i's row-major coordinates.
template <typename SourceFn>
llvm::Expected<HostTensor> gather(const HostTensor &t,
                                  std::vector<int64_t> shape, SourceFn source) {
  llvm::Expected<int64_t> count = countOf(shape);
  if (!count)
    return count.takeError();
  HostTensor r;
  r.isInt = t.isInt;
  std::vector<int64_t> coords(shape.size(), 0);
  for (int64_t i = 0; i < *count; ++i) {
    int64_t at = source(coords);
    if (t.isInt)
      r.ints.push_back(t.ints[at]);
    else
      r.floats.push_back(t.floats[at]);
    for (size_t d = shape.size(); d-- > 0;) // next coordinates
      if (++coords[d] < shape[d])
        break;
      else
        coords[d] = 0;
  }
  r.shape = std::move(shape);
  return r;
}

/// Row-major linear index of `coords` (aligned right) in `shape`, with
/// dimensions of 1 broadcast.
int64_t linearIndex(llvm::ArrayRef<int64_t> shape,
                    llvm::ArrayRef<int64_t> coords) {
  int64_t at = 0;
  const size_t offset = coords.size() - shape.size();
  for (size_t d = 0; d < shape.size(); ++d)
    at = at * shape[d] + (shape[d] == 1 ? 0 : coords[offset + d]);
  return at;
}

} // namespace

llvm::Expected<HostTensor>
cnnc::onnximport::expandHost(const HostTensor &t,
                             llvm::ArrayRef<int64_t> shape) {
  const size_t rank = std::max(t.shape.size(), shape.size());
  std::vector<int64_t> out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a =
        i < rank - t.shape.size() ? 1 : t.shape[i - (rank - t.shape.size())];
    int64_t b = i < rank - shape.size() ? 1 : shape[i - (rank - shape.size())];
    if (a != b && a != 1 && b != 1)
      return failure("cannot expand " + text(t.shape) + " to " + text(shape));
    out[i] = a == 1 ? b : a;
  }
  return gather(t, out, [&](llvm::ArrayRef<int64_t> coords) {
    return linearIndex(t.shape, coords);
  });
}

llvm::Expected<HostTensor>
cnnc::onnximport::concatHost(llvm::ArrayRef<const HostTensor *> parts,
                             int64_t axis) {
  std::vector<int64_t> out = parts[0]->shape;
  if (axis < 0 || axis >= static_cast<int64_t>(out.size()))
    return failure("axis " + llvm::Twine(axis) + " is out of range for " +
                   text(out));
  out[axis] = 0;
  for (const HostTensor *p : parts) {
    std::vector<int64_t> s = p->shape;
    if (s.size() != out.size() || p->isInt != parts[0]->isInt)
      return failure("cannot concatenate " + text(s) + " with " +
                     text(parts[0]->shape));
    for (size_t d = 0; d < s.size(); ++d)
      if (static_cast<int64_t>(d) != axis && s[d] != out[d])
        return failure("cannot concatenate " + text(s) + " with " +
                       text(parts[0]->shape));
    out[axis] += s[axis];
  }
  // One tensor holding every part, then a gather from it.
  HostTensor all;
  all.isInt = parts[0]->isInt;
  std::vector<int64_t> starts;
  for (const HostTensor *p : parts) {
    starts.push_back(all.elements());
    all.ints.insert(all.ints.end(), p->ints.begin(), p->ints.end());
    all.floats.insert(all.floats.end(), p->floats.begin(), p->floats.end());
  }
  return gather(all, out, [&](llvm::ArrayRef<int64_t> coords) {
    std::vector<int64_t> at(coords.begin(), coords.end());
    size_t part = 0;
    while (at[axis] >= parts[part]->shape[axis])
      at[axis] -= parts[part++]->shape[axis];
    return starts[part] + linearIndex(parts[part]->shape, at);
  });
}

llvm::Expected<HostTensor> cnnc::onnximport::castHost(const HostTensor &t,
                                                      bool toFloat) {
  if (toFloat == !t.isInt)
    return t;
  HostTensor r;
  r.shape = t.shape;
  r.isInt = !toFloat;
  if (toFloat)
    for (int64_t v : t.ints)
      r.floats.push_back(static_cast<float>(v));
  for (float v : t.floats) {
    if (!(std::abs(v) < 9.2e18f))
      return failure("cannot cast " + std::to_string(v) + " to an integer");
    r.ints.push_back(static_cast<int64_t>(v));
  }
  return r;
}

llvm::Expected<HostTensor>
cnnc::onnximport::rangeHost(const HostTensor &start, const HostTensor &limit,
                            const HostTensor &delta) {
  if (start.isInt != limit.isInt || start.isInt != delta.isInt)
    return failure("start, limit and delta are of different types");
  auto value = [](const HostTensor &t) {
    return t.isInt ? double(t.ints[0]) : double(t.floats[0]);
  };
  const double from = value(start), to = value(limit), step = value(delta);
  if (step == 0 || !std::isfinite(from) || !std::isfinite(to) ||
      !std::isfinite(step))
    return failure("a range needs a finite, non-zero delta and finite ends");
  const double count = std::max(std::ceil((to - from) / step), 0.0);
  if (count > double(kMaxHostElements))
    return failure("a range of " + std::to_string(count) +
                   " values is larger than " +
                   std::to_string(kMaxHostElements) + " elements");
  HostTensor r;
  r.isInt = start.isInt;
  r.shape = {static_cast<int64_t>(count)};
  for (int64_t i = 0; i < r.shape[0]; ++i) {
    if (r.isInt)
      r.ints.push_back(start.ints[0] + i * delta.ints[0]);
    else
      r.floats.push_back(static_cast<float>(from + double(i) * step));
  }
  return r;
}

llvm::Expected<HostTensor>
cnnc::onnximport::transposeHost(const HostTensor &t,
                                llvm::ArrayRef<int64_t> perm) {
  const size_t rank = t.shape.size();
  std::vector<bool> seen(rank, false);
  if (perm.size() != rank)
    return failure("perm of " + llvm::Twine(perm.size()) +
                   " axes for a constant of shape " + text(t.shape));
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen[p])
      return failure("perm is not a permutation of " + text(t.shape));
    seen[p] = true;
  }
  std::vector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(t.shape[p]);
  return gather(t, out, [&](llvm::ArrayRef<int64_t> coords) {
    std::vector<int64_t> from(rank);
    for (size_t d = 0; d < rank; ++d)
      from[perm[d]] = coords[d];
    return linearIndex(t.shape, from);
  });
}

llvm::Expected<HostTensor>
cnnc::onnximport::sliceHost(const HostTensor &t, llvm::ArrayRef<int64_t> starts,
                            llvm::ArrayRef<int64_t> ends,
                            llvm::ArrayRef<int64_t> axes,
                            llvm::ArrayRef<int64_t> steps) {
  const int64_t rank = static_cast<int64_t>(t.shape.size());
  // Per dimension: first index and step; every dimension starts whole.
  std::vector<int64_t> first(rank, 0), step(rank, 1), out = t.shape;
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis = axes.empty() ? static_cast<int64_t>(i) : axes[i];
    axis = axis < 0 ? axis + rank : axis;
    const int64_t s = steps.empty() ? 1 : steps[i];
    if (axis < 0 || axis >= rank || s == 0)
      return failure("slices axis " + llvm::Twine(axis) + " with step " +
                     llvm::Twine(s) + " of a constant of shape " +
                     text(t.shape));
    // ONNX's clamping: within [0, dim] for positive steps, [-1, dim - 1]
    // for negative ones.
    const int64_t dim = t.shape[axis];
    auto clampAt = [&](int64_t p) {
      p = p < 0 ? std::max<int64_t>(p, -dim - 1) + dim : p;
      return s > 0 ? std::clamp<int64_t>(p, 0, dim)
                   : std::clamp<int64_t>(p, -1, dim - 1);
    };
    const int64_t start = clampAt(starts[i]), end = clampAt(ends[i]);
    const int64_t count = s > 0
                              ? (end > start ? (end - start + s - 1) / s : 0)
                              : (start > end ? (start - end - s - 1) / -s : 0);
    first[axis] = start;
    step[axis] = s;
    out[axis] = count;
  }
  return gather(t, out, [&](llvm::ArrayRef<int64_t> coords) {
    std::vector<int64_t> from(rank);
    for (int64_t d = 0; d < rank; ++d)
      from[d] = first[d] + coords[d] * step[d];
    return linearIndex(t.shape, from);
  });
}
