//===- OnnxNormOps.cpp - InstanceNorm, GroupNormalization, GroupNorm ------===//
//
// All become cnn.group_norm: InstanceNormalization of an NCHW tensor has
// one channel per group; GroupNormalization (opset 18) has a scale and
// bias per group; PyTorch (before opset 18) exports GroupNorm as
// Reshape to [N, G, -1], InstanceNormalization with unit scale and zero
// shift, Reshape back, then the affine as Mul and Add, which
// --cnn-recompose folds into the op.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

/// InstanceNormalization's scale and bias, `groups` values each, as
/// per-channel blobs of `channels` values (each group's repeated over its
/// channels).
llvm::Error Importer::instanceNormAffine(const onnx::NodeProto &n,
                                         int64_t groups, int64_t channels,
                                         Value &weight, Value &bias) {
  for (auto [i, value, role] :
       {std::tuple{1, &weight, "weight"}, {2, &bias, "bias"}}) {
    const HostTensor *c = constant(n, i);
    if (!c || c->isInt || c->elements() != groups)
      return nodeError(n, llvm::Twine("the ") + role +
                              " must be a constant of " + llvm::Twine(groups) +
                              " values");
    std::vector<float> perChannel(channels);
    for (int64_t ch = 0; ch < channels; ++ch)
      perChannel[ch] = c->floats[ch / (channels / groups)];
    *value = blob(n, n.input(i), role, {channels}, perChannel);
  }
  return llvm::Error::success();
}

llvm::Error Importer::instanceNormalization(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> in = shapeOf(*x);
  if (in.size() != 4)
    return nodeError(n, "the input must be NCHW, or GroupNorm's export "
                        "(Reshape to [N, G, -1], InstanceNormalization, "
                        "Reshape back), not " +
                            shapeText(in));
  Value weight, bias;
  if (llvm::Error e = instanceNormAffine(n, in[1], in[1], weight, bias))
    return e;
  llvm::Expected<Value> y = inferred<cnn::GroupNormOp>(
      n, *x, weight, bias, static_cast<uint64_t>(in[1]),
      llvm::APFloat(static_cast<double>(floatAttr(n, "epsilon", 1e-5f))));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::groupNormalization(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> in = shapeOf(*x);
  const int64_t groups = intAttr(n, "num_groups", 0);
  if (in.size() != 4)
    return nodeError(n, "the input must be NCHW, not " + shapeText(in));
  if (groups < 1 || in[1] % groups != 0)
    return nodeError(n, "num_groups " + llvm::Twine(groups) +
                            " does not divide the " + llvm::Twine(in[1]) +
                            " channels");
  Value weight, bias;
  if (llvm::Error e = instanceNormAffine(n, groups, in[1], weight, bias))
    return e;
  llvm::Expected<Value> y = inferred<cnn::GroupNormOp>(
      n, *x, weight, bias, static_cast<uint64_t>(groups),
      llvm::APFloat(static_cast<double>(floatAttr(n, "epsilon", 1e-5f))));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::groupNormFromParts(const onnx::NodeProto &n) {
  const std::vector<int64_t> &target = constant(n, 1)->ints;
  const onnx::NodeProto *norm =
      soleConsumer(n.output(0), "InstanceNormalization");
  auto notGroupNorm = [&](const llvm::Twine &why) {
    return nodeError(n, "a 3-D Reshape before InstanceNormalization is "
                        "supported only as GroupNorm's export (Reshape to "
                        "[N, G, -1], InstanceNormalization, Reshape back); " +
                            why);
  };
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> in = shapeOf(*x);
  const int64_t groups = target[1];
  if (in.size() != 4 || (target[0] != 0 && target[0] != in[0]) || groups <= 0 ||
      in[1] % groups != 0 ||
      (target[2] != -1 && target[2] != in[1] / groups * in[2] * in[3]))
    return notGroupNorm("the shape " + shapeText(target) +
                        " does not group the channels of " + shapeText(in));
  // Back to the input's shape: a constant, or (as PyTorch writes it)
  // Shape of the input, which comes later in the graph than this node.
  const onnx::NodeProto *back = soleConsumer(norm->output(0), "Reshape");
  const HostTensor *shape = back ? constant(*back, 1) : nullptr;
  bool backToInput = shape && shape->isInt && shape->ints == in;
  for (const onnx::NodeProto *reader : consumers[n.input(0)])
    backToInput |= back && reader->op_type() == "Shape" &&
                   reader->output_size() == 1 && hasInput(*back, 1) &&
                   reader->output(0) == back->input(1) &&
                   !attribute(*reader, "start") && !attribute(*reader, "end");
  if (!backToInput)
    return notGroupNorm("no Reshape back to " + shapeText(in) + " follows");
  Value weight, bias;
  if (llvm::Error e = instanceNormAffine(*norm, groups, in[1], weight, bias))
    return e;
  llvm::Expected<Value> y = inferred<cnn::GroupNormOp>(
      *back, *x, weight, bias, static_cast<uint64_t>(groups),
      llvm::APFloat(static_cast<double>(floatAttr(*norm, "epsilon", 1e-5f))));
  if (!y)
    return y.takeError();
  define(*back, *y);
  skip(norm);
  skip(back);
  return llvm::Error::success();
}
