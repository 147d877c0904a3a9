//===- ModelBuilder.cpp - Building cnn models layer by layer --------------===//

#include "cnnc/Zoo/ModelBuilder.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Shapes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

static RankedTensorType typeOf(Value v) {
  return llvm::cast<RankedTensorType>(v.getType());
}

ModelBuilder::ModelBuilder(MLIRContext *context, StringRef name,
                           ArrayRef<int64_t> inputShape)
    : builder(context), loc(builder.getUnknownLoc()) {
  context->loadDialect<CNNDialect, func::FuncDialect>();
  module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  auto inputType = RankedTensorType::get(inputShape, builder.getF32Type());
  // The result type is set by finish(); start with no results.
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType({inputType}, {}));
  function = func;
  Block *entry = func.addEntryBlock();
  inputValue = entry->getArgument(0);
  builder.setInsertionPointToEnd(entry);
}

void ModelBuilder::fail(const Twine &message) {
  if (!errorMessage)
    errorMessage = message.str();
}

int64_t ModelBuilder::channels(Value x) { return typeOf(x).getDimSize(1); }

bool ModelBuilder::windowFits(Value x, StringRef layer, int64_t kernel,
                              int64_t stride, int64_t padding, bool isPool) {
  if (failed())
    return false;
  Window1D w;
  w.kernel = kernel;
  w.stride = stride;
  w.padBegin = w.padEnd = padding;
  RankedTensorType type = typeOf(x);
  for (int dim = 2; dim < 4; ++dim) {
    int64_t size = type.getDimSize(dim);
    std::optional<int64_t> out =
        isPool ? poolOutputSize(size, w) : convOutputSize(size, w);
    if (!out) {
      fail("layer '" + layer + "' gets a " + Twine(type.getDimSize(2)) + "x" +
           Twine(type.getDimSize(3)) + " input, smaller than its " +
           Twine(kernel) + "x" + Twine(kernel) + " window");
      return false;
    }
  }
  return true;
}

Value ModelBuilder::weight(StringRef name, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  return WeightOp::create(builder, loc, type, name);
}

Value ModelBuilder::conv(Value x, StringRef prefix, int64_t outChannels,
                         const ConvSpec &spec) {
  if (!windowFits(x, prefix, spec.kernel, spec.stride, spec.padding,
                  /*isPool=*/false))
    return x;
  Value w = weight(
      (prefix + ".weight").str(),
      {outChannels, channels(x) / spec.groups, spec.kernel, spec.kernel});
  Value b =
      spec.bias ? weight((prefix + ".bias").str(), {outChannels}) : Value();
  int64_t p = spec.padding;
  return Conv2DOp::create(
      builder, loc, x, w, b, ArrayRef<int64_t>{spec.stride, spec.stride},
      ArrayRef<int64_t>{p, p, p, p}, ArrayRef<int64_t>{1, 1}, spec.groups,
      /*padding_values=*/DenseF32ArrayAttr());
}

Value ModelBuilder::linearAsConv(Value x, StringRef prefix,
                                 int64_t outChannels) {
  if (failed())
    return x;
  int64_t in = channels(x);
  Value stored = weight((prefix + ".weight").str(), {outChannels, in});
  auto convType =
      RankedTensorType::get({outChannels, in, 1, 1}, builder.getF32Type());
  Value w = ReshapeOp::create(builder, loc, convType, stored);
  Value b = weight((prefix + ".bias").str(), {outChannels});
  return Conv2DOp::create(builder, loc, x, w, b, ArrayRef<int64_t>{1, 1},
                          ArrayRef<int64_t>{0, 0, 0, 0},
                          ArrayRef<int64_t>{1, 1}, 1,
                          /*padding_values=*/DenseF32ArrayAttr());
}

Value ModelBuilder::batchNorm(Value x, StringRef prefix, double epsilon) {
  if (failed())
    return x;
  int64_t c = channels(x);
  Value gamma = weight((prefix + ".weight").str(), {c});
  Value beta = weight((prefix + ".bias").str(), {c});
  Value mean = weight((prefix + ".running_mean").str(), {c});
  Value var = weight((prefix + ".running_var").str(), {c});
  return BatchNormOp::create(builder, loc, x, gamma, beta, mean, var,
                             llvm::APFloat(epsilon));
}

Value ModelBuilder::layerNorm(Value x, StringRef prefix, double epsilon) {
  if (failed())
    return x;
  int64_t c = channels(x);
  Value gamma = weight((prefix + ".weight").str(), {c});
  Value beta = weight((prefix + ".bias").str(), {c});
  return LayerNormOp::create(builder, loc, x, gamma, beta,
                             llvm::APFloat(epsilon));
}

Value ModelBuilder::relu(Value x) {
  return failed() ? x : ReluOp::create(builder, loc, x).getResult();
}

Value ModelBuilder::relu6(Value x) {
  return failed() ? x : Relu6Op::create(builder, loc, x).getResult();
}

Value ModelBuilder::gelu(Value x) {
  return failed() ? x
                  : GeluOp::create(builder, loc, x, GeluApproximation::None)
                        .getResult();
}

Value ModelBuilder::add(Value lhs, Value rhs) {
  return failed() ? lhs : AddOp::create(builder, loc, lhs, rhs).getResult();
}

Value ModelBuilder::layerScale(Value x, StringRef name) {
  if (failed())
    return x;
  Value scale = weight(name, {channels(x), 1, 1});
  return MulOp::create(builder, loc, x, scale);
}

Value ModelBuilder::maxPool(Value x, StringRef name, int64_t kernel,
                            int64_t stride, int64_t padding) {
  if (!windowFits(x, name, kernel, stride, padding, /*isPool=*/true))
    return x;
  int64_t p = padding;
  return MaxPool2DOp::create(builder, loc, x, ArrayRef<int64_t>{kernel, kernel},
                             ArrayRef<int64_t>{stride, stride},
                             ArrayRef<int64_t>{p, p, p, p},
                             ArrayRef<int64_t>{1, 1}, false);
}

Value ModelBuilder::adaptiveAvgPool(Value x, int64_t height, int64_t width) {
  if (failed())
    return x;
  return AdaptiveAvgPool2DOp::create(builder, loc, x,
                                     ArrayRef<int64_t>{height, width});
}

Value ModelBuilder::flatten(Value x) {
  return failed() ? x : FlattenOp::create(builder, loc, x, 1, -1).getResult();
}

Value ModelBuilder::linear(Value x, StringRef prefix, int64_t outFeatures) {
  if (failed())
    return x;
  int64_t in = typeOf(x).getDimSize(1);
  Value w = weight((prefix + ".weight").str(), {outFeatures, in});
  Value b = weight((prefix + ".bias").str(), {outFeatures});
  return LinearOp::create(builder, loc, x, w, b);
}

OwningOpRef<ModuleOp> ModelBuilder::finish(Value result) {
  if (failed())
    return nullptr;
  func::ReturnOp::create(builder, loc, result);
  auto func = llvm::cast<func::FuncOp>(function);
  func.setFunctionType(builder.getFunctionType(
      func.getFunctionType().getInputs(), {result.getType()}));
  return std::move(module);
}
