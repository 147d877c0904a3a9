//===- Lowering.cpp - cnn IR to one Halide pipeline -----------------------===//
//
// Every op becomes Halide Funcs over the channel-innermost layout. Weights
// are read once from the bound constants and repacked with output channels
// innermost, padded with zeros to a multiple of `kChannelPad` so that
// schedules may round channel loops up to whole register tiles without
// reading past a buffer.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Shapes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;
using namespace cnnc::codegen;
using Halide::Expr;
using Halide::Func;

namespace {

int64_t roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

std::vector<int64_t> shapeOf(Value value) {
  ArrayRef<int64_t> s =
      llvm::cast<RankedTensorType>(value.getType()).getShape();
  return {s.begin(), s.end()};
}

/// Where NCHW dimension `dim` of a rank-`rank` tensor sits among the Func's
/// arguments: (c, w, h, n) for rank 4, reversed dims otherwise.
size_t argPosition(size_t rank, size_t dim) {
  if (rank == 4) {
    static const size_t positions[] = {3, 0, 2, 1};
    return positions[dim];
  }
  return rank - 1 - dim;
}

/// Func arguments from an index given in NCHW order.
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

struct Tensor {
  Func func;
  std::vector<int64_t> shape;
};

class Lowerer {
public:
  llvm::Expected<LoweredModel> run(func::FuncOp func);

private:
  llvm::Error lower(Operation *op);
  llvm::Error lowerGroup(GroupOp group);
  llvm::Expected<Func> lowerConv(Conv2DOp op, ConvInfo &info);
  /// Finishes a top-level op or group: a root Func named after it.
  /// The root Func is named `base`_N: `group_<kind>` for fused groups, the
  /// op's name otherwise, so kernels and profiles say what they compute.
  void addStage(Stage::Kind kind, Value result, Stage stage, StringRef base);

  /// The NCHW index variables of a rank-`rank` tensor, and the Func
  /// arguments they form.
  std::vector<Halide::Var> argVars(size_t rank) const;
  std::vector<Expr> nchwOf(const std::vector<Halide::Var> &args) const;

  std::string uniqueName(StringRef base) {
    return (base + "_" + Twine(counter++)).str();
  }
  llvm::Expected<Tensor> get(Operation *user, Value value);
  Func zeroPadded(const Tensor &t, Expr value = Expr(0.0f));
  llvm::Expected<std::vector<float>> constant(Operation *user, Value value);
  /// A buffer of `count` per-channel values padded with zeros.
  /// Per-channel values, padded with zeros, as a weight parameter.
  Func perChannel(const std::vector<float> &values, StringRef name);
  /// Registers a repacked constant as a weight parameter of the pipeline,
  /// with its exact dense shape (so Halide compiles for it), and returns
  /// the Func that reads it: the parameter itself, or, for schedules that
  /// may compute anywhere (the autoscheduler), one that reads zeros
  /// outside it.
  Func param(Halide::Buffer<float> buffer, StringRef name);

public:
  explicit Lowerer(bool boundedWeights) : boundedWeights(boundedWeights) {}

private:
  bool boundedWeights;

  Vars v;
  int counter = 0;
  llvm::DenseMap<Value, Tensor> values;
  LoweredModel model;
  /// Filled while lowering a group's ops.
  Stage *currentStage = nullptr;
};

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
  if (it != values.end())
    return it->second;
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
    Tensor t{f, shape};
    values[value] = t;
    return t;
  }
  if (value.getDefiningOp<WeightOp>())
    return errorAt(user, "reads an unbound weight: bind weights first");
  return errorAt(user, "reads a value code generation did not produce");
}

Func Lowerer::zeroPadded(const Tensor &t, Expr value) {
  Halide::Region bounds(t.shape.size());
  for (size_t d = 0; d < t.shape.size(); ++d)
    bounds[argPosition(t.shape.size(), d)] =
        Halide::Range(0, static_cast<int>(t.shape[d]));
  return Halide::BoundaryConditions::constant_exterior(t.func, value, bounds);
}

llvm::Expected<std::vector<float>> Lowerer::constant(Operation *user,
                                                     Value value) {
  std::optional<std::vector<float>> data = constantValues(value);
  if (!data)
    return errorAt(user, "needs constant weights: bind weights first");
  return std::move(*data);
}

Func Lowerer::perChannel(const std::vector<float> &values, StringRef name) {
  Halide::Buffer<float> buffer(
      static_cast<int>(roundUp(values.size(), kChannelPad)));
  buffer.fill(0.0f);
  for (size_t i = 0; i < values.size(); ++i)
    buffer(static_cast<int>(i)) = values[i];
  return param(buffer, name);
}

Func Lowerer::param(Halide::Buffer<float> buffer, StringRef name) {
  Halide::ImageParam p(Halide::Float(32), buffer.dimensions(),
                       uniqueName(name));
  int stride = 1;
  for (int d = 0; d < buffer.dimensions(); ++d) {
    p.dim(d).set_bounds(0, buffer.dim(d).extent()).set_stride(stride);
    stride *= buffer.dim(d).extent();
  }
  p.set_host_alignment(kWeightAlignment);
  model.weights.push_back({p, buffer});
  if (boundedWeights)
    return Halide::BoundaryConditions::constant_exterior(p, 0.0f);
  return Func(p);
}

llvm::Expected<Func> Lowerer::lowerConv(Conv2DOp op, ConvInfo &info) {
  llvm::Expected<Tensor> input = get(op, op.getInput());
  if (!input)
    return input.takeError();
  llvm::Expected<std::vector<float>> weight = constant(op, op.getWeight());
  if (!weight)
    return weight.takeError();
  std::vector<int64_t> w = shapeOf(op.getWeight());
  std::vector<int64_t> out = shapeOf(op.getResult());
  const int64_t cout = w[0], cg = w[1], kh = w[2], kw = w[3];
  const int64_t groups = static_cast<int64_t>(op.getGroups());
  const int64_t og = cout / groups;
  ArrayRef<int64_t> stride = op.getStride(), pad = op.getPadding(),
                    dil = op.getDilation();
  info.outChannels = cout;
  info.inChannels = cg;
  info.kernelW = kw;
  info.kernelH = kh;
  info.outW = out[3];
  info.outH = out[2];
  info.depthwise = groups > 1 && cg == 1 && og == 1;

  info.input = input->func;
  Func padded = zeroPadded(*input);
  info.padded = padded;
  Func conv(uniqueName("conv"));
  std::vector<float> biasValues(cout, 0.0f);
  if (Value bias = op.getBias()) {
    llvm::Expected<std::vector<float>> b = constant(op, bias);
    if (!b)
      return b.takeError();
    biasValues = std::move(*b);
  }
  Func biasBuffer = perChannel(biasValues, "bias");
  const int64_t coutPad = roundUp(cout, kChannelPad);
  auto at = [&](int64_t o, int64_t i, int64_t ky, int64_t kx) {
    return (*weight)[((o * cg + i) * kh + ky) * kw + kx];
  };
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  if (info.depthwise) {
    // Weights (c, kx, ky), channels innermost.
    Halide::Buffer<float> wb(static_cast<int>(coutPad), static_cast<int>(kw),
                             static_cast<int>(kh));
    wb.fill(0.0f);
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t ky = 0; ky < kh; ++ky)
        for (int64_t kx = 0; kx < kw; ++kx)
          wb(o, kx, ky) = at(o, 0, ky, kx);
    Func wp = param(wb, "weight");
    info.weights = wp;
    info.r = Halide::RDom(0, static_cast<int>(kw), 0, static_cast<int>(kh),
                          uniqueName("rdw"));
    Halide::RDom &r = info.r;
    Expr ix = x * int(stride[1]) + r.x * int(dil[1]) - int(pad[1]);
    Expr iy = y * int(stride[0]) + r.y * int(dil[0]) - int(pad[0]);
    conv(c, x, y, n) = biasBuffer(c);
    conv(c, x, y, n) += wp(c, r.x, r.y) * padded(c, ix, iy, n);
  } else {
    // Weights (co, ci, kx, ky), output channels innermost.
    Halide::Buffer<float> wb(static_cast<int>(coutPad), static_cast<int>(cg),
                             static_cast<int>(kw), static_cast<int>(kh));
    wb.fill(0.0f);
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t i = 0; i < cg; ++i)
        for (int64_t ky = 0; ky < kh; ++ky)
          for (int64_t kx = 0; kx < kw; ++kx)
            wb(o, i, kx, ky) = at(o, i, ky, kx);
    Func wp = param(wb, "weight");
    info.weights = wp;
    info.r = Halide::RDom(0, static_cast<int>(cg), 0, static_cast<int>(kw), 0,
                          static_cast<int>(kh), uniqueName("rconv"));
    Halide::RDom &r = info.r;
    Expr ix = x * int(stride[1]) + r.y * int(dil[1]) - int(pad[1]);
    Expr iy = y * int(stride[0]) + r.z * int(dil[0]) - int(pad[0]);
    Expr ic = groups == 1 ? Expr(r.x) : (c / int(og)) * int(cg) + r.x;
    conv(c, x, y, n) = biasBuffer(c);
    conv(c, x, y, n) += wp(c, r.x, r.y, r.z) * padded(ic, ix, iy, n);
  }
  info.conv = conv;
  return conv;
}

/// An activation applied to `e`: the Halide form of each op with
/// ActivationOpInterface. Undefined for an activation without one, which
/// the caller reports as an error naming the op.
Expr activate(Operation *op, Expr e) {
  return llvm::TypeSwitch<Operation *, Expr>(op)
      .Case([&](ReluOp) { return Halide::max(e, 0.0f); })
      .Case([&](Relu6Op) { return Halide::clamp(e, 0.0f, 6.0f); })
      .Case([&](SigmoidOp) { return 1.0f / (1.0f + Halide::exp(-e)); })
      .Case([&](HardswishOp) {
        return e * Halide::clamp(e + 3.0f, 0.0f, 6.0f) / 6.0f;
      })
      .Case([&](SiluOp) { return e / (1.0f + Halide::exp(-e)); })
      .Case([&](GeluOp g) {
        if (g.getApproximate() == "tanh") {
          const float k = 0.7978845608028654f; // sqrt(2 / pi)
          return 0.5f * e *
                 (1.0f + Halide::tanh(k * (e + 0.044715f * e * e * e)));
        }
        return 0.5f * e * (1.0f + Halide::erf(e * 0.7071067811865476f));
      })
      .Default([&](Operation *) { return Expr(); });
}

llvm::Error Lowerer::lower(Operation *op) {
  if (llvm::isa<WeightOp, ConstantOp, ReshapeOp>(op) &&
      !llvm::any_of(op->getOperands(),
                    [&](Value operand) { return values.count(operand); }))
    return llvm::Error::success(); // parameters: read where used
  if (auto group = llvm::dyn_cast<GroupOp>(op))
    return lowerGroup(group);

  bool topLevel = currentStage == nullptr;
  Stage local;
  if (topLevel)
    currentStage = &local;
  auto finish = [&](Stage::Kind kind, Func f) {
    values[op->getResult(0)] = Tensor{f, shapeOf(op->getResult(0))};
    if (topLevel) {
      currentStage = nullptr;
      addStage(kind, op->getResult(0), std::move(local),
               op->getName().stripDialect());
    }
    return llvm::Error::success();
  };
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> nchw = nchwOf(vars);
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n, k = v.k;

  if (auto conv = llvm::dyn_cast<Conv2DOp>(op)) {
    ConvInfo info;
    llvm::Expected<Func> f = lowerConv(conv, info);
    if (!f)
      return f.takeError();
    currentStage->convs.push_back(info);
    return finish(Stage::Kind::Conv, *f);
  }
  if (isa<ActivationOpInterface>(op)) {
    llvm::Expected<Tensor> in = get(op, op->getOperand(0));
    if (!in)
      return in.takeError();
    std::vector<Expr> args(vars.begin(), vars.end());
    Expr value = activate(op, in->func(args));
    if (!value.defined())
      return errorAt(op, "is an activation with no Halide expression (add "
                         "one to activate() in lib/Codegen/Lowering.cpp)");
    Func f(uniqueName(op->getName().stripDialect()));
    f(vars) = value;
    return finish(Stage::Kind::Elementwise, f);
  }
  if (isa<AddOp, MulOp>(op)) {
    llvm::Expected<Tensor> lhs = get(op, op->getOperand(0));
    llvm::Expected<Tensor> rhs = get(op, op->getOperand(1));
    if (!lhs)
      return lhs.takeError();
    if (!rhs)
      return rhs.takeError();
    // rhs broadcasts: align right, size-1 dims read index 0.
    std::vector<Expr> rhsIndex;
    size_t offset = shape.size() - rhs->shape.size();
    for (size_t d = 0; d < rhs->shape.size(); ++d)
      rhsIndex.push_back(rhs->shape[d] == 1 ? Expr(0) : nchw[d + offset]);
    std::vector<Expr> args(vars.begin(), vars.end());
    Expr a = lhs->func(args), b = rhs->func(toArgs(rhsIndex));
    Func f(uniqueName(op->getName().stripDialect()));
    f(vars) = isa<AddOp>(op) ? a + b : a * b;
    return finish(Stage::Kind::Elementwise, f);
  }
  if (auto bn = llvm::dyn_cast<BatchNormOp>(op)) {
    llvm::Expected<Tensor> in = get(op, bn.getInput());
    if (!in)
      return in.takeError();
    auto g = constant(op, bn.getWeight()), b = constant(op, bn.getBias()),
         m = constant(op, bn.getMean()), var = constant(op, bn.getVariance());
    for (auto *e : {&g, &b, &m, &var})
      if (!*e)
        return e->takeError();
    double eps = bn.getEpsilon().convertToDouble();
    std::vector<float> scale(g->size()), shift(g->size());
    for (size_t i = 0; i < g->size(); ++i) {
      double s = (*g)[i] / std::sqrt(double((*var)[i]) + eps);
      scale[i] = static_cast<float>(s);
      shift[i] = static_cast<float>((*b)[i] - (*m)[i] * s);
    }
    Func sb = perChannel(scale, "bn_scale"), hb = perChannel(shift, "bn_shift");
    Func f(uniqueName("batch_norm"));
    f(c, x, y, n) = in->func(c, x, y, n) * sb(c) + hb(c);
    return finish(Stage::Kind::Elementwise, f);
  }
  if (auto ln = llvm::dyn_cast<LayerNormOp>(op)) {
    llvm::Expected<Tensor> in = get(op, ln.getInput());
    if (!in)
      return in.takeError();
    auto g = constant(op, ln.getWeight()), b = constant(op, ln.getBias());
    if (!g)
      return g.takeError();
    if (!b)
      return b.takeError();
    Func gb = perChannel(*g, "ln_weight"), bb = perChannel(*b, "ln_bias");
    const int channels = static_cast<int>(shape[1]);
    Halide::RDom r(0, channels, uniqueName("rln"));
    // Two passes, as the definition reads: the mean, then the biased
    // variance around it.
    Func meanF(uniqueName("ln_mean")), inv(uniqueName("ln_inv"));
    meanF(x, y, n) = Halide::sum(in->func(r, x, y, n)) / float(channels);
    Expr d = in->func(r, x, y, n) - meanF(x, y, n);
    inv(x, y, n) =
        1.0f / Halide::sqrt(Halide::sum(d * d) / float(channels) +
                            float(ln.getEpsilon().convertToDouble()));
    Func f(uniqueName("layer_norm"));
    f(c, x, y, n) =
        (in->func(c, x, y, n) - meanF(x, y, n)) * inv(x, y, n) * gb(c) + bb(c);
    currentStage->reductions.push_back(meanF);
    currentStage->reductions.push_back(inv);
    return finish(Stage::Kind::Reduction, f);
  }
  if (auto pool = llvm::dyn_cast<MaxPool2DOp>(op)) {
    llvm::Expected<Tensor> in = get(op, pool.getInput());
    if (!in)
      return in.takeError();
    Func padded =
        zeroPadded(*in, Expr(-std::numeric_limits<float>::infinity()));
    ArrayRef<int64_t> ks = pool.getKernelSize(), s = pool.getStride(),
                      p = pool.getPadding(), dl = pool.getDilation();
    Halide::RDom r(0, int(ks[1]), 0, int(ks[0]), uniqueName("rmax"));
    Func f(uniqueName("max_pool"));
    f(c, x, y, n) = Halide::maximum(
        padded(c, x * int(s[1]) + r.x * int(dl[1]) - int(p[1]),
               y * int(s[0]) + r.y * int(dl[0]) - int(p[0]), n));
    return finish(Stage::Kind::Reduction, f);
  }
  if (auto pool = llvm::dyn_cast<AvgPool2DOp>(op)) {
    llvm::Expected<Tensor> in = get(op, pool.getInput());
    if (!in)
      return in.takeError();
    Func padded = zeroPadded(*in);
    ArrayRef<int64_t> ks = pool.getKernelSize(), s = pool.getStride(),
                      p = pool.getPadding();
    const int h = int(in->shape[2]), w = int(in->shape[3]);
    Halide::RDom r(0, int(ks[1]), 0, int(ks[0]), uniqueName("ravg"));
    Expr sum = Halide::sum(padded(c, x * int(s[1]) + r.x - int(p[1]),
                                  y * int(s[0]) + r.y - int(p[0]), n));
    // PyTorch's divisor: the window clipped to the padded input, or to the
    // input without count_include_pad.
    Expr x0 = x * int(s[1]) - int(p[1]), y0 = y * int(s[0]) - int(p[0]);
    Expr x1 = Halide::min(x0 + int(ks[1]), w + int(p[3]));
    Expr y1 = Halide::min(y0 + int(ks[0]), h + int(p[2]));
    Expr count = (x1 - x0) * (y1 - y0);
    if (!pool.getCountIncludePad())
      count = (Halide::min(x1, w) - Halide::max(x0, 0)) *
              (Halide::min(y1, h) - Halide::max(y0, 0));
    Func f(uniqueName("avg_pool"));
    f(c, x, y, n) = sum / Halide::cast<float>(count);
    return finish(Stage::Kind::Reduction, f);
  }
  if (auto pool = llvm::dyn_cast<AdaptiveAvgPool2DOp>(op)) {
    llvm::Expected<Tensor> in = get(op, pool.getInput());
    if (!in)
      return in.takeError();
    const int h = int(in->shape[2]), w = int(in->shape[3]);
    const int oh = int(shape[2]), ow = int(shape[3]);
    int maxH = 1, maxW = 1;
    for (int i = 0; i < oh; ++i)
      maxH =
          std::max<int>(maxH, adaptiveEnd(i, h, oh) - adaptiveStart(i, h, oh));
    for (int i = 0; i < ow; ++i)
      maxW =
          std::max<int>(maxW, adaptiveEnd(i, w, ow) - adaptiveStart(i, w, ow));
    Expr y0 = (y * h) / oh, y1 = ((y + 1) * h + oh - 1) / oh;
    Expr x0 = (x * w) / ow, x1 = ((x + 1) * w + ow - 1) / ow;
    Halide::RDom r(0, maxW, 0, maxH, uniqueName("radapt"));
    Expr inside = x0 + r.x < x1 && y0 + r.y < y1;
    Expr value = in->func(c, Halide::min(x0 + r.x, w - 1),
                          Halide::min(y0 + r.y, h - 1), n);
    Func f(uniqueName("adaptive_avg_pool"));
    f(c, x, y, n) = Halide::sum(Halide::select(inside, value, 0.0f)) /
                    Halide::cast<float>((x1 - x0) * (y1 - y0));
    return finish(Stage::Kind::Reduction, f);
  }
  if (isa<FlattenOp, ReshapeOp>(op)) {
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
    return finish(Stage::Kind::Elementwise, f);
  }
  if (auto linear = llvm::dyn_cast<LinearOp>(op)) {
    llvm::Expected<Tensor> in = get(op, linear.getInput());
    if (!in)
      return in.takeError();
    auto weight = constant(op, linear.getWeight());
    if (!weight)
      return weight.takeError();
    std::vector<int64_t> ws = shapeOf(linear.getWeight());
    const int64_t m = ws[0], kk = ws[1];
    // Weights in tiles of kChannelPad outputs: (output in tile, k, tile),
    // so a tile of outputs streams one contiguous block of weights.
    const int tiles = static_cast<int>(roundUp(m, kChannelPad) / kChannelPad);
    Halide::Buffer<float> wb(static_cast<int>(kChannelPad),
                             static_cast<int>(kk), tiles);
    wb.fill(0.0f);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < kk; ++j)
        wb(int(i % kChannelPad), int(j), int(i / kChannelPad)) =
            (*weight)[i * kk + j];
    Func wp = param(wb, "fc_weight");
    std::vector<float> biasValues(m, 0.0f);
    if (Value bias = linear.getBias()) {
      auto b = constant(op, bias);
      if (!b)
        return b.takeError();
      biasValues = std::move(*b);
    }
    Func bb = perChannel(biasValues, "fc_bias");
    Halide::RDom r(0, static_cast<int>(kk), uniqueName("rfc"));
    Func acc(uniqueName("linear"));
    acc(k, n) = bb(k);
    acc(k, n) +=
        wp(k % int(kChannelPad), r, k / int(kChannelPad)) * in->func(r, n);
    currentStage->linear = acc;
    currentStage->linearDomain = r;
    return finish(Stage::Kind::Linear, acc);
  }
  if (auto softmax = llvm::dyn_cast<SoftmaxOp>(op)) {
    llvm::Expected<Tensor> in = get(op, softmax.getInput());
    if (!in)
      return in.takeError();
    int64_t axis = static_cast<int64_t>(softmax.getAxis());
    if (axis < 0)
      axis += shape.size();
    // Reduce over the axis: the other args stay.
    size_t pos = argPosition(shape.size(), axis);
    Halide::RDom r(0, static_cast<int>(shape[axis]), uniqueName("rsoft"));
    std::vector<Expr> rargs(vars.begin(), vars.end());
    rargs[pos] = r;
    std::vector<Halide::Var> rest;
    for (size_t i = 0; i < vars.size(); ++i)
      if (i != pos)
        rest.push_back(vars[i]);
    std::vector<Expr> restArgs(rest.begin(), rest.end());
    Func top(uniqueName("softmax_max")), sum(uniqueName("softmax_sum"));
    top(rest) = Halide::maximum(in->func(rargs));
    sum(rest) = Halide::sum(Halide::exp(in->func(rargs) - top(restArgs)));
    Func f(uniqueName("softmax"));
    std::vector<Expr> args(vars.begin(), vars.end());
    f(vars) = Halide::exp(in->func(args) - top(restArgs)) / sum(restArgs);
    currentStage->reductions.push_back(top);
    currentStage->reductions.push_back(sum);
    return finish(Stage::Kind::Reduction, f);
  }
  if (auto concat = llvm::dyn_cast<ConcatOp>(op)) {
    int64_t axis = static_cast<int64_t>(concat.getAxis());
    if (axis < 0)
      axis += shape.size();
    size_t pos = argPosition(shape.size(), axis);
    std::vector<Expr> args(vars.begin(), vars.end());
    Expr result;
    int64_t start = shape[axis];
    // Build from the last input backwards: each earlier input covers
    // [start, end) and is selected below its end.
    for (Value input : llvm::reverse(concat.getInputs())) {
      llvm::Expected<Tensor> in = get(op, input);
      if (!in)
        return in.takeError();
      int64_t end = start;
      start -= in->shape[axis];
      std::vector<Expr> shifted = args;
      shifted[pos] =
          Halide::clamp(args[pos] - int(start), 0, int(in->shape[axis]) - 1);
      Expr here = in->func(shifted);
      result = result.defined()
                   ? Halide::select(args[pos] < int(end), here, result)
                   : here;
    }
    Func f(uniqueName("concat"));
    f(vars) = result;
    return finish(Stage::Kind::Elementwise, f);
  }
  if (topLevel)
    currentStage = nullptr;
  return errorAt(op, "is not supported by code generation");
}

llvm::Error Lowerer::lowerGroup(GroupOp group) {
  Stage stage;
  currentStage = &stage;
  Block &body = group.getBody().front();
  for (Operation &op : body.without_terminator())
    if (llvm::Error error = lower(&op)) {
      currentStage = nullptr;
      return error;
    }
  currentStage = nullptr;
  auto yield = llvm::cast<YieldOp>(body.getTerminator());
  // Copy before inserting: insertion may move the map's entries.
  Tensor yielded = values.lookup(yield.getValue());
  values[group.getResult()] = yielded;
  Stage::Kind kind = group.getKind() == "depthwise_pointwise"
                         ? Stage::Kind::DepthwisePointwise
                     : group.getKind() == "conv" ? Stage::Kind::Conv
                                                 : Stage::Kind::Reduction;
  addStage(kind, group.getResult(), std::move(stage),
           ("group_" + group.getKind()).str());
  return llvm::Error::success();
}

void Lowerer::addStage(Stage::Kind kind, Value result, Stage stage,
                       StringRef base) {
  Tensor t = values[result];
  std::vector<Halide::Var> vars = argVars(t.shape.size());
  std::vector<Expr> args(vars.begin(), vars.end());
  Func root(uniqueName(base));
  root(vars) = t.func(args);
  stage.kind = kind;
  stage.name = root.name();
  stage.output = root;
  stage.shape = t.shape;
  values[result] = Tensor{root, t.shape};
  model.stages.push_back(std::move(stage));
}

llvm::Expected<LoweredModel> Lowerer::run(func::FuncOp func) {
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return errorAt(func, "must take one input and return one result");
  std::vector<int64_t> inShape = shapeOf(func.getArgument(0));
  if (inShape.size() != 4)
    return errorAt(func, "must take a 4-D NCHW input");
  model.inputShape = inShape;
  model.input = Halide::ImageParam(Halide::Float(32), 4, "input");
  // NCHW memory: Halide dims (w, h, c, n). Convert to (c, x, y, n) once.
  Func entry("entry");
  Halide::Var c = v.c, x = v.x, y = v.y, n = v.n;
  Func clamped =
      Halide::BoundaryConditions::constant_exterior(model.input, 0.0f,
                                                    {{0, int(inShape[3])},
                                                     {0, int(inShape[2])},
                                                     {0, int(inShape[1])},
                                                     {0, int(inShape[0])}});
  entry(c, x, y, n) = clamped(x, y, c, n);
  values[func.getArgument(0)] = Tensor{entry, inShape};
  Stage entryStage;
  entryStage.kind = Stage::Kind::Elementwise;
  entryStage.name = "entry";
  entryStage.output = entry;
  entryStage.shape = inShape;
  model.stages.push_back(entryStage);

  Block &body = func.getBody().front();
  for (Operation &op : body.without_terminator())
    if (llvm::Error error = lower(&op))
      return std::move(error);

  Value result = body.getTerminator()->getOperand(0);
  llvm::Expected<Tensor> out = get(func, result);
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
  return std::move(model);
}

} // namespace

llvm::Expected<LoweredModel> cnnc::codegen::lowerToHalide(func::FuncOp func,
                                                          bool boundedWeights) {
  Lowerer lowerer(boundedWeights);
  return lowerer.run(func);
}
