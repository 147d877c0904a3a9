//===- OnnxGatherOps.cpp - Gather of an activation by constant indices ---===//
//
// `x[:, [3, 0]]` and `x[:, 2]` as PyTorch exports them: Gather along one
// axis by constant indices is a slice per index, concatenated; a scalar
// index drops the axis (a reshape). Gathers of constants (shape
// arithmetic) stay on the host.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Error Importer::gather(const onnx::NodeProto &n) {
  if (constant(n, 0))
    return hostOp(n);
  const HostTensor *indices = constant(n, 1);
  if (!indices || !indices->isInt || indices->shape.size() > 1)
    return nodeError(n, "gathers from an activation only by a constant "
                        "scalar or 1-D list of indices");
  if (indices->ints.empty() || indices->ints.size() > 4096)
    return nodeError(n, "gathers " + llvm::Twine(indices->ints.size()) +
                            " indices (1 to 4096 are supported)");
  if (isChannelsLast(n.input(0)))
    return nodeError(n, "gathers from a channels-last (NHWC) tensor");
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> shape = shapeOf(*x);
  llvm::Expected<int64_t> found =
      axisAttr(n, static_cast<int64_t>(shape.size()), 0);
  if (!found)
    return found.takeError();
  const int64_t axis = *found;
  llvm::SmallVector<Value> parts;
  for (int64_t i : indices->ints) {
    if (i < -shape[axis] || i >= shape[axis])
      return nodeError(n, "index " + llvm::Twine(i) + " is out of range for " +
                              llvm::Twine(shape[axis]));
    const uint64_t at = static_cast<uint64_t>(i < 0 ? i + shape[axis] : i);
    llvm::Expected<Value> part =
        inferred<cnn::SliceOp>(n, *x, static_cast<uint64_t>(axis), at, at + 1);
    if (!part)
      return part.takeError();
    parts.push_back(*part);
  }
  Value y = parts.front();
  if (parts.size() > 1) {
    llvm::Expected<Value> joined =
        inferred<cnn::ConcatOp>(n, ValueRange(parts), axis);
    if (!joined)
      return joined.takeError();
    y = *joined;
  }
  if (!indices->shape.empty()) {
    define(n, y);
    return llvm::Error::success();
  }
  // A scalar index: the axis goes.
  shape.erase(shape.begin() + axis);
  return reshapeTo(n, y, shape);
}
