//===- QuantizedTables.cpp - Activations of u8 values as tables -----------===//
//
// A dequantize followed by activations (and a quantize) is a function of a
// u8 value: 256 inputs. It becomes a cnn.lookup_table evaluated here, each
// step as the reference interpreter takes it (Quantization.h's rounding,
// each activation's evaluate() rounded to f32), so the table is exactly
// what the ops computed; a SiLU between int8 convs then costs a load per
// element instead of an exponential, and stays exact (Passes.td).
//
//===----------------------------------------------------------------------===//

#include "WeightRewrites.h"
#include "cnnc/Support/Quantization.h"
#include "cnnc/Transforms/Passes.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNQUANTIZEDTABLES
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

struct TabulateActivations : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DequantizeOp dequantize,
                                PatternRewriter &rewriter) const override {
    // The activations that each are the only reader of the one before.
    SmallVector<ActivationOpInterface> activations;
    Value value = dequantize.getResult();
    while (value.hasOneUse()) {
      auto activation =
          llvm::dyn_cast<ActivationOpInterface>(*value.getUsers().begin());
      if (!activation)
        break;
      activations.push_back(activation);
      value = activation->getResult(0);
    }
    if (activations.empty())
      return rewriter.notifyMatchFailure(dequantize, "no activation after it");
    QuantizeOp quantize =
        value.hasOneUse()
            ? llvm::dyn_cast<QuantizeOp>(*value.getUsers().begin())
            : QuantizeOp();

    const quant::Params in{dequantize.getScale().convertToFloat(),
                           static_cast<int32_t>(dequantize.getZeroPoint())};
    std::vector<float> table(256);
    for (int32_t q = 0; q < 256; ++q) {
      float x = quant::dequantize(q, in);
      for (ActivationOpInterface activation : activations)
        x = static_cast<float>(activation.evaluate(x));
      if (quantize)
        x = quant::quantize(
            x, quant::inverseScale(quantize.getScale().convertToFloat()),
            static_cast<int32_t>(quantize.getZeroPoint()));
      table[q] = x;
    }
    Operation *last =
        quantize ? quantize.getOperation() : activations.back().getOperation();
    auto lookup = LookupTableOp::create(
        rewriter, last->getLoc(), last->getResult(0).getType(),
        dequantize.getInput(), rewriter.getDenseF32ArrayAttr(table));
    // The last op goes with the replacement; the ones before it, now
    // unused, from the end.
    rewriter.replaceOp(last, lookup.getResult());
    if (!quantize)
      activations.pop_back();
    for (ActivationOpInterface activation : llvm::reverse(activations))
      rewriter.eraseOp(activation);
    rewriter.eraseOp(dequantize);
    return success();
  }
};

struct CNNQuantizedTablesPass
    : cnnc::impl::CNNQuantizedTablesBase<CNNQuantizedTablesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TabulateActivations>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
