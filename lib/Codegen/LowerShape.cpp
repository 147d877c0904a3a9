//===- LowerShape.cpp - Flatten, reshape, concat, slice, channel shuffle --===//
//
// Shape ops move no data in the model's view: each output element reads
// one input element, found from its NCHW linear index.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

llvm::Expected<OpResult> Lowerer::lowerReshape(Operation *op) {
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> nchw = nchwOf(vars);
  llvm::Expected<Tensor> in = get(op, op->getOperand(0));
  if (!in)
    return in.takeError();
  // Same elements in NCHW order: linear index out -> index in.
  Expr linear = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    linear = linear * int(shape[d]) + nchw[d];
  std::vector<Expr> index(in->shape.size());
  for (size_t d = in->shape.size(); d-- > 0;) {
    index[d] = linear % int(in->shape[d]);
    linear = linear / int(in->shape[d]);
  }
  Func f(uniqueName(op->getName().stripDialect()));
  f(vars) = in->func(toArgs(index));
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerConcat(ConcatOp concat) {
  Operation *op = concat;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  int64_t axis = static_cast<int64_t>(concat.getAxis());
  if (axis < 0)
    axis += shape.size();
  size_t pos = argPosition(shape.size(), axis);
  // One update per input, writing its range of the axis: a select over
  // the inputs would load every input for every element (Halide evaluates
  // all of a select's operands), k loads per element for k inputs, which
  // made DenseNet's concatenations half its time.
  Func f(uniqueName("concat"));
  f(vars) = Halide::undef<float>();
  int start = 0;
  for (Value input : concat.getInputs()) {
    llvm::Expected<Tensor> in = get(op, input);
    if (!in)
      return in.takeError();
    const int extent = static_cast<int>(in->shape[axis]);
    Halide::RDom r(0, extent, "slice");
    std::vector<Expr> from(vars.begin(), vars.end()), to = from;
    from[pos] = r.x;
    to[pos] = r.x + start;
    f(to) = in->func(from);
    start += extent;
  }
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerSlice(SliceOp slice) {
  Operation *op = slice;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  int64_t axis = static_cast<int64_t>(slice.getAxis());
  if (axis < 0)
    axis += shape.size();
  llvm::Expected<Tensor> in = get(op, slice.getInput());
  if (!in)
    return in.takeError();
  size_t pos = argPosition(shape.size(), axis);
  std::vector<Expr> args(vars.begin(), vars.end());
  // Clamped: schedules may round the output's channels up to whole
  // vectors, whose extra lanes must still read inside the input.
  args[pos] = Halide::clamp(args[pos] + int(slice.getStart()), 0,
                            int(in->shape[axis]) - 1);
  Func f(uniqueName("slice"));
  f(vars) = in->func(args);
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult>
Lowerer::lowerChannelShuffle(ChannelShuffleOp shuffle) {
  Operation *op = shuffle;
  llvm::Expected<Tensor> in = get(op, shuffle.getInput());
  if (!in)
    return in.takeError();
  const int groups = static_cast<int>(shuffle.getGroups());
  const int channels = static_cast<int>(in->shape[1]);
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  // Output channel i * groups + g reads input channel g * (C / groups) + i;
  // rounded-up channels read the last one.
  Expr o = Halide::min(c, channels - 1);
  Func f(uniqueName("channel_shuffle"));
  f(c, x, y, n) =
      in->func({(o % groups) * (channels / groups) + o / groups, x, y, n});
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult>
Lowerer::lowerDepthToSpace(DepthToSpaceOp depthToSpace) {
  Operation *op = depthToSpace;
  llvm::Expected<Tensor> in = get(op, depthToSpace.getInput());
  if (!in)
    return in.takeError();
  const int b = static_cast<int>(depthToSpace.getBlockSize());
  const int channels = static_cast<int>(in->shape[1]) / (b * b);
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  // Rounded-up channels read the last one.
  Expr o = Halide::min(c, channels - 1);
  Expr block = (y % b) * b + x % b;
  Expr from = depthToSpace.getMode() == "crd" ? o * (b * b) + block
                                              : block * channels + o;
  Func f(uniqueName("depth_to_space"));
  f(c, x, y, n) = in->func({from, x / b, y / b, n});
  return OpResult{Stage::Kind::Elementwise, f};
}

} // namespace cnnc::codegen
