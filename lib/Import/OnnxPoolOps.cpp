//===- OnnxPoolOps.cpp - MaxPool, AveragePool, global pools ---------------===//
//
// Pooling over H and W of NCHW tensors.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Error Importer::pool(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  if (shapeOf(*x).size() != 4)
    return nodeError(n, "CNNC pools 4-D (NCHW) tensors");
  llvm::Expected<Value> y = [&]() -> llvm::Expected<Value> {
    if (n.op_type() == "GlobalAveragePool")
      return inferred<cnn::AdaptiveAvgPool2DOp>(n, *x,
                                                llvm::ArrayRef<int64_t>{1, 1});
    if (n.op_type() == "GlobalMaxPool") {
      // One window over the whole map.
      const std::vector<int64_t> in = shapeOf(*x);
      return inferred<cnn::MaxPool2DOp>(
          n, *x, llvm::ArrayRef<int64_t>{in[2], in[3]},
          llvm::ArrayRef<int64_t>{1, 1}, llvm::ArrayRef<int64_t>{0, 0, 0, 0},
          llvm::ArrayRef<int64_t>{1, 1}, false);
    }
    std::vector<int64_t> kernel = ints(n, "kernel_shape", {});
    std::vector<int64_t> strides = ints(n, "strides", {1, 1});
    std::vector<int64_t> pads = ints(n, "pads", {0, 0, 0, 0});
    std::vector<int64_t> dilations = ints(n, "dilations", {1, 1});
    std::string autoPad = stringAttr(n, "auto_pad");
    if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4 ||
        dilations.size() != 2)
      return nodeError(n, "kernel_shape, strides, dilations and pads must be "
                          "2-D");
    if (!autoPad.empty() && autoPad != "NOTSET" && autoPad != "VALID")
      return nodeError(n, "auto_pad '" + autoPad + "' is not supported");
    if (n.output_size() > 1 && !n.output(1).empty())
      return nodeError(n, "the Indices output is not supported");
    const bool ceil = intAttr(n, "ceil_mode", 0) != 0;
    if (n.op_type() == "MaxPool")
      return inferred<cnn::MaxPool2DOp>(n, *x, kernel, strides, pads, dilations,
                                        ceil);
    // A Pad before it: its zeros count, as with count_include_pad.
    const bool prepadded = takePendingPads(n, 0, pads);
    if (dilations != std::vector<int64_t>{1, 1})
      return nodeError(n, "dilated average pooling is not supported");
    // ONNX's default is count_include_pad = 0; PyTorch writes it.
    return inferred<cnn::AvgPool2DOp>(
        n, *x, kernel, strides, pads, ceil,
        prepadded || intAttr(n, "count_include_pad", 0) != 0);
  }();
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::reduceMax(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  const std::vector<int64_t> in = shapeOf(*x);
  llvm::Expected<std::vector<int64_t>> reduced =
      reductionAxes(n, static_cast<int64_t>(in.size()));
  if (!reduced)
    return reduced.takeError();
  const std::vector<int64_t> &axes = *reduced;
  // x.amax((2, 3)): a max pool over the whole map, flattened without
  // keepdims; other axes a cnn.reduce_max.
  if (in.size() != 4 || axes != std::vector<int64_t>{2, 3} ||
      isChannelsLast(n.input(0)))
    return reduce(n);
  llvm::Expected<Value> y = inferred<cnn::MaxPool2DOp>(
      n, *x, llvm::ArrayRef<int64_t>{in[2], in[3]},
      llvm::ArrayRef<int64_t>{1, 1}, llvm::ArrayRef<int64_t>{0, 0, 0, 0},
      llvm::ArrayRef<int64_t>{1, 1}, false);
  if (y && intAttr(n, "keepdims", 1) == 0)
    y = inferred<cnn::FlattenOp>(n, *y, uint64_t(1), uint64_t(-1));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}
