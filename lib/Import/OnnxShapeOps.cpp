//===- OnnxShapeOps.cpp - Reshape, Flatten, Concat, Slice and the like ----===//
//
// Shape ops on activations; on integer constants (shape arithmetic) Concat
// is computed here. A 5-D Reshape is the start of a channel shuffle
// (OnnxPatterns.cpp).
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include <algorithm>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Error Importer::passThrough(const onnx::NodeProto &n) {
  if (n.op_type() == "Dropout" && n.output_size() > 1 && !n.output(1).empty())
    return nodeError(n, "its mask output is used (training mode)");
  auto it = values.find(n.input(0));
  if (it == values.end())
    return nodeError(n, "input '" + n.input(0) + "' is not defined");
  Entry copy = it->second;
  values[n.output(0)] = copy;
  return llvm::Error::success();
}

llvm::Error Importer::flatten(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> in = shapeOf(*x);
  const int64_t rank = static_cast<int64_t>(in.size());
  int64_t axis = intAttr(n, "axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return nodeError(n, "axis " + llvm::Twine(axis) + " is out of range");
  return reshapeTo(n, *x,
                   {product(llvm::ArrayRef(in).take_front(axis)),
                    product(llvm::ArrayRef(in).drop_front(axis))});
}

llvm::Error Importer::reshape(const onnx::NodeProto &n) {
  const HostTensor *shape = constant(n, 1);
  if (!shape || !shape->isInt)
    return nodeError(n, "the target shape must be a constant (pin dynamic "
                        "dimensions with cnn-import --input-shape)");
  // Patterns of a few nodes that start with a Reshape to a higher rank.
  const size_t rank = shape->ints.size();
  auto transposedBy = [&](std::vector<int64_t> perm) {
    const onnx::NodeProto *t = soleConsumer(n.output(0), "Transpose");
    return t && ints(*t, "perm", {}) == perm;
  };
  if (rank == 5 && transposedBy({0, 2, 1, 3, 4}))
    return channelShuffle(n);
  if (rank == 6 && transposedBy({0, 1, 3, 5, 2, 4}))
    return pixelUnshuffle(n);
  if (rank == 3 && soleConsumer(n.output(0), "InstanceNormalization"))
    return groupNormFromParts(n);
  const HostTensor *host = constant(n, 0);
  llvm::Expected<Value> x =
      host ? llvm::Expected<Value>(Value()) : tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> in = host ? host->shape : shapeOf(*x), out;
  int64_t known = 1, inferIndex = -1;
  for (size_t i = 0; i < rank; ++i) {
    int64_t d = shape->ints[i];
    if (d == 0 && intAttr(n, "allowzero", 0) == 0) {
      if (i >= in.size())
        return nodeError(n, "0 copies a dimension the input lacks");
      d = in[i];
    }
    if (d == -1) {
      if (inferIndex >= 0)
        return nodeError(n, "more than one -1 in the target shape");
      inferIndex = static_cast<int64_t>(i);
      out.push_back(1);
      continue;
    }
    if (d <= 0)
      return nodeError(n,
                       "dimension " + llvm::Twine(d) + " in the target shape");
    if (llvm::MulOverflow(known, d, known))
      return nodeError(n, "the target shape " + shapeText(shape->ints) +
                              " has more elements than an int64 counts");
    out.push_back(d);
  }
  if (inferIndex >= 0 && known > 0)
    out[inferIndex] = product(in) / known;
  if (host) { // a constant built in the graph: reshaped here
    if (product(out) != product(in))
      return nodeError(n, "cannot reshape " + shapeText(in) + " to " +
                              shapeText(out));
    HostTensor reshaped = *host;
    reshaped.shape = out;
    values[n.output(0)].host = std::move(reshaped);
    return llvm::Error::success();
  }
  return reshapeTo(n, *x, out);
}

llvm::Error Importer::reshapeTo(const onnx::NodeProto &n, Value x,
                                llvm::ArrayRef<int64_t> out) {
  std::vector<int64_t> in = shapeOf(x);
  if (product(out) != product(in))
    return nodeError(n, "cannot reshape " + shapeText(in) + " to " +
                            shapeText(out));
  Value y;
  if (in.size() == 4 && out.size() == 2 && out[0] == in[0]) {
    llvm::Expected<Value> flat = inferred<cnn::FlattenOp>(n, x, 1, -1);
    if (!flat)
      return flat.takeError();
    y = *flat;
  } else {
    y = cnn::ReshapeOp::create(
        builder, loc, RankedTensorType::get(out, builder.getF32Type()), x);
  }
  define(n, y);
  return llvm::Error::success();
}

llvm::Error Importer::concat(const onnx::NodeProto &n) {
  int64_t axis = intAttr(n, "axis", 0);
  // Constants (shape arithmetic, a grid built in the graph): joined here.
  std::vector<const HostTensor *> parts;
  for (int i = 0; i < n.input_size(); ++i)
    parts.push_back(constant(n, i));
  if (!parts.empty() && llvm::all_of(parts, [](auto *p) { return p; })) {
    const int64_t rank = static_cast<int64_t>(parts[0]->shape.size());
    llvm::Expected<HostTensor> joined =
        concatHost(parts, axis < 0 ? axis + rank : axis);
    if (!joined)
      return nodeError(n, llvm::toString(joined.takeError()));
    values[n.output(0)].host = std::move(*joined);
    return llvm::Error::success();
  }
  llvm::SmallVector<Value> inputs;
  for (int i = 0; i < n.input_size(); ++i) {
    llvm::Expected<Value> v = tensor(n, i);
    if (!v)
      return v.takeError();
    inputs.push_back(*v);
  }
  const int64_t rank = static_cast<int64_t>(shapeOf(inputs[0]).size());
  if (axis < 0)
    axis += rank;
  llvm::Expected<Value> y =
      inferred<cnn::ConcatOp>(n, ValueRange(inputs), axis);
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::expand(const onnx::NodeProto &n) {
  if (constant(n, 0))
    return hostOp(n);
  const HostTensor *target = constant(n, 1);
  if (!target || !target->isInt)
    return nodeError(n, "expands to a shape that is not a constant");
  if (isChannelsLast(n.input(0)))
    return nodeError(n, "expands a channels-last (NHWC) tensor");
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  // ONNX broadcasts both ways: each dimension is the larger, one of them 1.
  llvm::Expected<std::vector<int64_t>> joint =
      broadcastShapes(n, shapeOf(*x), target->ints);
  if (!joint)
    return joint.takeError();
  std::vector<int64_t> out = std::move(*joint);
  // 2^30 elements: code generation's limit for one buffer, said here with
  // the node's name.
  if (llvm::any_of(out, [](int64_t d) { return d <= 0; }) ||
      product(out) > (int64_t(1) << 30))
    return nodeError(n, "expands to " + shapeText(out));
  if (out == shapeOf(*x)) {
    define(n, *x);
    return llvm::Error::success();
  }
  Value y = cnn::ExpandOp::create(
      builder, loc, RankedTensorType::get(out, builder.getF32Type()), *x);
  define(n, y);
  return llvm::Error::success();
}

llvm::Error Importer::squeeze(const onnx::NodeProto &n) {
  const bool unsqueeze = n.op_type() == "Unsqueeze";
  llvm::Expected<std::vector<int64_t>> given = axesOf(n);
  if (!given)
    return given.takeError();
  const std::vector<int64_t> axes = std::move(*given);
  if (isChannelsLast(n.input(0)))
    return nodeError(n, "reshapes a channels-last (NHWC) tensor");
  const HostTensor *host = constant(n, 0);
  llvm::Expected<Value> x =
      host ? llvm::Expected<Value>(Value()) : tensor(n, 0);
  if (!x)
    return x.takeError();
  const std::vector<int64_t> in = host ? host->shape : shapeOf(*x);
  const int64_t rank = static_cast<int64_t>(in.size()) +
                       (unsqueeze ? static_cast<int64_t>(axes.size()) : 0);
  if (unsqueeze && axes.empty())
    return nodeError(n, "needs axes");
  std::vector<bool> marked(rank, false);
  for (int64_t a : axes) {
    const int64_t at = a < 0 ? a + rank : a;
    if (at < 0 || at >= rank || marked[at])
      return nodeError(n, "axis " + llvm::Twine(a) +
                              " is out of range or repeated");
    if (!unsqueeze && in[at] != 1)
      return nodeError(n, "dimension " + llvm::Twine(at) + " of " +
                              shapeText(in) + " is not 1");
    marked[at] = true;
  }
  std::vector<int64_t> out;
  for (int64_t d = 0, from = 0; d < rank; ++d) {
    if (unsqueeze) {
      out.push_back(marked[d] ? 1 : in[from++]);
    } else if (axes.empty() ? in[d] != 1 : !marked[d]) {
      out.push_back(in[d]);
    }
  }
  if (host) { // of a constant: the same values
    HostTensor reshaped = *host;
    reshaped.shape = out;
    values[n.output(0)].host = std::move(reshaped);
    return llvm::Error::success();
  }
  return reshapeTo(n, *x, out);
}

llvm::Error Importer::softmax(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  const int64_t rank = static_cast<int64_t>(shapeOf(*x).size());
  int64_t axis = intAttr(n, "axis", opset < 13 ? 1 : -1);
  if (axis < 0)
    axis += rank;
  if (opset < 13 && axis != rank - 1)
    return nodeError(n, "before opset 13 " + n.op_type() +
                            " flattens from its axis; only the last axis is "
                            "supported");
  llvm::Expected<Value> y = n.op_type() == "LogSoftmax"
                                ? inferred<cnn::LogSoftmaxOp>(n, *x, axis)
                                : inferred<cnn::SoftmaxOp>(n, *x, axis);
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::slice(const onnx::NodeProto &n) {
  // Opset 10 moved starts, ends and axes from attributes to inputs.
  auto list = [&](int input,
                  const char *attr) -> std::optional<std::vector<int64_t>> {
    if (opset < 10)
      return attribute(n, attr) ? std::optional(ints(n, attr, {}))
                                : std::nullopt;
    const HostTensor *c = constant(n, input);
    if (!c || !c->isInt)
      return std::nullopt;
    return c->ints;
  };
  std::optional<std::vector<int64_t>> starts = list(1, "starts"),
                                      ends = list(2, "ends");
  if (!starts || !ends || starts->size() != ends->size())
    return nodeError(n, "starts and ends must be constants of equal length");
  std::optional<std::vector<int64_t>> axes = list(3, "axes");
  std::vector<int64_t> steps;
  if (hasInput(n, 4)) {
    const HostTensor *given = constant(n, 4);
    if (!given || !given->isInt || given->ints.size() != starts->size())
      return nodeError(n, "its steps must be a constant, one per axis");
    steps = given->ints;
  }
  if ((axes && axes->size() != starts->size()))
    return nodeError(n, "starts and axes must have equal length");
  // A slice of a constant (a shape: F.interpolate's size=x.shape[-2:];
  // F.pad's reversed pads): on the host, any steps.
  if (const HostTensor *data = constant(n, 0)) {
    llvm::Expected<HostTensor> r = sliceHost(
        *data, *starts, *ends, axes ? *axes : std::vector<int64_t>{}, steps);
    if (!r)
      return nodeError(n, llvm::toString(r.takeError()));
    values[n.output(0)].host = std::move(*r);
    return llvm::Error::success();
  }
  if (llvm::any_of(steps, [](int64_t s) { return s != 1; }))
    return nodeError(n, "only steps of 1 are supported");
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  Value y = *x;
  for (size_t i = 0; i < starts->size(); ++i) {
    std::vector<int64_t> shape = shapeOf(y);
    const int64_t rank = static_cast<int64_t>(shape.size());
    int64_t axis = axes ? (*axes)[i] : static_cast<int64_t>(i);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return nodeError(n, "axis out of range");
    // Negative positions count from the end; ends past it (INT64_MAX) clamp.
    const int64_t dim = shape[axis];
    auto position = [&](int64_t p) {
      return std::clamp<int64_t>(p < 0 ? p + dim : p, 0, dim);
    };
    int64_t start = position((*starts)[i]), end = position((*ends)[i]);
    if (start == 0 && end == dim)
      continue;
    llvm::Expected<Value> part = inferred<cnn::SliceOp>(
        n, y, static_cast<uint64_t>(axis), static_cast<uint64_t>(start),
        static_cast<uint64_t>(end));
    if (!part)
      return part.takeError();
    y = *part;
  }
  define(n, y);
  return llvm::Error::success();
}

llvm::Error Importer::split(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> shape = shapeOf(*x);
  int64_t axis = intAttr(n, "axis", 0);
  if (axis < 0)
    axis += static_cast<int64_t>(shape.size());
  if (axis < 0 || axis >= static_cast<int64_t>(shape.size()))
    return nodeError(n, "axis out of range");
  // Sizes: the split input (opset 13), the attribute before, or equal.
  std::vector<int64_t> sizes = ints(n, "split", {});
  if (const HostTensor *c = constant(n, 1); c && c->isInt)
    sizes = c->ints;
  if (sizes.empty() && attribute(n, "num_outputs")) {
    // Opset 18: chunks of ceil(size / num_outputs), the last smaller.
    const int64_t parts = intAttr(n, "num_outputs", 0);
    if (parts != n.output_size() || parts < 1)
      return nodeError(n, "num_outputs " + llvm::Twine(parts) +
                              " does not match its " +
                              llvm::Twine(n.output_size()) + " outputs");
    const int64_t chunk = (shape[axis] + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::min(chunk, shape[axis] - i * chunk));
    if (sizes.back() < 1)
      return nodeError(n, "cannot split " + llvm::Twine(shape[axis]) +
                              " into " + llvm::Twine(parts) + " chunks");
  }
  if (sizes.empty()) {
    if (shape[axis] % n.output_size() != 0)
      return nodeError(n, "the axis does not split evenly");
    sizes.assign(n.output_size(), shape[axis] / n.output_size());
  }
  if (static_cast<int>(sizes.size()) != n.output_size())
    return nodeError(n, "split sizes do not match the outputs");
  int64_t start = 0;
  for (int i = 0; i < n.output_size(); ++i) {
    llvm::Expected<Value> part = inferred<cnn::SliceOp>(
        n, *x, static_cast<uint64_t>(axis), static_cast<uint64_t>(start),
        static_cast<uint64_t>(start + sizes[i]));
    if (!part)
      return part.takeError();
    Entry &e = values[n.output(i)];
    e.value = *part;
    start += sizes[i];
  }
  return llvm::Error::success();
}

llvm::Error Importer::depthToSpace(const onnx::NodeProto &n) {
  const int64_t blockSize = intAttr(n, "blocksize", 0);
  // Opset 11 added CRD (how PyTorch exports PixelShuffle); DCR is the
  // default.
  std::string mode = llvm::StringRef(stringAttr(n, "mode")).lower();
  if (mode.empty())
    mode = "dcr";
  if (mode != "dcr" && mode != "crd")
    return nodeError(n, "mode must be DCR or CRD, not '" + mode + "'");
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  if (blockSize < 1)
    return nodeError(n, "needs a positive blocksize");
  llvm::Expected<Value> y = inferred<cnn::DepthToSpaceOp>(
      n, *x, static_cast<uint64_t>(blockSize), builder.getStringAttr(mode));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::spaceToDepth(const onnx::NodeProto &n) {
  // ONNX's SpaceToDepth has DCR order only; PixelUnshuffle's CRD comes as
  // Reshape, Transpose, Reshape (pixelUnshuffle).
  const int64_t blockSize = intAttr(n, "blocksize", 0);
  if (blockSize < 1)
    return nodeError(n, "needs a positive blocksize");
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  llvm::Expected<Value> y = inferred<cnn::SpaceToDepthOp>(
      n, *x, static_cast<uint64_t>(blockSize), builder.getStringAttr("dcr"));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}
