//===- Lowering.h - cnn IR to one Halide pipeline ---------------*- C++ -*-===//

#ifndef CNNC_LIB_CODEGEN_LOWERING_H
#define CNNC_LIB_CODEGEN_LOWERING_H

#include "Stage.h"

#include "llvm/Support/Error.h"

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace cnnc::codegen {

struct LoweredModel {
  /// NCHW input: Halide dims (w, h, c, n).
  Halide::ImageParam input;
  /// NCHW (or [N, K]) output: Halide dims reversed from the shape.
  Halide::Func output;
  std::vector<int64_t> inputShape, outputShape;
  std::vector<Stage> stages;
  /// The repacked weights, each a parameter of the pipeline: AOT embeds
  /// them in a data section, the JIT binds them.
  std::vector<std::pair<Halide::ImageParam, Halide::Buffer<float>>> weights;
};

/// Byte alignment of every weight in the embedded data.
constexpr int kWeightAlignment = 64;

/// Lowers a function whose weights are bound (constants) and which takes
/// one 4-D input and returns one tensor. Constants are repacked into
/// Halide buffers in the order the schedules read them. With
/// `boundedWeights`, weights read as zero outside their buffers (for the
/// autoscheduler, whose tiles may reach past them).
llvm::Expected<LoweredModel> lowerToHalide(mlir::func::FuncOp func,
                                           bool boundedWeights = false);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_LOWERING_H
