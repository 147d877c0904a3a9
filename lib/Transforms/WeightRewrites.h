//===- WeightRewrites.h - Shared by passes that rewrite weights -*- C++ -*-===//
//
// Private to lib/Transforms: the passes that compute new constant weights
// (folding BatchNorm or an input affine, pruning taps, regrouping
// transposed convs) name them after the weight they replace and run their
// patterns without moving constants.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_TRANSFORMS_WEIGHTREWRITES_H
#define CNNC_LIB_TRANSFORMS_WEIGHTREWRITES_H

#include "cnnc/Dialect/CNN/CNNOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <string>

namespace cnnc {

/// The blob name of `weight` (a `cnn.constant` of a dense resource) plus
/// `suffix`, or `fallback` for any other value.
inline std::string derivedWeightName(mlir::Value weight, llvm::StringRef suffix,
                                     llvm::StringRef fallback) {
  if (auto constant = weight.getDefiningOp<cnn::ConstantOp>())
    if (auto blob = llvm::dyn_cast<mlir::DenseResourceElementsAttr>(
            constant.getValue()))
      return blob.getRawHandle().getKey().str() + suffix.str();
  return fallback.str();
}

/// Applies `patterns` to `root` greedily with constants left where they
/// are (folding and constant CSE would hoist every weight to the top).
inline llvm::LogicalResult
applyKeepingConstants(mlir::Operation *root,
                      mlir::RewritePatternSet &&patterns) {
  mlir::GreedyRewriteConfig config;
  config.enableFolding(false).enableConstantCSE(false);
  return mlir::applyPatternsGreedily(root, std::move(patterns), config);
}

} // namespace cnnc

#endif // CNNC_LIB_TRANSFORMS_WEIGHTREWRITES_H
