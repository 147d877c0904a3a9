//===- CNNQuantOps.cpp - Type inference of the int8 ops -------------------===//
//
// quantize, dequantize and qconv2d: their checks and result types.
//
//===----------------------------------------------------------------------===//

#include "InferSupport.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Support/Quantization.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

/// A scale must be a positive finite f32; a zero point one of u8's values.
static LogicalResult checkScaleAndZeroPoint(StringRef what, float scale,
                                            int64_t zeroPoint,
                                            EmitErrorFn emitError) {
  if (!(scale > 0.0f) || !std::isfinite(scale))
    return emitError() << what << "scale must be positive and finite, got "
                       << scale;
  if (zeroPoint < quant::kActivationMin || zeroPoint > quant::kActivationMax)
    return emitError() << what << "zero_point must be in [0, 255], got "
                       << zeroPoint;
  return success();
}

/// `input`'s shape with `element` values.
static FailureOr<Type> converted(Value input, Type element,
                                 EmitErrorFn emitError) {
  FailureOr<RankedTensorType> type =
      rankedOperand(input, "input", -1, emitError);
  if (failed(type))
    return failure();
  return Type(tensorOf(type->getShape(), element));
}

FailureOr<Type> QuantizeOp::inferResultType(Adaptor op, EmitErrorFn emitError) {
  if (failed(checkScaleAndZeroPoint("", op.getScale().convertToFloat(),
                                    static_cast<int64_t>(op.getZeroPoint()),
                                    emitError)))
    return failure();
  Builder b(op.getInput().getContext());
  return converted(op.getInput(), b.getIntegerType(8, /*isSigned=*/false),
                   emitError);
}

OpFoldResult QuantizeOp::fold(FoldAdaptor) {
  auto dequantize = getInput().getDefiningOp<DequantizeOp>();
  if (dequantize && dequantize.getScale() == getScale() &&
      dequantize.getZeroPoint() == getZeroPoint())
    return dequantize.getInput();
  return {};
}

/// quantize(max_pool2d(dequantize(q))) with the same parameters is
/// max_pool2d(q): dequantization keeps order, and quantizing a dequantized
/// value gives it back. The f32 pool's other readers (a residual) read the
/// u8 pool dequantized, which is the same values.
static LogicalResult poolQuantized(QuantizeOp op, PatternRewriter &rewriter) {
  auto pool = op.getInput().getDefiningOp<MaxPool2DOp>();
  if (!pool)
    return failure();
  auto dequantize = pool.getInput().getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getScale() != op.getScale() ||
      dequantize.getZeroPoint() != op.getZeroPoint())
    return failure();
  auto u8 = RankedTensorType::get(
      llvm::cast<RankedTensorType>(pool.getType()).getShape(),
      op.getType().getElementType());
  rewriter.setInsertionPoint(pool);
  auto quantized = MaxPool2DOp::create(
      rewriter, pool.getLoc(), u8, dequantize.getInput(),
      pool.getKernelSizeAttr(), pool.getStrideAttr(), pool.getPaddingAttr(),
      pool.getDilationAttr(), pool.getCeilModeAttr());
  rewriter.replaceOp(op, quantized.getResult());
  if (!pool->use_empty())
    rewriter.replaceOpWithNewOp<DequantizeOp>(
        pool, pool.getType(), quantized.getResult(), dequantize.getScaleAttr(),
        dequantize.getZeroPointAttr());
  else
    rewriter.eraseOp(pool);
  return success();
}

void QuantizeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                             MLIRContext *) {
  results.add(poolQuantized);
}

FailureOr<Type> DequantizeOp::inferResultType(Adaptor op,
                                              EmitErrorFn emitError) {
  if (failed(checkScaleAndZeroPoint("", op.getScale().convertToFloat(),
                                    static_cast<int64_t>(op.getZeroPoint()),
                                    emitError)))
    return failure();
  return converted(op.getInput(),
                   Builder(op.getInput().getContext()).getF32Type(), emitError);
}

FailureOr<Type> QConv2DOp::inferResultType(Adaptor op, EmitErrorFn emitError) {
  FailureOr<SmallVector<int64_t, 4>> shape =
      detail::inferConvShapeOf(op, emitError);
  if (failed(shape))
    return failure();
  if (failed(checkScaleAndZeroPoint(
          "input_", op.getInputScale().convertToFloat(),
          static_cast<int64_t>(op.getInputZeroPoint()), emitError)))
    return failure();
  std::optional<APFloat> outputScale = op.getOutputScale();
  std::optional<uint64_t> outputZeroPoint = op.getOutputZeroPoint();
  if (outputScale.has_value() != outputZeroPoint.has_value())
    return emitError() << "has "
                       << (outputScale ? "output_scale" : "output_zero_point")
                       << " without "
                       << (outputScale ? "output_zero_point" : "output_scale")
                       << ": a u8 output needs both, an f32 output neither";
  if (outputScale && failed(checkScaleAndZeroPoint(
                         "output_", outputScale->convertToFloat(),
                         static_cast<int64_t>(*outputZeroPoint), emitError)))
    return failure();
  ArrayRef<float> weightScales = op.getWeightScales();
  if (static_cast<int64_t>(weightScales.size()) != (*shape)[1])
    return emitError() << "weight_scales has " << weightScales.size()
                       << " values, but the weight has " << (*shape)[1]
                       << " output channels";
  for (float s : weightScales)
    if (!(s > 0.0f) || !std::isfinite(s))
      return emitError() << "weight_scales must be positive and finite, got "
                         << s;
  Builder b(op.getInput().getContext());
  Type element = outputScale ? Type(b.getIntegerType(8, /*isSigned=*/false))
                             : Type(b.getF32Type());
  return Type(tensorOf(*shape, element));
}

LogicalResult LookupTableOp::verify() {
  auto in = llvm::cast<RankedTensorType>(getInput().getType());
  auto out = llvm::cast<RankedTensorType>(getResult().getType());
  if (in.getShape() != out.getShape())
    return emitOpError("result shape differs from the input's");
  ArrayRef<float> table = getTable();
  if (table.size() != 256)
    return emitOpError("table has ") << table.size() << " values, not 256";
  if (out.getElementType().isUnsignedInteger(8))
    for (float v : table)
      if (!(v >= 0.0f && v <= 255.0f) || v != std::nearbyint(v))
        return emitOpError("table value ")
               << v << " is not a u8 value, as a ui8 result needs";
  return success();
}
