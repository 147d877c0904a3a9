//===- Build.h - A model as one scheduled Halide pipeline -------*- C++ -*-===//
//
// Private to lib/Codegen: what the ahead-of-time compiler (Compile.cpp),
// the artifacts it writes (Artifacts.cpp) and the JIT (Jit.cpp) share.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_BUILD_H
#define CNNC_LIB_CODEGEN_BUILD_H

#include "Lowering.h"
#include "cnnc/Codegen/Codegen.h"

namespace cnnc::codegen {

inline llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The pipeline of a model, lowered, constrained and scheduled.
struct Built {
  LoweredModel model;
  Halide::Pipeline pipeline;
  Halide::Target target;
  std::string name;
};

/// Lowers `func`, fixes its input and output shapes (any other buffer is a
/// Halide error), and schedules it for the resolved target: the schedule
/// library (CPU or GPU) or Halide's Adams2019 autoscheduler.
llvm::Expected<Built> build(mlir::func::FuncOp func,
                            const CompileOptions &options);

/// Runs Halide work, turning its exceptions into errors.
template <typename Fn> llvm::Error guarded(Fn fn) {
  try {
    return fn();
  } catch (const Halide::Error &e) {
    return failure(llvm::Twine("Halide: ") + e.what());
  }
}

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_BUILD_H
