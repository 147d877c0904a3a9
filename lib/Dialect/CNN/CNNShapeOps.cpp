//===- CNNShapeOps.cpp - Type inference of the shape ops ------------------===//
//
// flatten, reshape, concat, slice, channel_shuffle, depth_to_space,
// space_to_depth and transpose: their checks and result types.
//
//===----------------------------------------------------------------------===//

#include "InferSupport.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include "mlir/Dialect/Utils/IndexingUtils.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

//===----------------------------------------------------------------------===//
// flatten, reshape, concat
//===----------------------------------------------------------------------===//

FailureOr<Type> FlattenOp::inferResultType(Adaptor op, EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(op.getInput(), "input", -1, emitError);
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  int64_t start = normalizeDim(static_cast<int64_t>(op.getStartDim()), rank);
  int64_t end = normalizeDim(static_cast<int64_t>(op.getEndDim()), rank);
  if (start < 0 || end < 0 || start > end)
    return emitError() << "start_dim " << static_cast<int64_t>(op.getStartDim())
                       << " and end_dim "
                       << static_cast<int64_t>(op.getEndDim())
                       << " do not name a range of the dimensions of input "
                       << *input;
  SmallVector<int64_t> shape(input->getShape().take_front(start));
  int64_t merged = 1;
  for (int64_t d = start; d <= end; ++d)
    merged *= input->getDimSize(d);
  shape.push_back(merged);
  llvm::append_range(shape, input->getShape().drop_front(end + 1));
  return Type(tensorOf(shape, input->getElementType()));
}

LogicalResult ReshapeOp::verify() {
  auto in = llvm::cast<RankedTensorType>(getInput().getType());
  auto out = llvm::cast<RankedTensorType>(getType());
  if (in.getNumElements() != out.getNumElements())
    return emitOpError() << "cannot reshape " << in << " ("
                         << in.getNumElements() << " elements) to " << out
                         << " (" << out.getNumElements() << " elements)";
  return success();
}

LogicalResult ExpandOp::verify() {
  auto in = llvm::cast<RankedTensorType>(getInput().getType());
  auto out = llvm::cast<RankedTensorType>(getType());
  const int64_t offset = out.getRank() - in.getRank();
  bool broadcasts = offset >= 0;
  for (int64_t d = 0; broadcasts && d < in.getRank(); ++d)
    broadcasts =
        in.getDimSize(d) == 1 || in.getDimSize(d) == out.getDimSize(d + offset);
  if (!broadcasts)
    return emitOpError() << in << " does not broadcast to " << out;
  return success();
}

LogicalResult ResizeOp::verify() {
  auto in = llvm::cast<RankedTensorType>(getInput().getType());
  auto out = llvm::cast<RankedTensorType>(getType());
  if (in.getDimSize(0) != out.getDimSize(0) ||
      in.getDimSize(1) != out.getDimSize(1))
    return emitOpError() << "resizes only H and W: " << in << " to " << out;
  if (!(getScaleH().convertToDouble() > 0) ||
      !(getScaleW().convertToDouble() > 0))
    return emitOpError() << "scales must be positive";
  if (getMode() != "nearest" && getMode() != "linear")
    return emitOpError() << "mode must be \"nearest\" or \"linear\", not \""
                         << getMode() << "\"";
  if (!llvm::is_contained(
          {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"},
          getCoordinates()))
    return emitOpError() << "coordinates must be half_pixel, "
                            "pytorch_half_pixel, align_corners or "
                            "asymmetric, not \""
                         << getCoordinates() << "\"";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          getNearest()))
    return emitOpError() << "nearest must be round_prefer_floor, "
                            "round_prefer_ceil, floor or ceil, not \""
                         << getNearest() << "\"";
  return success();
}

FailureOr<Type> ConcatOp::inferResultType(Adaptor op, EmitErrorFn emitError) {
  ValueRange inputs = op.getInputs();
  if (inputs.empty())
    return emitError() << "needs at least one input";
  FailureOr<RankedTensorType> first =
      rankedOperand(inputs[0], "input #0", -1, emitError);
  if (failed(first))
    return failure();
  int64_t rank = first->getRank();
  int64_t axis = normalizeDim(static_cast<int64_t>(op.getAxis()), rank);
  if (axis < 0)
    return emitError() << "axis " << static_cast<int64_t>(op.getAxis())
                       << " is out of range for input #0 " << *first;
  SmallVector<int64_t> shape(first->getShape());
  for (auto [index, value] : llvm::enumerate(inputs.drop_front())) {
    std::string name = "input #" + std::to_string(index + 1);
    FailureOr<RankedTensorType> type =
        rankedOperand(value, name, rank, emitError);
    if (failed(type))
      return failure();
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && type->getDimSize(d) != shape[d])
        return emitError() << name << " " << *type << " differs from input #0 "
                           << *first << " outside axis " << axis;
    shape[axis] += type->getDimSize(axis);
  }
  return Type(tensorOf(shape, first->getElementType()));
}

FailureOr<Type> SliceOp::inferResultType(Adaptor op, EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(op.getInput(), "input", -1, emitError);
  if (failed(input))
    return failure();
  int64_t axis =
      normalizeDim(static_cast<int64_t>(op.getAxis()), input->getRank());
  if (axis < 0)
    return emitError() << "axis " << static_cast<int64_t>(op.getAxis())
                       << " is out of range for input " << *input;
  int64_t start = static_cast<int64_t>(op.getStart());
  int64_t end = static_cast<int64_t>(op.getEnd());
  if (start < 0 || end <= start || end > input->getDimSize(axis))
    return emitError() << "slice [" << start << ", " << end
                       << ") is not a non-empty part of axis " << axis
                       << " of input " << *input;
  SmallVector<int64_t> shape(input->getShape());
  shape[axis] = end - start;
  return Type(tensorOf(shape, input->getElementType()));
}

FailureOr<Type> ChannelShuffleOp::inferResultType(Adaptor op,
                                                  EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(op.getInput(), "input", 4, emitError);
  if (failed(input))
    return failure();
  int64_t groups = static_cast<int64_t>(op.getGroups());
  if (groups < 1 || input->getDimSize(1) % groups != 0)
    return emitError() << "groups " << groups << " must divide the "
                       << input->getDimSize(1) << " channels of input "
                       << *input;
  return Type(*input);
}

/// depth_to_space's and space_to_depth's input, an NCHW tensor, once
/// their mode is known.
static FailureOr<RankedTensorType>
blockRearrangeInput(Value input, StringRef mode, EmitErrorFn emitError) {
  if (mode != "dcr" && mode != "crd")
    return emitError() << "mode must be \"dcr\" or \"crd\", not \"" << mode
                       << "\"";
  return rankedOperand(input, "input", 4, emitError);
}

FailureOr<Type> PadOp::inferResultType(Adaptor op, EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(op.getInput(), "input", 4, emitError);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> pad = op.getPadding();
  StringRef mode = op.getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitError() << "mode must be constant, reflect or edge, not \""
                       << mode << "\"";
  const int64_t h = input->getDimSize(2), w = input->getDimSize(3);
  if (llvm::any_of(pad, [](int64_t p) { return p < 0 || p > (1 << 20); }))
    return emitError() << "padding [" << pad
                       << "] must be non-negative and at most 2^20";
  if (mode == "reflect" &&
      (pad[0] >= h || pad[2] >= h || pad[1] >= w || pad[3] >= w))
    return emitError() << "reflect padding [" << pad
                       << "] must be less than the map of input " << *input;
  return Type(tensorOf({input->getDimSize(0), input->getDimSize(1),
                        h + pad[0] + pad[2], w + pad[1] + pad[3]},
                       input->getElementType()));
}

FailureOr<Type> DepthToSpaceOp::inferResultType(Adaptor op,
                                                EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      blockRearrangeInput(op.getInput(), op.getMode(), emitError);
  if (failed(input))
    return failure();
  const int64_t b = static_cast<int64_t>(op.getBlockSize());
  if (b < 1 || b > 64 || input->getDimSize(1) % (b * b) != 0)
    return emitError() << "block_size " << b
                       << " (1 to 64) squared must divide the "
                       << input->getDimSize(1) << " channels of input "
                       << *input;
  if (input->getDimSize(2) > (int64_t(1) << 40) ||
      input->getDimSize(3) > (int64_t(1) << 40))
    return emitError() << "input " << *input << " is too large to resize";
  SmallVector<int64_t> shape(input->getShape());
  shape[1] /= b * b;
  shape[2] *= b;
  shape[3] *= b;
  return Type(tensorOf(shape, input->getElementType()));
}

FailureOr<Type> SpaceToDepthOp::inferResultType(Adaptor op,
                                                EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      blockRearrangeInput(op.getInput(), op.getMode(), emitError);
  if (failed(input))
    return failure();
  const int64_t b = static_cast<int64_t>(op.getBlockSize());
  if (b < 1 || b > 64 || input->getDimSize(2) % b != 0 ||
      input->getDimSize(3) % b != 0)
    return emitError() << "block_size " << b
                       << " (1 to 64) must divide the height and width of "
                          "input "
                       << *input;
  if (input->getDimSize(1) > (int64_t(1) << 40))
    return emitError() << "input " << *input << " has too many channels";
  SmallVector<int64_t> shape(input->getShape());
  shape[1] *= b * b;
  shape[2] /= b;
  shape[3] /= b;
  return Type(tensorOf(shape, input->getElementType()));
}

FailureOr<Type> TransposeOp::inferResultType(Adaptor op,
                                             EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(op.getInput(), "input", -1, emitError);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> perm = op.getPerm();
  if (static_cast<int64_t>(perm.size()) != input->getRank() ||
      !isPermutationVector(perm))
    return emitError() << "perm [" << perm
                       << "] is not a permutation of the dimensions of input "
                       << *input;
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(input->getDimSize(p));
  return Type(tensorOf(shape, input->getElementType()));
}

FailureOr<Type> cnn::detail::inferReduced(Value inputValue,
                                          ArrayRef<int64_t> axes, bool keepdim,
                                          EmitErrorFn emitError,
                                          bool singleAxis) {
  FailureOr<RankedTensorType> input =
      rankedOperand(inputValue, "input", -1, emitError);
  if (failed(input))
    return failure();
  if (axes.empty())
    return emitError() << "needs at least one axis";
  if (singleAxis && axes.size() != 1)
    return emitError() << "takes one axis, not " << axes.size();
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] < 0 || axes[i] >= input->getRank() ||
        (i > 0 && axes[i] <= axes[i - 1]))
      return emitError() << "axes must be ascending dimensions of " << *input;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < input->getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(input->getDimSize(d));
    else if (keepdim)
      shape.push_back(1);
  }
  return Type(tensorOf(shape, input->getElementType()));
}
