//===- Interpreter.cpp - Running cnn functions with the reference kernels -===//

#include "cnnc/Reference/Interpreter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Reference/Kernels.h"
#include "cnnc/Support/Memory.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <thread>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;
using namespace cnnc::reference;

namespace {

std::vector<int64_t> shapeOf(Value value) {
  ArrayRef<int64_t> shape =
      llvm::cast<RankedTensorType>(value.getType()).getShape();
  return {shape.begin(), shape.end()};
}

llvm::Error errorAt(Operation *op, const Twine &message) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getLoc() << ": '" << op->getName() << "' " << message;
  return llvm::createStringError(llvm::inconvertibleErrorCode(), os.str());
}

template <size_t N> std::array<int64_t, N> toArray(ArrayRef<int64_t> values) {
  std::array<int64_t, N> result;
  std::copy_n(values.begin(), N, result.begin());
  return result;
}

/// The window and groups of a conv op (conv2d, qconv2d,
/// conv_transpose2d).
template <typename OpT> Conv2DParams convParams(OpT o) {
  Conv2DParams p;
  p.stride = toArray<2>(o.getStride());
  p.padding = toArray<4>(o.getPadding());
  p.dilation = toArray<2>(o.getDilation());
  p.groups = static_cast<int64_t>(o.getGroups());
  return p;
}

/// The u8 parameters a quantize or dequantize carries.
template <typename OpT> quant::Params paramsOf(OpT op) {
  return {op.getScale().convertToFloat(),
          static_cast<int32_t>(op.getZeroPoint())};
}

reference::Reduction reductionOf(cnn::Reduction kind) {
  switch (kind) {
  case cnn::Reduction::Mean:
    return reference::Reduction::Mean;
  case cnn::Reduction::Sum:
    return reference::Reduction::Sum;
  case cnn::Reduction::Max:
    return reference::Reduction::Max;
  case cnn::Reduction::Min:
    return reference::Reduction::Min;
  case cnn::Reduction::L1:
    return reference::Reduction::L1;
  case cnn::Reduction::L2:
    return reference::Reduction::L2;
  case cnn::Reduction::SumSquare:
    return reference::Reduction::SumSquare;
  case cnn::Reduction::ArgMax:
    return reference::Reduction::ArgMax;
  case cnn::Reduction::ArgMin:
    return reference::Reduction::ArgMin;
  }
  llvm_unreachable("a reduction kind without a reference kernel");
}

class Interpreter {
public:
  Interpreter(unsigned threads, const Observer &observe)
      : threads(threads), observe(observe) {}

  llvm::Expected<std::vector<Tensor>> run(func::FuncOp func,
                                          ArrayRef<Tensor> inputs);

private:
  const Tensor &get(Value value) { return values.find(value)->second; }
  const Tensor *getOptional(Value value) {
    return value ? &get(value) : nullptr;
  }
  llvm::Error evaluate(Operation *op);
  llvm::Expected<Tensor> constant(ConstantOp op);

  unsigned threads;
  const Observer &observe;
  llvm::DenseMap<Value, Tensor> values;
  /// Converted copies of constants that are not f32 blobs.
  std::vector<std::vector<float>> constantStorage;
};

llvm::Expected<Tensor> Interpreter::constant(ConstantOp op) {
  std::vector<int64_t> shape = shapeOf(op.getResult());
  if (auto blob = llvm::dyn_cast<DenseF32ResourceElementsAttr>(op.getValue()))
    if (std::optional<ArrayRef<float>> data = blob.tryGetAsArrayRef())
      return Tensor::view(shape, data->data());
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(op.getValue());
      dense && dense.getElementType().isInteger(8)) {
    // A quantized weight: its i8 values, exact in f32.
    constantStorage.emplace_back();
    for (const APInt &v : dense.getValues<APInt>())
      constantStorage.back().push_back(float(v.getSExtValue()));
    if (dense.isSplat())
      constantStorage.back().resize(dense.getNumElements(),
                                    constantStorage.back().front());
    return Tensor::view(shape, constantStorage.back().data());
  }
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(op.getValue())) {
    constantStorage.emplace_back();
    for (float v : dense.getValues<float>())
      constantStorage.back().push_back(v);
    if (dense.isSplat())
      constantStorage.back().resize(dense.getNumElements(),
                                    dense.getSplatValue<float>());
    return Tensor::view(shape, constantStorage.back().data());
  }
  return errorAt(op, "holds data the interpreter cannot read (its blob was "
                     "not loaded)");
}

llvm::Error Interpreter::evaluate(Operation *op) {
  if (auto weight = llvm::dyn_cast<WeightOp>(op))
    return errorAt(op, "'" + weight.getName() +
                           "' is not bound: bind weights first "
                           "(--weights=FILE or --random-weights=SEED)");
  if (auto group = llvm::dyn_cast<GroupOp>(op)) {
    // A group means its ops: run them in order.
    Block &body = group.getBody().front();
    for (Operation &inner : body.without_terminator())
      if (llvm::Error error = evaluate(&inner))
        return error;
    auto yield = llvm::cast<YieldOp>(body.getTerminator());
    // Copy before inserting: insertion may move the map's entries.
    Tensor result = get(yield.getValue());
    values[group.getResult()] = std::move(result);
    return llvm::Error::success();
  }
  if (auto c = llvm::dyn_cast<ConstantOp>(op)) {
    llvm::Expected<Tensor> t = constant(c);
    if (!t)
      return t.takeError();
    values[c.getResult()] = std::move(*t);
    return llvm::Error::success();
  }
  std::optional<Tensor> result =
      llvm::TypeSwitch<Operation *, std::optional<Tensor>>(op)
          .Case([&](Conv2DOp o) {
            Conv2DParams p = convParams(o);
            if (std::optional<ArrayRef<float>> values = o.getPaddingValues())
              p.paddingValues.assign(values->begin(), values->end());
            return conv2d(get(o.getInput()), get(o.getWeight()),
                          getOptional(o.getBias()), p, threads);
          })
          .Case([&](ConvTranspose2DOp o) {
            Conv2DParams p = convParams(o);
            auto type = llvm::cast<RankedTensorType>(o.getType());
            return convTranspose2d(get(o.getInput()), get(o.getWeight()),
                                   getOptional(o.getBias()), p,
                                   {type.getDimSize(2), type.getDimSize(3)});
          })
          .Case([&](BatchNormOp o) {
            return batchNorm(get(o.getInput()), get(o.getWeight()),
                             get(o.getBias()), get(o.getMean()),
                             get(o.getVariance()),
                             o.getEpsilon().convertToDouble());
          })
          .Case([&](LayerNormOp o) {
            return layerNorm(get(o.getInput()), get(o.getWeight()),
                             get(o.getBias()),
                             o.getEpsilon().convertToDouble());
          })
          .Case([&](GroupNormOp o) {
            return groupNorm(get(o.getInput()), get(o.getWeight()),
                             get(o.getBias()),
                             static_cast<int64_t>(o.getGroups()),
                             o.getEpsilon().convertToDouble());
          })
          .Case([&](ActivationOpInterface o) {
            return activation(get(o->getOperand(0)),
                              [&](double x) { return o.evaluate(x); });
          })
          .Case([&](AddOp o) { return add(get(o.getLhs()), get(o.getRhs())); })
          .Case([&](MulOp o) { return mul(get(o.getLhs()), get(o.getRhs())); })
          .Case([&](SubOp o) { return sub(get(o.getLhs()), get(o.getRhs())); })
          .Case([&](DivOp o) { return div(get(o.getLhs()), get(o.getRhs())); })
          .Case([&](MaxOp o) {
            return maximum(get(o.getLhs()), get(o.getRhs()));
          })
          .Case([&](MinOp o) {
            return minimum(get(o.getLhs()), get(o.getRhs()));
          })
          .Case([&](GreaterOp o) {
            return mask(get(o.getLhs()), get(o.getRhs()),
                        [](float a, float b) { return a > b; });
          })
          .Case([&](GreaterEqualOp o) {
            return mask(get(o.getLhs()), get(o.getRhs()),
                        [](float a, float b) { return a >= b; });
          })
          .Case([&](LessOp o) {
            return mask(get(o.getLhs()), get(o.getRhs()),
                        [](float a, float b) { return a < b; });
          })
          .Case([&](LessEqualOp o) {
            return mask(get(o.getLhs()), get(o.getRhs()),
                        [](float a, float b) { return a <= b; });
          })
          .Case([&](EqualOp o) {
            return mask(get(o.getLhs()), get(o.getRhs()),
                        [](float a, float b) { return a == b; });
          })
          .Case([&](SelectOp o) {
            return select(get(o.getCondition()), get(o.getOnTrue()),
                          get(o.getOnFalse()), shapeOf(o.getResult()));
          })
          .Case([&](PreluOp o) {
            return prelu(get(o.getLhs()), get(o.getRhs()));
          })
          .Case<ReduceMeanOp, ReduceSumOp, ReduceMaxOp, ReduceMinOp, ReduceL1Op,
                ReduceL2Op, ReduceSumSquareOp, ArgMaxOp, ArgMinOp>([&](auto o) {
            return reduce(get(o.getInput()), o.getAxes(), o.getKeepdim(),
                          reductionOf(o.kReduction));
          })
          .Case([&](MaxPool2DOp o) {
            Pool2DParams p;
            p.kernel = toArray<2>(o.getKernelSize());
            p.stride = toArray<2>(o.getStride());
            p.padding = toArray<4>(o.getPadding());
            p.dilation = toArray<2>(o.getDilation());
            p.ceilMode = o.getCeilMode();
            return maxPool2d(get(o.getInput()), p);
          })
          .Case([&](AvgPool2DOp o) {
            Pool2DParams p;
            p.kernel = toArray<2>(o.getKernelSize());
            p.stride = toArray<2>(o.getStride());
            p.padding = toArray<4>(o.getPadding());
            p.ceilMode = o.getCeilMode();
            p.countIncludePad = o.getCountIncludePad();
            return avgPool2d(get(o.getInput()), p);
          })
          .Case([&](AdaptiveAvgPool2DOp o) {
            ArrayRef<int64_t> size = o.getOutputSize();
            return adaptiveAvgPool2d(get(o.getInput()), size[0], size[1]);
          })
          .Case([&](FlattenOp o) {
            return reshape(get(o.getInput()), shapeOf(o.getResult()));
          })
          .Case([&](PadOp o) {
            return pad(get(o.getInput()), o.getPadding(), o.getMode(),
                       static_cast<float>(o.getValue().convertToDouble()));
          })
          .Case([&](ExpandOp o) {
            return expand(get(o.getInput()), shapeOf(o.getResult()));
          })
          .Case([&](ReshapeOp o) {
            return reshape(get(o.getInput()), shapeOf(o.getResult()));
          })
          .Case([&](ConcatOp o) {
            SmallVector<const Tensor *> inputs;
            for (Value v : o.getInputs())
              inputs.push_back(&get(v));
            return concat(inputs, static_cast<int64_t>(o.getAxis()));
          })
          .Case([&](SliceOp o) {
            return slice(get(o.getInput()), static_cast<int64_t>(o.getAxis()),
                         static_cast<int64_t>(o.getStart()),
                         static_cast<int64_t>(o.getEnd()));
          })
          .Case([&](ResizeOp o) {
            auto type = llvm::cast<RankedTensorType>(o.getType());
            return resize(get(o.getInput()), type.getDimSize(2),
                          type.getDimSize(3), o.getScaleH().convertToDouble(),
                          o.getScaleW().convertToDouble(), o.getMode(),
                          o.getCoordinates(), o.getNearest());
          })
          .Case([&](DepthToSpaceOp o) {
            return depthToSpace(get(o.getInput()),
                                static_cast<int64_t>(o.getBlockSize()),
                                o.getMode() == "crd");
          })
          .Case([&](TransposeOp o) {
            return transpose(get(o.getInput()), o.getPerm());
          })
          .Case([&](SpaceToDepthOp o) {
            return spaceToDepth(get(o.getInput()),
                                static_cast<int64_t>(o.getBlockSize()),
                                o.getMode() == "crd");
          })
          .Case([&](ChannelShuffleOp o) {
            return channelShuffle(get(o.getInput()),
                                  static_cast<int64_t>(o.getGroups()));
          })
          .Case([&](LinearOp o) {
            return linear(get(o.getInput()), get(o.getWeight()),
                          getOptional(o.getBias()), threads);
          })
          .Case([&](QuantizeOp o) {
            return quantize(get(o.getInput()), paramsOf(o));
          })
          .Case([&](DequantizeOp o) {
            return dequantize(get(o.getInput()), paramsOf(o));
          })
          .Case([&](LookupTableOp o) {
            return lookupTable(get(o.getInput()), o.getTable());
          })
          .Case([&](QConv2DOp o) {
            Conv2DParams p = convParams(o);
            QConvParams q;
            q.input = {o.getInputScale().convertToFloat(),
                       static_cast<int32_t>(o.getInputZeroPoint())};
            if (!o.writesFloat())
              q.output =
                  quant::Params{o.getOutputScale()->convertToFloat(),
                                static_cast<int32_t>(*o.getOutputZeroPoint())};
            q.weightScales.assign(o.getWeightScales().begin(),
                                  o.getWeightScales().end());
            return qconv2d(get(o.getInput()), get(o.getWeight()),
                           getOptional(o.getBias()), p, q, threads);
          })
          .Case<SoftmaxOp, LogSoftmaxOp>([&](auto o) {
            return softmax(get(o.getInput()), static_cast<int64_t>(o.getAxis()),
                           std::is_same_v<decltype(o), LogSoftmaxOp>);
          })
          .Default([](Operation *) { return std::nullopt; });
  if (!result)
    return errorAt(op, "is not supported by the reference interpreter");
  values[op->getResult(0)] = std::move(*result);
  if (observe)
    observe(op, get(op->getResult(0)));
  return llvm::Error::success();
}

llvm::Expected<std::vector<Tensor>> Interpreter::run(func::FuncOp func,
                                                     ArrayRef<Tensor> inputs) {
  if (func.isExternal())
    return errorAt(func, "has no body to run");
  if (inputs.size() != func.getNumArguments())
    return errorAt(func, "takes " + Twine(func.getNumArguments()) +
                             " inputs, got " + Twine(inputs.size()));
  Block &body = func.getBody().front();
  // Every intermediate is kept until the end: their sum must fit.
  uint64_t bytes = 0;
  for (Operation &op : body.without_terminator())
    for (Value result : op.getResults())
      if (auto type = llvm::dyn_cast<RankedTensorType>(result.getType()))
        bytes = saturatingAdd(bytes, f32Bytes(type.getShape()));
  std::string tooLarge =
      checkFitsInMemory(bytes, "the reference interpreter's tensors for @" +
                                   func.getSymName().str());
  if (!tooLarge.empty())
    return errorAt(func, tooLarge);
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs)) {
    std::vector<int64_t> expected = shapeOf(arg);
    if (expected != input.shape())
      return errorAt(func, "input #" + Twine(arg.getArgNumber()) +
                               " has the wrong shape for the signature");
    values[arg] = Tensor::view(input.shape(), input.data());
  }
  for (Operation &op : body.without_terminator())
    if (llvm::Error error = evaluate(&op))
      return std::move(error);

  std::vector<Tensor> outputs;
  for (Value result : body.getTerminator()->getOperands()) {
    const Tensor &t = get(result);
    outputs.emplace_back(t.shape(),
                         std::vector<float>(t.data(), t.data() + t.size()));
  }
  return outputs;
}

} // namespace

llvm::Expected<std::vector<Tensor>>
cnnc::reference::run(func::FuncOp func, ArrayRef<Tensor> inputs,
                     const Options &options) {
  unsigned threads = options.threads
                         ? options.threads
                         : std::max(1u, std::thread::hardware_concurrency());
  Interpreter interpreter(threads, options.observe);
  return interpreter.run(func, inputs);
}
