//===- Passes.h - Passes over the cnn dialect -------------------*- C++ -*-===//

#ifndef CNNC_TRANSFORMS_PASSES_H
#define CNNC_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace cnnc {

#define GEN_PASS_DECL
#include "cnnc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "cnnc/Transforms/Passes.h.inc"

/// The optimization pipeline: at level 0 nothing; at 1 canonicalization and
/// the constant folds (BatchNorm, layer scale, dead taps); at 2 also every
/// fusion.
void buildOptimizePipeline(mlir::OpPassManager &pm, unsigned level);

/// Its two halves: the folds, then the fusions (with canonicalization and
/// CSE). Int8 quantization runs between them, on folded convs that are not
/// yet grouped.
void buildFoldPipeline(mlir::OpPassManager &pm, unsigned level);
void buildFusePipeline(mlir::OpPassManager &pm, unsigned level);

/// Registers --cnn-optimize (level 2) with cnn-opt's pass registry.
void registerCNNPipelines();

} // namespace cnnc

#endif // CNNC_TRANSFORMS_PASSES_H
