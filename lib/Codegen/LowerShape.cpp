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

llvm::Expected<OpResult> Lowerer::lowerTranspose(TransposeOp transpose) {
  Operation *op = transpose;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> nchw = nchwOf(vars);
  llvm::Expected<Tensor> in = get(op, transpose.getInput());
  if (!in)
    return in.takeError();
  // Coordinates past the output's (a consumer's rounded-up tiles) read
  // the input's last element along that dimension.
  std::vector<Expr> index(shape.size());
  for (size_t d = 0; d < shape.size(); ++d)
    index[transpose.getPerm()[d]] = Halide::min(nchw[d], int(shape[d]) - 1);
  Func f(uniqueName("transpose"));
  f(vars) = in->func(toArgs(index));
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerExpand(ExpandOp expand) {
  Operation *op = expand;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> nchw = nchwOf(vars);
  llvm::Expected<Tensor> in = get(op, expand.getInput());
  if (!in)
    return in.takeError();
  Func f(uniqueName("expand"));
  f(vars) = broadcastRead(*in, nchw);
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerPad(PadOp pad) {
  Operation *op = pad;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> nchw = nchwOf(vars);
  llvm::Expected<Tensor> in = get(op, pad.getInput());
  if (!in)
    return in.takeError();
  llvm::StringRef mode = pad.getMode();
  std::vector<Expr> index = nchw;
  Expr inside = Halide::Internal::const_true();
  for (int d = 0; d < 2; ++d) {
    const int size = static_cast<int>(in->shape[2 + d]);
    Expr at = nchw[2 + d] - static_cast<int>(pad.getPadding()[d]);
    if (mode == "reflect") // mirrored about the edge, the edge once
      at = Halide::select(at < 0, -at,
                          Halide::select(at >= size, 2 * (size - 1) - at, at));
    else if (mode == "constant")
      inside = inside && at >= 0 && at < size;
    // Clamped also where reflected: a consumer's rounded-up tiles ask for
    // coordinates past the output.
    index[2 + d] = Halide::clamp(at, 0, size - 1);
  }
  Expr value = in->func(toArgs(index));
  if (mode == "constant")
    value = Halide::select(
        inside, value,
        Expr(static_cast<float>(pad.getValue().convertToDouble())));
  Func f(uniqueName("pad"));
  f(vars) = value;
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
  const int perGroup = channels / groups;
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  Halide::Var group("shuffle_group"), i("shuffle_index");
  // Output channel i * groups + g reads input channel g * (C / groups) + i,
  // through `parts`, whose storage (group innermost) is the output's
  // channel order. Rounded-up channels read the last of their group.
  Func parts(uniqueName("shuffle_parts"));
  parts(group, i, x, y, n) =
      in->func({group * perGroup + Halide::min(i, perGroup - 1), x, y, n});
  Func f(uniqueName("channel_shuffle"));
  f(c, x, y, n) = parts(c % groups, c / groups, x, y, n);
  currentStage->channelInterleaves.push_back(parts);
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
  // Rows and columns past the output's (a consumer's rounded-up tiles)
  // read the last input row and column.
  Expr inX = Halide::min(x / b, static_cast<int>(in->shape[3]) - 1);
  Expr inY = Halide::min(y / b, static_cast<int>(in->shape[2]) - 1);
  Func f(uniqueName("depth_to_space"));
  f(c, x, y, n) = in->func({from, inX, inY, n});
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult>
Lowerer::lowerSpaceToDepth(SpaceToDepthOp spaceToDepth) {
  Operation *op = spaceToDepth;
  llvm::Expected<Tensor> in = get(op, spaceToDepth.getInput());
  if (!in)
    return in.takeError();
  const int b = static_cast<int>(spaceToDepth.getBlockSize());
  const int channels = static_cast<int>(in->shape[1]);
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  // Rounded-up channels read the last one.
  Expr o = Halide::min(c, channels * b * b - 1);
  bool crd = spaceToDepth.getMode() == "crd";
  Expr from = crd ? o / (b * b) : o % channels;
  Expr block = crd ? o % (b * b) : o / channels;
  // Rows and columns past the output's (a consumer's rounded-up tiles)
  // read the last input row and column.
  Expr inX = Halide::min(x * b + block % b, static_cast<int>(in->shape[3]) - 1);
  Expr inY = Halide::min(y * b + block / b, static_cast<int>(in->shape[2]) - 1);
  Func f(uniqueName("space_to_depth"));
  f(c, x, y, n) = in->func({from, inX, inY, n});
  return OpResult{Stage::Kind::Elementwise, f};
}

/// The input coordinate (float) output coordinate `o` reads along an axis
/// of `in` resized to `out` by `scale` (reference::resizeSource, in
/// float). Divisions, not products with reciprocals: an output that maps
/// exactly onto an input pixel must not round to just below it.
static Expr resizeSource(Expr o, int64_t in, int64_t out, double scale,
                         llvm::StringRef coordinates) {
  Expr x = Halide::cast<float>(o);
  if (coordinates == "align_corners")
    return out > 1 ? x * float(in - 1) / float(out - 1) : Expr(0.0f);
  if (coordinates == "asymmetric")
    return x / float(scale);
  if (coordinates == "pytorch_half_pixel" && out == 1)
    return Expr(0.0f);
  return (x + 0.5f) / float(scale) - 0.5f;
}

llvm::Expected<OpResult> Lowerer::lowerResize(ResizeOp resize) {
  Operation *op = resize;
  llvm::Expected<Tensor> in = get(op, resize.getInput());
  if (!in)
    return in.takeError();
  std::vector<int64_t> out = shapeOf(op->getResult(0));
  const int h = static_cast<int>(in->shape[2]),
            w = static_cast<int>(in->shape[3]);
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  Expr sy = resizeSource(y, h, out[2], resize.getScaleH().convertToDouble(),
                         resize.getCoordinates());
  Expr sx = resizeSource(x, w, out[3], resize.getScaleW().convertToDouble(),
                         resize.getCoordinates());
  Func f(uniqueName("resize"));
  if (resize.getMode() == "nearest") {
    llvm::StringRef mode = resize.getNearest();
    auto round = [&](Expr s, int size) {
      Expr r = mode == "floor"               ? Halide::floor(s)
               : mode == "ceil"              ? Halide::ceil(s)
               : mode == "round_prefer_ceil" ? Halide::floor(s + 0.5f)
                                             : Halide::ceil(s - 0.5f);
      return Halide::clamp(Halide::cast<int>(r), 0, size - 1);
    };
    f(c, x, y, n) = in->func({c, round(sx, w), round(sy, h), n});
    return OpResult{Stage::Kind::Elementwise, f};
  }
  // Bilinear: the two neighbours on each axis, clamped to the edge.
  Expr fy = Halide::floor(sy), fx = Halide::floor(sx);
  Expr ly = sy - fy, lx = sx - fx;
  Expr y0 = Halide::cast<int>(fy), x0 = Halide::cast<int>(fx);
  auto at = [&](Expr yy, Expr xx) {
    return in->func(
        {c, Halide::clamp(xx, 0, w - 1), Halide::clamp(yy, 0, h - 1), n});
  };
  f(c, x, y, n) =
      (1.0f - ly) * ((1.0f - lx) * at(y0, x0) + lx * at(y0, x0 + 1)) +
      ly * ((1.0f - lx) * at(y0 + 1, x0) + lx * at(y0 + 1, x0 + 1));
  return OpResult{Stage::Kind::Elementwise, f};
}

} // namespace cnnc::codegen
