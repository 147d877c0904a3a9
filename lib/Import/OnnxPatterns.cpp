//===- OnnxPatterns.cpp - What exporters decompose, composed again --------===//
//
// PyTorch exports ConvNeXt's LayerNorm2d as Transpose to NHWC, a LayerNorm
// over the last axis (LayerNormalization from opset 17, before that
// ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add) and Transpose
// back; its block's Linear layers as MatMul + Add on NHWC data; exact GELU
// as Div by sqrt(2), Erf, Add 1, Mul by x, Mul by 0.5. The importer holds an
// NHWC tensor as its NCHW value marked channels-last, so these become the
// dialect's layer_norm over channels, 1x1 convs and gelu: the ops the zoo's
// ConvNeXt has, which the fusion passes know.
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
  std::string text;
  for (int64_t p : perm)
    text += (text.empty() ? "" : ", ") + std::to_string(p);
  return nodeError(n, "only the NCHW <-> NHWC transposes around "
                      "channels-last LayerNorms and linear layers are "
                      "supported; got perm [" +
                          text + "]");
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
  auto notLayerNorm = [&](const char *step) {
    return nodeError(mean, llvm::Twine("is supported only over H and W, or "
                                       "as the start of a LayerNorm over an "
                                       "NHWC tensor's channels; ") +
                               step);
  };
  const std::string &x = mean.input(0);
  std::vector<int64_t> axes = ints(mean, "axes", {});
  if (!isChannelsLast(x) && (axes == std::vector<int64_t>{2, 3} ||
                             axes == std::vector<int64_t>{-2, -1})) {
    // x.mean([2, 3]) (ShuffleNetV2's head): a global average pool, then
    // without keepdims a flatten.
    llvm::Expected<Value> in = tensor(mean, 0);
    if (!in)
      return in.takeError();
    llvm::Expected<Value> pooled = inferred<cnn::AdaptiveAvgPool2DOp>(
        mean, *in, llvm::ArrayRef<int64_t>{1, 1});
    if (!pooled)
      return pooled.takeError();
    Value y = *pooled;
    if (intAttr(mean, "keepdims", 1) == 0) {
      llvm::Expected<Value> flat =
          inferred<cnn::FlattenOp>(mean, y, uint64_t(1), uint64_t(-1));
      if (!flat)
        return flat.takeError();
      y = *flat;
    }
    define(mean, y);
    return llvm::Error::success();
  }
  if (!isChannelsLast(x) || axes != std::vector<int64_t>{-1})
    return notLayerNorm("its input is not channels-last, or its axes are "
                        "not [-1]");
  // x - mean(x), then its square's mean, and the division by the root.
  const onnx::NodeProto *sub = soleConsumer(mean.output(0), "Sub");
  if (!sub || sub->input(0) != x)
    return notLayerNorm("no Sub(x, mean) follows");
  const std::string &centered = sub->output(0);
  auto readers = consumers.find(centered);
  const onnx::NodeProto *pow = nullptr, *div = nullptr;
  if (readers != consumers.end() && readers->second.size() == 2)
    for (const onnx::NodeProto *r : readers->second) {
      if (r->op_type() == "Pow" && r->input(0) == centered)
        pow = r;
      if (r->op_type() == "Div" && r->input(0) == centered)
        div = r;
    }
  if (!pow || !div || scalar(pow->input(1)) != 2.0f)
    return notLayerNorm("x - mean is not squared and divided");
  const onnx::NodeProto *variance = soleConsumer(pow->output(0), "ReduceMean");
  if (!variance || ints(*variance, "axes", {}) != std::vector<int64_t>{-1})
    return notLayerNorm("the square's mean over the last axis is missing");
  const onnx::NodeProto *addEps = soleConsumer(variance->output(0), "Add");
  std::optional<float> epsilon =
      addEps ? scalar(otherInput(*addEps, variance->output(0))) : std::nullopt;
  const onnx::NodeProto *root =
      addEps ? soleConsumer(addEps->output(0), "Sqrt") : nullptr;
  if (!epsilon || !root || div->input(1) != root->output(0))
    return notLayerNorm("no Div by sqrt(variance + epsilon)");
  const onnx::NodeProto *scale = soleConsumer(div->output(0), "Mul");
  const onnx::NodeProto *shift =
      scale ? soleConsumer(scale->output(0), "Add") : nullptr;
  if (!scale || !shift)
    return notLayerNorm("no Mul by the weight and Add of the bias");
  auto channelConstant = [&](const onnx::NodeProto &node,
                             const std::string &from) -> const HostTensor * {
    auto it = values.find(otherInput(node, from));
    if (it == values.end() || !it->second.host || it->second.host->isInt ||
        it->second.host->shape.size() != 1)
      return nullptr;
    return &*it->second.host;
  };
  const HostTensor *weight = channelConstant(*scale, div->output(0));
  const HostTensor *bias = channelConstant(*shift, scale->output(0));
  if (!weight || !bias)
    return notLayerNorm("the weight and bias are not constant vectors");

  llvm::Expected<Value> input = tensor(mean, 0);
  if (!input)
    return input.takeError();
  Value w = blob(mean, otherInput(*scale, div->output(0)), "weight",
                 weight->shape, weight->floats);
  Value b = blob(mean, otherInput(*shift, scale->output(0)), "bias",
                 bias->shape, bias->floats);
  llvm::Expected<Value> y = inferred<cnn::LayerNormOp>(
      *shift, *input, w, b, llvm::APFloat(static_cast<double>(*epsilon)));
  if (!y)
    return y.takeError();
  define(*shift, *y, /*channelsLast=*/true);
  for (const onnx::NodeProto *taken :
       {sub, pow, variance, addEps, root, div, scale, shift})
    skip(taken);
  return llvm::Error::success();
}

llvm::Error Importer::decomposedGelu(const onnx::NodeProto &div) {
  auto notGelu = [&](const char *step) {
    return nodeError(div, llvm::Twine("is supported only as the start of an "
                                      "exact GELU (x / sqrt(2), Erf, + 1, "
                                      "* x, * 0.5); ") +
                              step);
  };
  const std::string &x = div.input(0);
  std::optional<float> root2 = scalar(div.input(1));
  if (!root2 || std::abs(*root2 - std::sqrt(2.0f)) > 1e-5f)
    return notGelu("it does not divide by sqrt(2)");
  const onnx::NodeProto *erf = soleConsumer(div.output(0), "Erf");
  const onnx::NodeProto *plusOne =
      erf ? soleConsumer(erf->output(0), "Add") : nullptr;
  if (!plusOne || scalar(otherInput(*plusOne, erf->output(0))) != 1.0f)
    return notGelu("no Erf and Add of 1 follow");
  const onnx::NodeProto *times = soleConsumer(plusOne->output(0), "Mul");
  if (!times || otherInput(*times, plusOne->output(0)) != x)
    return notGelu("the Erf term is not multiplied by x");
  const onnx::NodeProto *half = soleConsumer(times->output(0), "Mul");
  if (!half || scalar(otherInput(*half, times->output(0))) != 0.5f)
    return notGelu("no Mul by 0.5 ends it");
  llvm::Expected<Value> input = tensor(div, 0);
  if (!input)
    return input.takeError();
  define(*half,
         cnn::GeluOp::create(builder, loc, input->getType(), *input,
                             cnn::GeluApproximation::None),
         isChannelsLast(x));
  for (const onnx::NodeProto *taken : {erf, plusOne, times, half})
    skip(taken);
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
      uint64_t(1));
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
