//===- CNNOps.cpp - Verification and type inference of cnn ops ------------===//
//
// One `inferResultType` per op checks operands and attributes and computes the
// result type. Its errors name the op (through the emitter), the operand and
// the shapes involved.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/CNNOps.h"
#include "InferSupport.h"
#include "cnnc/Support/Shapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace cnnc::cnn::detail {

template <typename OpT>
LogicalResult inferSilently(typename OpT::Adaptor adaptor,
                            SmallVectorImpl<Type> &types) {
  FailureOr<Type> type =
      OpT::inferResultType(adaptor, [] { return InFlightDiagnostic(); });
  if (failed(type))
    return failure();
  types.push_back(*type);
  return success();
}

// Verification goes through `verify()`, which reports on the op; refinement
// only fills in types that are missing and never reports a second error.
template <typename OpT>
LogicalResult refineSilently(typename OpT::Adaptor adaptor,
                             SmallVectorImpl<Type> &types) {
  if (!types.empty())
    return success();
  return inferSilently<OpT>(adaptor, types);
}

template <typename OpT> LogicalResult verifyInferred(OpT op) {
  typename OpT::Adaptor adaptor(op);
  FailureOr<Type> inferred =
      OpT::inferResultType(adaptor, [&] { return op.emitOpError(); });
  if (failed(inferred))
    return failure();
  Type actual = op->getResult(0).getType();
  if (*inferred != actual)
    return op.emitOpError()
           << "result type " << actual << " does not match the inferred type "
           << *inferred;
  return success();
}

} // namespace cnnc::cnn::detail

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Checks that a per-channel operand (weight, bias, statistics) has exactly
/// `channels` elements.
static LogicalResult checkPerChannel(Value value, StringRef name,
                                     int64_t channels, StringRef perWhat,
                                     EmitErrorFn emitError) {
  FailureOr<RankedTensorType> type = rankedOperand(value, name, 1, emitError);
  if (failed(type))
    return failure();
  if (type->getDimSize(0) != channels)
    return emitError() << name << " " << *type << " must have " << channels
                       << " elements, one per " << perWhat;
  return success();
}

static LogicalResult checkWindowAttrs(ArrayRef<int64_t> stride,
                                      ArrayRef<int64_t> padding,
                                      ArrayRef<int64_t> dilation,
                                      EmitErrorFn emitError) {
  for (int64_t s : stride)
    if (s <= 0)
      return emitError() << "stride must be positive, got [" << stride << "]";
  for (int64_t p : padding)
    if (p < 0)
      return emitError() << "padding must be non-negative, got [" << padding
                         << "]";
  for (int64_t d : dilation)
    if (d <= 0)
      return emitError() << "dilation must be positive, got [" << dilation
                         << "]";
  return success();
}

/// A conv's (or transposed conv's) bias, one per output channel, and its
/// stride, padding and dilation.
template <typename ConvAdaptor>
static LogicalResult checkBiasAndWindow(ConvAdaptor op, int64_t outChannels,
                                        EmitErrorFn emitError) {
  if (Value bias = op.getBias())
    if (failed(checkPerChannel(bias, "bias", outChannels, "output channel",
                               emitError)))
      return failure();
  return checkWindowAttrs(op.getStride(), op.getPadding(), op.getDilation(),
                          emitError);
}

/// The window of dimension `dim` (0: height, 1: width).
static Window1D window(int dim, ArrayRef<int64_t> kernel,
                       ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
                       ArrayRef<int64_t> dilation, bool ceilMode) {
  Window1D w;
  w.kernel = kernel[dim];
  w.stride = stride[dim];
  w.padBegin = padding[dim];
  w.padEnd = padding[dim + 2];
  w.dilation = dilation[dim];
  w.ceilMode = ceilMode;
  return w;
}

//===----------------------------------------------------------------------===//
// weight, constant
//===----------------------------------------------------------------------===//

LogicalResult WeightOp::verify() {
  if (getName().empty())
    return emitOpError() << "needs a non-empty parameter name";
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
cnn::detail::inferConvShape(Value inputValue, Value weightValue, Value bias,
                            int64_t groups, ArrayRef<int64_t> stride,
                            ArrayRef<int64_t> padding,
                            ArrayRef<int64_t> dilation, EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(inputValue, "input", 4, emitError);
  FailureOr<RankedTensorType> weight =
      rankedOperand(weightValue, "weight", 4, emitError);
  if (failed(input) || failed(weight))
    return failure();
  int64_t channels = input->getDimSize(1);
  int64_t outChannels = weight->getDimSize(0);
  if (groups <= 0)
    return emitError() << "groups must be positive, got " << groups;
  if (channels % groups != 0)
    return emitError() << "input " << *input << " has " << channels
                       << " channels, not divisible by groups = " << groups;
  if (outChannels % groups != 0)
    return emitError() << "weight " << *weight << " has " << outChannels
                       << " output channels, not divisible by groups = "
                       << groups;
  if (weight->getDimSize(1) != channels / groups)
    return emitError() << "weight " << *weight << " has "
                       << weight->getDimSize(1)
                       << " input channels per group, but input " << *input
                       << " with groups = " << groups << " needs "
                       << channels / groups;
  if (bias && failed(checkPerChannel(bias, "bias", outChannels,
                                     "output channel", emitError)))
    return failure();
  if (failed(checkWindowAttrs(stride, padding, dilation, emitError)))
    return failure();
  SmallVector<int64_t, 4> shape = {input->getDimSize(0), outChannels};
  ArrayRef<int64_t> kernel = weight->getShape().drop_front(2);
  for (int dim = 0; dim < 2; ++dim) {
    Window1D w = window(dim, kernel, stride, padding, dilation,
                        /*ceilMode=*/false);
    std::optional<int64_t> size = convOutputSize(input->getDimSize(2 + dim), w);
    if (!size)
      return emitError() << "kernel " << kernel[0] << "x" << kernel[1]
                         << " (dilation [" << dilation
                         << "]) does not fit the input " << *input
                         << " padded by [" << padding << "]";
    shape.push_back(*size);
  }
  return shape;
}

FailureOr<Type> Conv2DOp::inferResultType(Adaptor op, EmitErrorFn emitError) {
  FailureOr<SmallVector<int64_t, 4>> shape =
      detail::inferConvShapeOf(op, emitError);
  if (failed(shape))
    return failure();
  if (std::optional<ArrayRef<float>> values = op.getPaddingValues()) {
    int64_t channels =
        llvm::cast<RankedTensorType>(op.getInput().getType()).getDimSize(1);
    if (static_cast<int64_t>(values->size()) != channels)
      return emitError() << "padding_values has " << values->size()
                         << " values, but input " << op.getInput().getType()
                         << " has " << channels << " channels";
    if (!llvm::all_of(*values, [](float v) { return std::isfinite(v); }))
      return emitError() << "padding_values must be finite";
  }
  return Type(tensorOf(
      *shape,
      llvm::cast<RankedTensorType>(op.getInput().getType()).getElementType()));
}

FailureOr<Type> ConvTranspose2DOp::inferResultType(Adaptor op,
                                                   EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(op.getInput(), "input", 4, emitError);
  FailureOr<RankedTensorType> weight =
      rankedOperand(op.getWeight(), "weight", 4, emitError);
  if (failed(input) || failed(weight))
    return failure();
  auto groups = static_cast<int64_t>(op.getGroups());
  const int64_t channels = input->getDimSize(1);
  if (groups <= 0 || channels % groups != 0)
    return emitError() << "groups " << groups << " must be positive and divide "
                       << "the " << channels << " channels of input " << *input;
  if (weight->getDimSize(0) != channels)
    return emitError() << "weight " << *weight << " must have the input's "
                       << channels
                       << " channels first ([C, O / groups, kh, "
                          "kw])";
  const int64_t outChannels = weight->getDimSize(1) * groups;
  if (failed(checkBiasAndWindow(op, outChannels, emitError)))
    return failure();
  SmallVector<int64_t, 4> shape = {input->getDimSize(0), outChannels};
  for (int dim = 0; dim < 2; ++dim) {
    const int64_t s = op.getStride()[dim], d = op.getDilation()[dim];
    const int64_t extra = op.getOutputPadding()[dim];
    if (extra < 0 || extra >= std::max(s, d))
      return emitError() << "output_padding must be below the stride or the "
                            "dilation, got ["
                         << op.getOutputPadding() << "]";
    // In checked arithmetic: the attributes come from model files.
    std::optional<int64_t> scattered =
        llvm::checkedMul<int64_t>(input->getDimSize(2 + dim) - 1, s);
    std::optional<int64_t> reach =
        llvm::checkedMul<int64_t>(d, weight->getDimSize(2 + dim) - 1);
    std::optional<int64_t> sum =
        scattered && reach ? llvm::checkedAdd<int64_t>(*scattered, *reach)
                           : std::nullopt;
    const int64_t limit = int64_t(1) << 40;
    if (!sum || *sum > limit || op.getPadding()[dim] > limit ||
        op.getPadding()[dim + 2] > limit)
      return emitError() << "stride [" << op.getStride() << "], dilation ["
                         << op.getDilation() << "] and padding ["
                         << op.getPadding() << "] are out of range";
    const int64_t size =
        *sum - op.getPadding()[dim] - op.getPadding()[dim + 2] + extra + 1;
    if (size < 1)
      return emitError() << "padding [" << op.getPadding()
                         << "] crops the whole output";
    shape.push_back(size);
  }
  return Type(tensorOf(shape, input->getElementType()));
}

//===----------------------------------------------------------------------===//
// batch_norm, layer_norm, group_norm
//===----------------------------------------------------------------------===//

/// A normalization keeps its input's type; every named operand holds one
/// value per channel and epsilon must be positive.
static FailureOr<Type>
inferNorm(Value inputValue,
          ArrayRef<std::pair<Value, StringRef>> perChannelOperands,
          const APFloat &epsilon, EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(inputValue, "input", 4, emitError);
  if (failed(input))
    return failure();
  for (auto [value, name] : perChannelOperands)
    if (failed(checkPerChannel(value, name, input->getDimSize(1),
                               "input channel", emitError)))
      return failure();
  if (!(epsilon.convertToDouble() > 0))
    return emitError() << "epsilon must be positive";
  return Type(*input);
}

FailureOr<Type> BatchNormOp::inferResultType(Adaptor op,
                                             EmitErrorFn emitError) {
  return inferNorm(op.getInput(),
                   {{op.getWeight(), "weight"},
                    {op.getBias(), "bias"},
                    {op.getMean(), "mean"},
                    {op.getVariance(), "variance"}},
                   op.getEpsilon(), emitError);
}

FailureOr<Type> LayerNormOp::inferResultType(Adaptor op,
                                             EmitErrorFn emitError) {
  return inferNorm(op.getInput(),
                   {{op.getWeight(), "weight"}, {op.getBias(), "bias"}},
                   op.getEpsilon(), emitError);
}

FailureOr<Type> GroupNormOp::inferResultType(Adaptor op,
                                             EmitErrorFn emitError) {
  FailureOr<Type> type = inferNorm(
      op.getInput(), {{op.getWeight(), "weight"}, {op.getBias(), "bias"}},
      op.getEpsilon(), emitError);
  if (failed(type))
    return failure();
  const int64_t channels = llvm::cast<RankedTensorType>(*type).getDimSize(1);
  const int64_t groups = static_cast<int64_t>(op.getGroups());
  if (groups < 1 || channels % groups != 0)
    return emitError() << "groups must be positive and divide the " << channels
                       << " channels, not " << groups;
  return type;
}

double GeluOp::evaluate(double x) {
  if (getApproximate() == GeluApproximation::Tanh) {
    const double k = std::sqrt(2.0 / M_PI);
    return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
  }
  return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}

//===----------------------------------------------------------------------===//
// binary ops (their inferResultType is CNN_BinaryOp's)
//===----------------------------------------------------------------------===//

FailureOr<Type> cnn::detail::inferBroadcastInto(Value lhsValue, Value rhsValue,
                                                EmitErrorFn emitError) {
  FailureOr<RankedTensorType> lhs =
      rankedOperand(lhsValue, "lhs", -1, emitError);
  FailureOr<RankedTensorType> rhs =
      rankedOperand(rhsValue, "rhs", -1, emitError);
  if (failed(lhs) || failed(rhs))
    return failure();
  if (!broadcastsInto(*rhs, *lhs))
    return emitError() << "rhs " << *rhs << " does not broadcast to lhs "
                       << *lhs;
  return Type(*lhs);
}

//===----------------------------------------------------------------------===//
// select
//===----------------------------------------------------------------------===//

LogicalResult SelectOp::verify() {
  auto out = llvm::cast<RankedTensorType>(getType());
  const char *names[] = {"condition", "on_true", "on_false"};
  for (auto [operand, name] : llvm::zip(getOperands(), names)) {
    auto type = llvm::cast<RankedTensorType>(operand.getType());
    if (!broadcastsInto(type, out))
      return emitOpError() << name << " " << type << " does not broadcast to "
                           << out;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Shared by max and average pooling.
static FailureOr<Type> inferPool(Value inputValue, ArrayRef<int64_t> kernel,
                                 ArrayRef<int64_t> stride,
                                 ArrayRef<int64_t> padding,
                                 ArrayRef<int64_t> dilation, bool ceilMode,
                                 EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(inputValue, "input", 4, emitError);
  if (failed(input))
    return failure();
  for (int64_t k : kernel)
    if (k <= 0)
      return emitError() << "kernel_size must be positive, got [" << kernel
                         << "]";
  if (failed(checkWindowAttrs(stride, padding, dilation, emitError)))
    return failure();
  SmallVector<int64_t, 4> shape = {input->getDimSize(0), input->getDimSize(1)};
  for (int dim = 0; dim < 2; ++dim) {
    Window1D w = window(dim, kernel, stride, padding, dilation, ceilMode);
    // PyTorch: padding may be at most half the kernel, so every window
    // holds at least one real input element.
    if (2 * std::max(w.padBegin, w.padEnd) > w.kernel)
      return emitError() << "padding [" << padding
                         << "] must be at most half of kernel_size [" << kernel
                         << "]";
    std::optional<int64_t> size = poolOutputSize(input->getDimSize(2 + dim), w);
    if (!size)
      return emitError() << "pool window " << kernel[0] << "x" << kernel[1]
                         << " is larger than the input " << *input
                         << " padded by [" << padding << "]";
    shape.push_back(*size);
  }
  return Type(tensorOf(shape, input->getElementType()));
}

FailureOr<Type> MaxPool2DOp::inferResultType(Adaptor op,
                                             EmitErrorFn emitError) {
  return inferPool(op.getInput(), op.getKernelSize(), op.getStride(),
                   op.getPadding(), op.getDilation(), op.getCeilMode(),
                   emitError);
}

FailureOr<Type> AvgPool2DOp::inferResultType(Adaptor op,
                                             EmitErrorFn emitError) {
  static const int64_t noDilation[] = {1, 1};
  return inferPool(op.getInput(), op.getKernelSize(), op.getStride(),
                   op.getPadding(), noDilation, op.getCeilMode(), emitError);
}

FailureOr<Type> AdaptiveAvgPool2DOp::inferResultType(Adaptor op,
                                                     EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(op.getInput(), "input", 4, emitError);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> size = op.getOutputSize();
  if (size[0] <= 0 || size[1] <= 0)
    return emitError() << "output_size must be positive, got [" << size << "]";
  return Type(
      tensorOf({input->getDimSize(0), input->getDimSize(1), size[0], size[1]},
               input->getElementType()));
}

//===----------------------------------------------------------------------===//
// linear, softmax
//===----------------------------------------------------------------------===//

FailureOr<Type> LinearOp::inferResultType(Adaptor op, EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(op.getInput(), "input", 2, emitError);
  FailureOr<RankedTensorType> weight =
      rankedOperand(op.getWeight(), "weight", 2, emitError);
  if (failed(input) || failed(weight))
    return failure();
  if (weight->getDimSize(1) != input->getDimSize(1))
    return emitError() << "weight " << *weight << " expects "
                       << weight->getDimSize(1) << " input features, but input "
                       << *input << " has " << input->getDimSize(1);
  if (Value bias = op.getBias())
    if (failed(checkPerChannel(bias, "bias", weight->getDimSize(0),
                               "output feature", emitError)))
      return failure();
  return Type(tensorOf({input->getDimSize(0), weight->getDimSize(0)},
                       input->getElementType()));
}

FailureOr<Type> cnn::detail::inferAlongAxis(Value inputValue, int64_t axis,
                                            EmitErrorFn emitError) {
  FailureOr<RankedTensorType> input =
      rankedOperand(inputValue, "input", -1, emitError);
  if (failed(input))
    return failure();
  if (normalizeDim(axis, input->getRank()) < 0)
    return emitError() << "axis " << axis << " is out of range for input "
                       << *input;
  return Type(*input);
}

//===----------------------------------------------------------------------===//
// group
//===----------------------------------------------------------------------===//

LogicalResult GroupOp::verify() {
  Block &body = getBody().front();
  auto yield = body.empty() ? YieldOp() : llvm::dyn_cast<YieldOp>(&body.back());
  if (!yield)
    return emitOpError() << "body must end in cnn.yield";
  if (yield.getValue().getType() != getType())
    return emitOpError() << "yields " << yield.getValue().getType()
                         << " but the group's result is " << getType();
  return success();
}

#include "cnnc/Dialect/CNN/CNNEnums.cpp.inc"
#include "cnnc/Dialect/CNN/CNNInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "cnnc/Dialect/CNN/CNNOps.cpp.inc"
