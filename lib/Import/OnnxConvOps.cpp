//===- OnnxConvOps.cpp - Conv, BatchNormalization, Pad -------------------===//
//
// Convolutions and what folds into them: a Pad before a Conv (or an
// AveragePool) becomes its padding.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/QuantizeInt8.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

/// A Conv's or ConvTranspose's input, weight and bias (null without one).
llvm::Error Importer::convOperands(const onnx::NodeProto &n, Value &x, Value &w,
                                   Value &bias) {
  for (auto [i, value, role] :
       {std::tuple{0, &x, ""}, {1, &w, "weight"}, {2, &bias, "bias"}}) {
    if (i == 2 && !hasInput(n, 2))
      continue;
    llvm::Expected<Value> v = tensor(n, i, role);
    if (!v)
      return v.takeError();
    *value = *v;
  }
  return llvm::Error::success();
}

llvm::Error Importer::conv(const onnx::NodeProto &n) {
  Value x, w, bias;
  if (llvm::Error e = convOperands(n, x, w, bias))
    return e;
  std::vector<int64_t> wShape = shapeOf(w), xShape = shapeOf(x);
  if (wShape.size() != 4 || xShape.size() != 4)
    return nodeError(n, "CNNC compiles 2-D convolutions (4-D input and "
                        "weight); got input " +
                            shapeText(xShape) + ", weight " +
                            shapeText(wShape));
  std::vector<int64_t> strides = ints(n, "strides", {1, 1});
  std::vector<int64_t> dilations = ints(n, "dilations", {1, 1});
  std::vector<int64_t> pads = ints(n, "pads", {0, 0, 0, 0});
  const int64_t group = intAttr(n, "group", 1);
  std::string autoPad = stringAttr(n, "auto_pad");
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
    return nodeError(n, "strides, dilations and pads must be 2-D");
  takePendingPads(n, 0, pads);
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    // Output = ceil(input / stride); the total padding split, the odd
    // pixel at the end (UPPER) or the beginning (LOWER).
    for (int d = 0; d < 2; ++d) {
      int64_t in = xShape[2 + d], k = (wShape[2 + d] - 1) * dilations[d] + 1;
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total = std::max<int64_t>(0, (out - 1) * strides[d] + k - in);
      int64_t small = total / 2, large = total - small;
      pads[d] = autoPad == "SAME_UPPER" ? small : large;
      pads[d + 2] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (!autoPad.empty() && autoPad != "NOTSET" && autoPad != "VALID") {
    return nodeError(n, "auto_pad '" + autoPad + "' is not supported");
  }
  llvm::Expected<Value> y = inferred<cnn::Conv2DOp>(
      n, x, w, bias, strides, pads, dilations, static_cast<uint64_t>(group),
      /*padding_values=*/mlir::DenseF32ArrayAttr());
  if (!y)
    return y.takeError();
  // Int8 weights of a QDQ model: their scales, one per output channel.
  const std::vector<float> &scales = values[n.input(1)].weightScales;
  if (!scales.empty()) {
    std::vector<float> perChannel(scales);
    if (perChannel.size() == 1)
      perChannel.assign(wShape[0], scales[0]);
    y->getDefiningOp()->setAttr(kWeightScalesAttr,
                                builder.getDenseF32ArrayAttr(perChannel));
  }
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::convTranspose(const onnx::NodeProto &n) {
  Value x, w, bias;
  if (llvm::Error e = convOperands(n, x, w, bias))
    return e;
  std::vector<int64_t> wShape = shapeOf(w), xShape = shapeOf(x);
  if (wShape.size() != 4 || xShape.size() != 4)
    return nodeError(n, "CNNC compiles 2-D transposed convolutions (4-D "
                        "input and weight)");
  std::vector<int64_t> strides = ints(n, "strides", {1, 1});
  std::vector<int64_t> dilations = ints(n, "dilations", {1, 1});
  std::vector<int64_t> pads = ints(n, "pads", {0, 0, 0, 0});
  std::vector<int64_t> extra = ints(n, "output_padding", {0, 0});
  const int64_t group = intAttr(n, "group", 1);
  std::string autoPad = stringAttr(n, "auto_pad");
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4 ||
      extra.size() != 2)
    return nodeError(n, "strides, dilations, pads and output_padding must "
                        "be 2-D");
  if (!autoPad.empty() && autoPad != "NOTSET")
    return nodeError(n, "auto_pad '" + autoPad + "' is not supported");
  if (attribute(n, "output_shape"))
    return nodeError(n, "output_shape is not supported (give pads)");
  llvm::Expected<Value> y =
      inferred<cnn::ConvTranspose2DOp>(n, x, w, bias, strides, pads, dilations,
                                       extra, static_cast<uint64_t>(group));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::batchNorm(const onnx::NodeProto &n) {
  if (intAttr(n, "training_mode", 0) != 0 ||
      (n.output_size() > 1 && !n.output(1).empty()))
    return nodeError(n, "training mode is not supported (export the model "
                        "in eval mode)");
  llvm::SmallVector<Value, 5> operands;
  const char *roles[] = {"", "weight", "bias", "running_mean", "running_var"};
  for (int i = 0; i < 5; ++i) {
    llvm::Expected<Value> v = tensor(n, i, roles[i]);
    if (!v)
      return v.takeError();
    operands.push_back(*v);
  }
  llvm::Expected<Value> y = inferred<cnn::BatchNormOp>(
      n, operands[0], operands[1], operands[2], operands[3], operands[4],
      llvm::APFloat(static_cast<double>(floatAttr(n, "epsilon", 1e-5f))));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::pad(const onnx::NodeProto &n) {
  // PyTorch writes Pad before average pools that count padding (and for
  // F.pad before a conv): zero padding of H and W, which the conv or pool
  // reading it applies itself. Reflection, replication and constant
  // padding otherwise (nn.ReflectionPad2d ...) is cnn.pad.
  std::vector<int64_t> pads = ints(n, "pads", {});
  if (opset >= 11) {
    const HostTensor *p = constant(n, 1);
    if (!p || !p->isInt)
      return nodeError(n, "the pads must be a constant");
    pads = p->ints;
  }
  if (hasInput(n, 3)) // opset 18's axes
    return nodeError(n, "axes is not supported (pads for every dimension "
                        "are)");
  std::string mode = stringAttr(n, "mode");
  if (mode.empty())
    mode = "constant";
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return nodeError(n, "mode '" + mode +
                            "' is not supported (constant, "
                            "reflect and edge are)");
  std::optional<float> value =
      opset >= 11 ? (hasInput(n, 2) ? scalar(n.input(2)) : 0.0f)
                  : floatAttr(n, "value", 0.0f);
  if (!value)
    return nodeError(n, "its value must be a constant scalar");
  auto it = values.find(n.input(0));
  if (it == values.end() || !it->second.value)
    return nodeError(n, "input '" + n.input(0) + "' is not an activation");
  Entry padded = it->second;
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; })) {
    values[n.output(0)] = padded;
    return llvm::Error::success();
  }
  // [N, C, H, W] begins, then ends: only H and W, never negative.
  if (pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5] ||
      llvm::any_of(pads, [](int64_t p) { return p < 0; }) ||
      !padded.pendingPads.empty() || padded.channelsLast)
    return nodeError(n, "only non-negative padding of H and W (4-D NCHW) is "
                        "supported");
  // Zero padding that one Conv, or one AveragePool without padding of its
  // own, reads is that op's padding; other padding is a cnn.pad stage.
  const onnx::NodeProto *reader = nullptr;
  if (mode == "constant" && *value == 0.0f) {
    reader = soleConsumer(n.output(0), "Conv");
    if (!reader) {
      reader = soleConsumer(n.output(0), "AveragePool");
      if (reader && llvm::any_of(ints(*reader, "pads", {0, 0, 0, 0}),
                                 [](int64_t p) { return p != 0; }))
        reader = nullptr;
    }
  }
  if (!reader) {
    llvm::Expected<Value> y = inferred<cnn::PadOp>(
        n, padded.value,
        llvm::ArrayRef<int64_t>{pads[2], pads[3], pads[6], pads[7]},
        llvm::StringRef(mode), llvm::APFloat(static_cast<double>(*value)));
    if (!y)
      return y.takeError();
    define(n, *y);
    return llvm::Error::success();
  }
  padded.pendingPads = {pads[2], pads[3], pads[6], pads[7]};
  values[n.output(0)] = padded;
  return llvm::Error::success();
}
