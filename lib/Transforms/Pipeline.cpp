//===- Pipeline.cpp - The --cnn-optimize pipeline -------------------------===//

#include "cnnc/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void cnnc::buildFoldPipeline(OpPassManager &pm, unsigned level) {
  if (level == 0)
    return;
  pm.nest<func::FuncOp>().addPass(createCNNRecompose());
  pm.addPass(createCanonicalizerPass());
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createCNNFoldBatchNorm());
  func.addPass(createCNNFoldAffineIntoConv());
  func.addPass(createCNNPruneDeadTaps());
  func.addPass(createCNNConvTransposeAsShuffle());
  // Last: the folds above leave a QDQ model's convs alone (each reads a
  // dequantize and feeds a quantize), and --quantize=int8 then calibrates
  // only what the model did not quantize itself.
  func.addPass(createCNNQdqToInt8());
}

void cnnc::buildFusePipeline(OpPassManager &pm, unsigned level) {
  // At every level: code generation computes activations of u8 values by
  // table, so that they round as the reference interpreter does; and
  // before the fusions, for which a table is one elementwise op.
  pm.nest<func::FuncOp>().addPass(createCNNQuantizedTables());
  if (level == 0)
    return;
  if (level >= 2) {
    OpPassManager &func = pm.nest<func::FuncOp>();
    // Epilogues first: the depthwise fusion merges whole conv groups.
    func.addPass(createCNNFuseConvEpilogue());
    func.addPass(createCNNFuseNormActivation());
    func.addPass(createCNNFuseDepthwisePointwise());
    func.addPass(createCNNFuseConvPrologue());
    func.addPass(createCNNFuseElementwise());
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void cnnc::buildOptimizePipeline(OpPassManager &pm, unsigned level) {
  buildFoldPipeline(pm, level);
  buildFusePipeline(pm, level);
}

void cnnc::registerCNNPipelines() {
  PassPipelineRegistration<>(
      "cnn-optimize",
      "Fold BatchNorm and layer scale, fuse conv epilogues, norm + "
      "activation and depthwise + pointwise blocks (-O2)",
      [](OpPassManager &pm) { buildOptimizePipeline(pm, 2); });
}
