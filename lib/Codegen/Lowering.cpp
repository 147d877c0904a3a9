//===- Lowering.cpp - cnn IR to Halide pipelines, one per stage -----------===//
//
// The Lowerer's core: the model's entry and exit, values, weights as
// pipeline parameters, stages (each its own pipeline) and fused groups, and the
// dispatch of each op to its family's file (Lowerer.h). Weights are read once
// from the bound constants and repacked with output channels innermost, padded
// with zeros to a multiple of `kChannelPad` so that schedules may round channel
// loops up to whole register tiles without reading past a buffer.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "WeightPacking.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Shapes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;
using namespace cnnc::codegen;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

std::vector<int64_t> shapeOf(Value value) {
  ArrayRef<int64_t> s =
      llvm::cast<RankedTensorType>(value.getType()).getShape();
  return {s.begin(), s.end()};
}

size_t argPosition(size_t rank, size_t dim) {
  if (rank == 4) {
    static const size_t positions[] = {3, 0, 2, 1};
    return positions[dim];
  }
  return rank - 1 - dim;
}

std::vector<Expr> toArgs(const std::vector<Expr> &nchw) {
  std::vector<Expr> args(nchw.size());
  for (size_t d = 0; d < nchw.size(); ++d)
    args[argPosition(nchw.size(), d)] = nchw[d];
  return args;
}

llvm::Error errorAt(Operation *op, const Twine &message) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getLoc() << ": '" << op->getName() << "' " << message;
  return llvm::createStringError(llvm::inconvertibleErrorCode(), os.str());
}

std::vector<Halide::Var> Lowerer::argVars(size_t rank) const {
  if (rank == 4)
    return {v.c, v.x, v.y, v.n};
  if (rank == 2)
    return {v.k, v.n};
  std::vector<Halide::Var> vars;
  for (size_t i = 0; i < rank; ++i)
    vars.push_back(Halide::Var("d" + std::to_string(i)));
  return vars;
}

std::vector<Expr> Lowerer::nchwOf(const std::vector<Halide::Var> &args) const {
  std::vector<Expr> nchw(args.size());
  for (size_t d = 0; d < args.size(); ++d)
    nchw[d] = args[argPosition(args.size(), d)];
  return nchw;
}

llvm::Expected<Tensor> Lowerer::get(Operation *user, Value value) {
  auto it = values.find(value);
  if (it != values.end()) {
    Tensor t = it->second;
    if (t.activation >= 0 && currentStage &&
        !llvm::is_contained(currentStage->inputs, t.activation))
      currentStage->inputs.push_back(t.activation);
    return t;
  }
  if (auto constantOp = value.getDefiningOp<ConstantOp>()) {
    // A constant used as data (not as a weight): a buffer in our layout.
    std::optional<std::vector<float>> data = constantValues(value);
    if (!data)
      return errorAt(constantOp, "holds data code generation cannot read");
    std::vector<int64_t> shape = shapeOf(value);
    std::vector<int> extents(shape.size());
    for (size_t d = 0; d < shape.size(); ++d)
      extents[argPosition(shape.size(), d)] = static_cast<int>(shape[d]);
    Halide::Buffer<float> buffer(extents);
    std::vector<int> pos(shape.size(), 0);
    for (size_t i = 0; i < data->size(); ++i) {
      // i is the NCHW linear index; pos its multi-index.
      size_t rest = i;
      std::vector<int> index(shape.size());
      for (size_t d = shape.size(); d-- > 0;) {
        index[argPosition(shape.size(), d)] = static_cast<int>(rest % shape[d]);
        rest /= shape[d];
      }
      buffer(index.data()) = (*data)[i];
    }
    // Stages are vectorized over channels and may compute lanes past the
    // last channel (never stored); clamping keeps their reads in bounds.
    Halide::Region bounds;
    for (int extent : extents)
      bounds.push_back(Halide::Range(0, extent));
    Func clamped = Halide::BoundaryConditions::repeat_edge(
        param(buffer, "constant"), bounds);
    Func f(uniqueName("constant"));
    std::vector<Halide::Var> vars = argVars(shape.size());
    std::vector<Expr> args(vars.begin(), vars.end());
    f(vars) = clamped(args);
    // Not remembered: each stage that reads it gets its own parameter.
    return Tensor{f, shape};
  }
  if (value.getDefiningOp<WeightOp>())
    return errorAt(user, "reads an unbound weight: bind weights first");
  return errorAt(user, "reads a value code generation did not produce");
}

/// The region `t` is defined on, in its Func's argument order; with
/// `spatialOnly`, rows and columns only (undefined ranges are unbounded).
static Halide::Region regionOf(const Tensor &t, bool spatialOnly) {
  Halide::Region bounds(t.shape.size());
  for (size_t d = 0; d < t.shape.size(); ++d)
    if (!spatialOnly || t.shape.size() != 4 || d >= 2)
      bounds[argPosition(t.shape.size(), d)] =
          Halide::Range(0, static_cast<int>(t.shape[d]));
  return bounds;
}

Func Lowerer::zeroPadded(const Tensor &t, Expr value, bool spatialOnly) {
  return Halide::BoundaryConditions::constant_exterior(
      t.func, value, regionOf(t, spatialOnly));
}

Func Lowerer::paddedPerChannel(const Tensor &t, Func values, bool spatialOnly) {
  Func clamped =
      Halide::BoundaryConditions::repeat_edge(t.func, regionOf(t, spatialOnly));
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  Expr inside = x >= 0 && x < static_cast<int>(t.shape[3]) && y >= 0 &&
                y < static_cast<int>(t.shape[2]);
  Func padded(uniqueName("padded"));
  padded(c, x, y, n) = Halide::select(inside, clamped(c, x, y, n), values(c));
  return padded;
}

llvm::Expected<std::vector<float>> Lowerer::constant(Operation *user,
                                                     Value value) {
  std::optional<std::vector<float>> data = constantValues(value);
  if (!data)
    return errorAt(user, "needs constant weights: bind weights first");
  return std::move(*data);
}

llvm::Expected<Func> Lowerer::biasOf(Operation *op, Value bias,
                                     int64_t channels) {
  std::vector<float> values(channels, 0.0f);
  if (bias) {
    llvm::Expected<std::vector<float>> b = constant(op, bias);
    if (!b)
      return b.takeError();
    values = std::move(*b);
  }
  return perChannel(values, "bias");
}

Func Lowerer::perChannel(const std::vector<float> &values, StringRef name) {
  return param(packPerChannel(values), name);
}

Func Lowerer::param(Halide::Buffer<> buffer, StringRef name) {
  return Func(weightParam(std::move(buffer), name));
}

Halide::ImageParam Lowerer::weightParam(Halide::Buffer<> buffer,
                                        StringRef name) {
  Halide::ImageParam p(buffer.type(), buffer.dimensions(), uniqueName(name));
  int stride = 1;
  for (int d = 0; d < buffer.dimensions(); ++d) {
    p.dim(d).set_bounds(0, buffer.dim(d).extent()).set_stride(stride);
    stride *= buffer.dim(d).extent();
  }
  p.set_host_alignment(kWeightAlignment);
  currentStage->weights.push_back(static_cast<int>(model.weights.size()));
  model.weights.push_back({p, buffer});
  return p;
}

llvm::Error Lowerer::lower(Operation *op) {
  if (llvm::isa<WeightOp, ConstantOp, ReshapeOp>(op) &&
      !llvm::any_of(op->getOperands(),
                    [&](Value operand) { return values.count(operand); }))
    return llvm::Error::success(); // parameters: read where used
  if (auto group = llvm::dyn_cast<GroupOp>(op))
    return lowerGroup(group);

  // A lone op is a stage of its own; inside a group it adds to the group's.
  bool topLevel = currentStage == nullptr;
  Stage local;
  if (topLevel)
    currentStage = &local;
  llvm::Expected<OpResult> lowered =
      llvm::TypeSwitch<Operation *, llvm::Expected<OpResult>>(op)
          .Case([&](Conv2DOp o) { return lowerConv(o); })
          .Case([&](BatchNormOp o) { return lowerBatchNorm(o); })
          .Case([&](LayerNormOp o) { return lowerLayerNorm(o); })
          .Case([&](GroupNormOp o) { return lowerGroupNorm(o); })
          .Case([&](MaxPool2DOp o) { return lowerMaxPool(o); })
          .Case([&](AvgPool2DOp o) { return lowerAvgPool(o); })
          .Case([&](AdaptiveAvgPool2DOp o) { return lowerAdaptiveAvgPool(o); })
          .Case([&](ActivationOpInterface o) { return lowerActivation(o); })
          .Case<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PreluOp, GreaterOp,
                GreaterEqualOp, LessOp, LessEqualOp, EqualOp>(
              [&](Operation *o) { return lowerBinary(o); })
          .Case([&](SelectOp o) { return lowerSelect(o); })
          .Case<ReduceMeanOp, ReduceSumOp, ReduceMaxOp, ReduceMinOp, ReduceL1Op,
                ReduceL2Op, ReduceSumSquareOp, ArgMaxOp, ArgMinOp>([&](auto o) {
            return lowerReduce(o, o.getAxes(), o.getKeepdim(), o.kReduction);
          })
          .Case<FlattenOp, ReshapeOp>(
              [&](Operation *o) { return lowerReshape(o); })
          .Case([&](ConcatOp o) { return lowerConcat(o); })
          .Case([&](ExpandOp o) { return lowerExpand(o); })
          .Case([&](PadOp o) { return lowerPad(o); })
          .Case([&](SliceOp o) { return lowerSlice(o); })
          .Case([&](ChannelShuffleOp o) { return lowerChannelShuffle(o); })
          .Case([&](DepthToSpaceOp o) { return lowerDepthToSpace(o); })
          .Case([&](SpaceToDepthOp o) { return lowerSpaceToDepth(o); })
          .Case([&](TransposeOp o) { return lowerTranspose(o); })
          .Case([&](ResizeOp o) { return lowerResize(o); })
          .Case([&](ConvTranspose2DOp o) { return lowerConvTranspose(o); })
          .Case([&](LinearOp o) { return lowerLinear(o); })
          .Case([&](QuantizeOp o) { return lowerQuantize(o); })
          .Case([&](DequantizeOp o) { return lowerDequantize(o); })
          .Case([&](QConv2DOp o) { return lowerQConv(o); })
          .Case([&](LookupTableOp o) { return lowerLookupTable(o); })
          .Case<SoftmaxOp, LogSoftmaxOp>([&](auto o) {
            return lowerSoftmax(o, static_cast<int64_t>(o.getAxis()),
                                std::is_same_v<decltype(o), LogSoftmaxOp>);
          })
          .Default([&](Operation *) -> llvm::Expected<OpResult> {
            return errorAt(op, "is not supported by code generation");
          });
  if (topLevel)
    currentStage = nullptr;
  if (!lowered)
    return lowered.takeError();
  values[op->getResult(0)] = Tensor{lowered->func, shapeOf(op->getResult(0))};
  if (topLevel)
    addStage(lowered->kind, op, std::move(local), op->getName().stripDialect());
  return llvm::Error::success();
}

llvm::Error Lowerer::lowerGroup(GroupOp group) {
  Block &body = group.getBody().front();
  // An int8 conv on AMX tiles is the model runtime's kernel, which computes
  // no epilogue: the conv is a stage of its own, the rest of the group an
  // elementwise stage after it.
  Operation *head = &body.front();
  auto qconv = llvm::dyn_cast<QConv2DOp>(head);
  const bool headApart = qconv && qconvOnAmx(qconv);
  if (headApart)
    if (llvm::Error error = lower(head))
      return error;
  Stage stage;
  currentStage = &stage;
  for (Operation &op : body.without_terminator()) {
    if (headApart && &op == head)
      continue;
    if (llvm::Error error = lower(&op)) {
      currentStage = nullptr;
      return error;
    }
  }
  currentStage = nullptr;
  auto yield = llvm::cast<YieldOp>(body.getTerminator());
  // Copy before inserting: insertion may move the map's entries.
  Tensor yielded = values.lookup(yield.getValue());
  values[group.getResult()] = yielded;
  const GroupKind groupKind =
      headApart ? GroupKind::Elementwise : group.getKind();
  Stage::Kind kind = groupKind == GroupKind::DepthwisePointwise
                         ? Stage::Kind::DepthwisePointwise
                     : groupKind == GroupKind::Conv ? Stage::Kind::Conv
                     : groupKind == GroupKind::Elementwise
                         ? Stage::Kind::Elementwise
                         : Stage::Kind::Reduction;
  addStage(kind, group, std::move(stage),
           ("group_" + stringifyGroupKind(groupKind)).str());
  return llvm::Error::success();
}

void Lowerer::addStage(Stage::Kind kind, Operation *op, Stage stage,
                       StringRef base) {
  Value result = op->getResult(0);
  Tensor t = values[result];
  std::vector<Halide::Var> vars = argVars(t.shape.size());
  std::vector<Expr> args(vars.begin(), vars.end());
  // A concatenation's Func (an update per slice) or a transposed conv's (a
  // sum) cannot be inlined into a wrapper: it is the stage's output itself.
  const bool slices = isa<ConcatOp, ConvTranspose2DOp>(op) ||
                      t.func.function().has_extern_definition();
  Func root = slices ? t.func : Func(uniqueName(base));
  if (!slices)
    root(vars) = t.func(args);
  stage.kind = kind;
  stage.vars = v;
  stage.name = root.name();
  stage.output = root;
  stage.shape = t.shape;
  stage.op = op;
  // A concatenation along channels may be written in place (MemoryPlan).
  if (auto concat = dyn_cast<ConcatOp>(op)) {
    const int64_t axis = static_cast<int64_t>(concat.getAxis());
    if (t.shape.size() == 4 && (axis == 1 || axis == -3))
      for (Value input : concat.getInputs())
        stage.concatSources.push_back(values[input].activation);
  }
  describeStage(op, stage);
  finishStage(std::move(stage), result);
}

void Lowerer::finishStage(Stage stage, Value result) {
  Activation a;
  a.shape = stage.shape;
  // Not `a0`: Halide's x86 code generator names intrinsic arguments so.
  a.type = stage.output.output_types().front();
  a.param = Halide::ImageParam(a.type, static_cast<int>(stage.shape.size()),
                               "activation" +
                                   std::to_string(model.activations.size()));
  a.producer = static_cast<int>(model.stages.size());
  stage.outputActivation = static_cast<int>(model.activations.size());
  values[result] = Tensor{Func(a.param), stage.shape,
                          static_cast<int>(model.activations.size())};
  model.activations.push_back(std::move(a));
  model.stages.push_back(std::move(stage));
}

/// A shape as text for a stage's structure: `1x3x224x224`.
static std::string shapeKey(const std::vector<int64_t> &shape) {
  std::string key;
  for (int64_t d : shape)
    key += (key.empty() ? "" : "x") + std::to_string(d);
  return key;
}

Stage Lowerer::layoutStage(StringRef name, Func output,
                           const std::vector<int64_t> &shape) const {
  Stage stage;
  stage.kind = Stage::Kind::Elementwise;
  stage.vars = v;
  stage.name = name.str();
  stage.ops = "layout";
  stage.output = output;
  stage.shape = shape;
  stage.structure = name.str() + " " + shapeKey(shape);
  return stage;
}

Operation *Lowerer::addEntry(Value argument) {
  const std::vector<int64_t> &inShape = model.inputShape;
  model.input = Halide::ImageParam(Halide::Float(32), 4, "input");
  // NCHW memory: Halide dims (w, h, c, n). Convert to (c, x, y, n) once.
  Func entry("entry");
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  // Consumers may make the entry's buffer longer than the input (whole
  // vectors of channels): those channels read as zeros.
  Func bounded =
      Halide::BoundaryConditions::constant_exterior(model.input, 0.0f,
                                                    {{0, int(inShape[3])},
                                                     {0, int(inShape[2])},
                                                     {0, int(inShape[1])},
                                                     {0, int(inShape[0])}});
  // An int8 model's input, read only by a quantize, is quantized as it is
  // laid out: one pass over the image, not an f32 copy that a stage of its
  // own reads back (ResNet-50 QDQ input stages 0.051 -> 0.031 ms, Zen 5).
  auto quantize = argument.hasOneUse()
                      ? dyn_cast<QuantizeOp>(*argument.getUsers().begin())
                      : QuantizeOp();
  if (quantize && quantize->getBlock() != argument.getParentBlock())
    quantize = QuantizeOp();
  entry(c, x, y, n) =
      quantize ? quantized(quantize, bounded(x, y, c, n)) : bounded(x, y, c, n);
  Stage stage = layoutStage("entry", entry, inShape);
  stage.layer = "input";
  stage.layoutEntry = true;
  if (quantize) {
    stage.ops = "layout+quantize";
    stage.plan.push_back("the input's quantize to u8 in the same pass");
    // The kernel depends on the parameters (Build.cpp's kernel key).
    stage.structure += " quantize " +
                       std::to_string(llvm::bit_cast<uint32_t>(
                           quantize.getScale().convertToFloat())) +
                       " " + std::to_string(quantize.getZeroPoint());
  }
  finishStage(std::move(stage), quantize ? quantize.getResult() : argument);
  return quantize;
}

llvm::Error Lowerer::addExit(Operation *user, Value result) {
  Stage reads;
  currentStage = &reads;
  llvm::Expected<Tensor> out = get(user, result);
  currentStage = nullptr;
  if (!out)
    return out.takeError();
  model.outputShape = out->shape;
  // Back to NCHW (or [N, K]): Halide dims are the shape reversed.
  size_t rank = out->shape.size();
  std::vector<Halide::Var> dims;
  for (size_t i = 0; i < rank; ++i)
    dims.push_back(Halide::Var("o" + std::to_string(i)));
  std::vector<Expr> nchw(rank);
  for (size_t d = 0; d < rank; ++d)
    nchw[d] = dims[rank - 1 - d];
  model.output = Func("output");
  model.output(dims) = out->func(toArgs(nchw));
  Stage stage = layoutStage("output", model.output, out->shape);
  stage.inputs = std::move(reads.inputs);
  stage.layer = "output";
  stage.layoutExit = true;
  model.stages.push_back(std::move(stage));
  return llvm::Error::success();
}

llvm::Expected<LoweredModel> Lowerer::run(func::FuncOp func) {
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return errorAt(func, "must take one input and return one result");
  std::vector<int64_t> inShape = shapeOf(func.getArgument(0));
  if (inShape.size() != 4)
    return errorAt(func, "must take a 4-D NCHW input");
  model.inputShape = inShape;
  Operation *lowered = addEntry(func.getArgument(0));

  Block &body = func.getBody().front();
  for (Operation &op : body.without_terminator())
    if (&op != lowered)
      if (llvm::Error error = lower(&op))
        return std::move(error);
  if (llvm::Error error =
          addExit(body.getTerminator(), body.getTerminator()->getOperand(0)))
    return std::move(error);
  return std::move(model);
}

llvm::Expected<LoweredModel> lowerToHalide(func::FuncOp func,
                                           const LoweringOptions &options) {
  Lowerer lowerer(options);
  return lowerer.run(func);
}

} // namespace cnnc::codegen
