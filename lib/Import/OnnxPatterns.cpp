//===- OnnxPatterns.cpp - What exporters decompose, composed again --------===//
//
// PyTorch exports ConvNeXt's LayerNorm2d as Transpose to NHWC, a LayerNorm
// over the last axis (LayerNormalization from opset 17, before that
// ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add) and Transpose
// back; its block's Linear layers as MatMul + Add on NHWC data. The
// importer holds an NHWC tensor as its NCHW value marked channels-last, so
// a LayerNorm over the last axis is the dialect's layer_norm over channels
// (the decomposed one: a reduce_mean over channels and elementwise ops,
// which --cnn-recompose makes a layer_norm), a MatMul a 1x1 conv. Still
// matched over ONNX nodes here: the MatMul's bias Add and the channel
// shuffle (Reshape, Transpose, Reshape).
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include <cmath>

using namespace cnnc;
using namespace cnnc::onnximport;

const onnx::NodeProto *Importer::soleConsumer(const std::string &value,
                                              llvm::StringRef opType) {
  auto it = consumers.find(value);
  if (it == consumers.end() || it->second.size() != 1 ||
      it->second[0]->op_type() != opType || skipped.contains(it->second[0]))
    return nullptr;
  return it->second[0];
}

std::optional<float> Importer::scalar(const std::string &name) {
  auto it = values.find(name);
  if (it == values.end() || !it->second.host || it->second.host->isInt ||
      it->second.host->floats.size() != 1)
    return std::nullopt;
  return it->second.host->floats[0];
}

llvm::Error Importer::transpose(const onnx::NodeProto &n) {
  std::vector<int64_t> perm = ints(n, "perm", {});
  if (const HostTensor *data = constant(n, 0)) { // F.pad's pads
    if (perm.empty())
      for (size_t d = data->shape.size(); d-- > 0;)
        perm.push_back(static_cast<int64_t>(d));
    llvm::Expected<HostTensor> r = transposeHost(*data, perm);
    if (!r)
      return nodeError(n, llvm::toString(r.takeError()));
    values[n.output(0)].host = std::move(*r);
    return llvm::Error::success();
  }
  auto it = values.find(n.input(0));
  if (it == values.end() || !it->second.value)
    return nodeError(n, "input '" + n.input(0) + "' is not an activation");
  const bool last = it->second.channelsLast;
  const bool toNhwc = perm == std::vector<int64_t>{0, 2, 3, 1};
  const bool toNchw = perm == std::vector<int64_t>{0, 3, 1, 2};
  if ((toNhwc && !last && shapeOf(it->second.value).size() == 4) ||
      (toNchw && last)) {
    // The same NCHW value, seen the other way.
    define(n, it->second.value, /*channelsLast=*/toNhwc);
    return llvm::Error::success();
  }
  if (last)
    return nodeError(n, "transposes a channels-last (NHWC) tensor other "
                        "than back to NCHW");
  llvm::Expected<Value> y =
      inferred<cnn::TransposeOp>(n, it->second.value, perm);
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::layerNormalization(const onnx::NodeProto &n) {
  if (!isChannelsLast(n.input(0)) || intAttr(n, "axis", -1) != -1)
    return nodeError(n, "only LayerNorms over the channels of an NHWC "
                        "tensor (axis -1, after a Transpose) are supported");
  if (n.output_size() > 1 && !n.output(1).empty())
    return nodeError(n, "its Mean and InvStdDev outputs are not supported");
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  llvm::Expected<Value> w = tensor(n, 1, "weight");
  if (!w)
    return w.takeError();
  if (!hasInput(n, 2))
    return nodeError(n, "a LayerNorm without a bias is not supported");
  llvm::Expected<Value> b = tensor(n, 2, "bias");
  if (!b)
    return b.takeError();
  llvm::Expected<Value> y = inferred<cnn::LayerNormOp>(
      n, *x, *w, *b,
      llvm::APFloat(static_cast<double>(floatAttr(n, "epsilon", 1e-5f))));
  if (!y)
    return y.takeError();
  define(n, *y, /*channelsLast=*/true);
  return llvm::Error::success();
}

llvm::Error Importer::reduceMean(const onnx::NodeProto &mean) {
  const std::string &x = mean.input(0);
  const bool keepdims = intAttr(mean, "keepdims", 1) != 0;
  llvm::Expected<Value> in = tensor(mean, 0);
  if (!in)
    return in.takeError();
  const int64_t rank = static_cast<int64_t>(shapeOf(*in).size());
  llvm::Expected<std::vector<int64_t>> reduced = reductionAxes(mean, rank);
  if (!reduced)
    return reduced.takeError();
  std::vector<int64_t> axes = std::move(*reduced);
  if (isChannelsLast(x)) {
    // The last axis of the NHWC view: the channels of the NCHW value.
    if (axes != std::vector<int64_t>{3} || !keepdims)
      return nodeError(mean, "reduces a channels-last (NHWC) tensor other "
                             "than over its last axis with keepdims");
    llvm::Expected<Value> y = inferred<cnn::ReduceMeanOp>(
        mean, *in, llvm::ArrayRef<int64_t>{1}, true);
    if (!y)
      return y.takeError();
    define(mean, *y, /*channelsLast=*/true);
    return llvm::Error::success();
  }
  Value y;
  if (rank == 4 && axes == std::vector<int64_t>{2, 3}) {
    // x.mean([2, 3]) (ShuffleNetV2's head): a global average pool, then
    // without keepdims a flatten.
    llvm::Expected<Value> pooled = inferred<cnn::AdaptiveAvgPool2DOp>(
        mean, *in, llvm::ArrayRef<int64_t>{1, 1});
    if (!pooled)
      return pooled.takeError();
    y = *pooled;
    if (!keepdims) {
      llvm::Expected<Value> flat =
          inferred<cnn::FlattenOp>(mean, y, uint64_t(1), uint64_t(-1));
      if (!flat)
        return flat.takeError();
      y = *flat;
    }
  } else {
    llvm::Expected<Value> reduced =
        inferred<cnn::ReduceMeanOp>(mean, *in, axes, keepdims);
    if (!reduced)
      return reduced.takeError();
    y = *reduced;
  }
  define(mean, y);
  return llvm::Error::success();
}

llvm::Error Importer::channelsLastMatMul(const onnx::NodeProto &n) {
  const HostTensor *w = constant(n, 1);
  if (!w || w->isInt || w->shape.size() != 2)
    return nodeError(n, "a MatMul of a channels-last tensor needs a constant "
                        "[in, out] weight (a linear layer)");
  const int64_t in = w->shape[0], out = w->shape[1];
  // [in, out] to a 1x1 conv's [out, in, 1, 1].
  std::vector<float> weight(in * out);
  for (int64_t i = 0; i < in; ++i)
    for (int64_t o = 0; o < out; ++o)
      weight[o * in + i] = w->floats[i * out + o];
  Value weightValue = blob(n, n.input(1), "weight", {out, in, 1, 1}, weight);
  // The bias Add after it, when its other side is a constant [out].
  const onnx::NodeProto *add = soleConsumer(n.output(0), "Add");
  const HostTensor *bias = nullptr;
  if (add) {
    auto it = values.find(otherInput(*add, n.output(0)));
    if (it != values.end() && it->second.host && !it->second.host->isInt &&
        it->second.host->elements() == out &&
        it->second.host->shape.size() == 1)
      bias = &*it->second.host;
  }
  Value biasValue;
  if (bias)
    biasValue =
        blob(*add, otherInput(*add, n.output(0)), "bias", {out}, bias->floats);
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  const onnx::NodeProto &last = bias ? *add : n;
  llvm::Expected<Value> y = inferred<cnn::Conv2DOp>(
      last, *x, weightValue, biasValue, llvm::ArrayRef<int64_t>{1, 1},
      llvm::ArrayRef<int64_t>{0, 0, 0, 0}, llvm::ArrayRef<int64_t>{1, 1},
      uint64_t(1), /*padding_values=*/mlir::DenseF32ArrayAttr());
  if (!y)
    return y.takeError();
  define(last, *y, /*channelsLast=*/true);
  if (bias)
    skip(add);
  return llvm::Error::success();
}

llvm::Error Importer::channelShuffle(const onnx::NodeProto &n) {
  const std::vector<int64_t> &target = constant(n, 1)->ints;
  auto notShuffle = [&](const char *why) {
    return nodeError(n, llvm::Twine("a 5-D Reshape is supported only as a "
                                    "channel shuffle (Reshape to [N, g, C / "
                                    "g, H, W], Transpose [0, 2, 1, 3, 4], "
                                    "Reshape back); ") +
                            why);
  };
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> in = shapeOf(*x);
  if (in.size() != 4 || target[0] != in[0] || target[1] <= 0 ||
      target[2] * target[1] != in[1] || target[3] != in[2] ||
      target[4] != in[3])
    return notShuffle("the shape does not split the channels");
  const onnx::NodeProto *transpose = soleConsumer(n.output(0), "Transpose");
  if (!transpose ||
      ints(*transpose, "perm", {}) != std::vector<int64_t>{0, 2, 1, 3, 4})
    return notShuffle("no Transpose [0, 2, 1, 3, 4] follows");
  const onnx::NodeProto *back = soleConsumer(transpose->output(0), "Reshape");
  const HostTensor *shape = back ? constant(*back, 1) : nullptr;
  if (!shape || !shape->isInt || shape->ints.size() != 4)
    return notShuffle("no Reshape back to 4-D follows");
  llvm::Expected<Value> y = inferred<cnn::ChannelShuffleOp>(
      *back, *x, static_cast<uint64_t>(target[1]));
  if (!y)
    return y.takeError();
  define(*back, *y);
  skip(transpose);
  skip(back);
  return llvm::Error::success();
}

llvm::Error Importer::pixelUnshuffle(const onnx::NodeProto &n) {
  const std::vector<int64_t> &target = constant(n, 1)->ints;
  auto notUnshuffle = [&](const llvm::Twine &why) {
    return nodeError(n, "a 6-D Reshape is supported only as PixelUnshuffle "
                        "(Reshape to [N, C, H / b, b, W / b, b], Transpose "
                        "[0, 1, 3, 5, 2, 4], Reshape to [N, C * b * b, H / "
                        "b, W / b]); " +
                            why);
  };
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> in = shapeOf(*x);
  const int64_t b = target[3];
  // N and C as they are, copied (0) or inferred (one -1).
  auto kept = [&](int d) {
    return target[d] == in[d] || target[d] == 0 || target[d] == -1;
  };
  if (in.size() != 4 || b < 1 || target[5] != b || !kept(0) || !kept(1) ||
      (target[0] == -1 && target[1] == -1) || in[2] % b != 0 ||
      target[2] != in[2] / b || in[3] % b != 0 || target[4] != in[3] / b)
    return notUnshuffle("the shape " + shapeText(target) +
                        " does not split the rows and columns of " +
                        shapeText(in) + " into blocks");
  const onnx::NodeProto *transpose = soleConsumer(n.output(0), "Transpose");
  if (!transpose ||
      ints(*transpose, "perm", {}) != std::vector<int64_t>{0, 1, 3, 5, 2, 4})
    return notUnshuffle("no Transpose [0, 1, 3, 5, 2, 4] follows");
  const onnx::NodeProto *back = soleConsumer(transpose->output(0), "Reshape");
  const HostTensor *shape = back ? constant(*back, 1) : nullptr;
  if (!shape || !shape->isInt || shape->ints.size() != 4)
    return notUnshuffle("no Reshape back to 4-D follows");
  llvm::Expected<Value> y = inferred<cnn::SpaceToDepthOp>(
      *back, *x, static_cast<uint64_t>(b), builder.getStringAttr("crd"));
  if (!y)
    return y.takeError();
  // The last Reshape's target: each dimension as it is, one inferred (-1),
  // or N copied (0).
  std::vector<int64_t> out = shapeOf(*y);
  bool backToOut = llvm::count(shape->ints, -1) <= 1;
  for (int d = 0; d < 4; ++d)
    backToOut &= shape->ints[d] == out[d] || shape->ints[d] == -1 ||
                 (d == 0 && shape->ints[d] == 0);
  if (!backToOut)
    return notUnshuffle("the last Reshape is not to " + shapeText(out));
  define(*back, *y);
  skip(transpose);
  skip(back);
  return llvm::Error::success();
}
