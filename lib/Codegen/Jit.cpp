//===- Jit.cpp - Models compiled in-process -------------------------------===//
//
// cnn-run's engine: the same pipeline as cnnc's, compiled by Halide's JIT
// for CPU targets, with the weights bound as buffers.
//
//===----------------------------------------------------------------------===//

#include "Build.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace cnnc;
using namespace cnnc::codegen;

struct JitModel::Impl {
  Built built;
};

JitModel::JitModel(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
JitModel::~JitModel() = default;

const std::vector<int64_t> &JitModel::inputShape() const {
  return impl->built.model.inputShape;
}
const std::vector<int64_t> &JitModel::outputShape() const {
  return impl->built.model.outputShape;
}

llvm::Expected<std::unique_ptr<JitModel>>
JitModel::create(mlir::func::FuncOp func, const CompileOptions &options) {
  auto impl = std::make_unique<Impl>();
  if (llvm::Error e = guarded([&]() -> llvm::Error {
        llvm::Expected<std::string> target = resolveTarget(options.target);
        if (!target)
          return target.takeError();
        if (Halide::Target(*target).has_gpu_feature())
          return failure("target '" + options.target +
                         "' needs a GPU runtime, which this in-process JIT "
                         "does not load (PoCL crashes beside libHalide's "
                         "LLVM): compile it with cnnc --emit=shared-library "
                         "and run it with cnn-exec");
        llvm::Expected<Built> built = build(func, options);
        if (!built)
          return built.takeError();
        impl->built = std::move(*built);
        for (auto &w : impl->built.model.weights)
          w.first.set(w.second);
        impl->built.pipeline.compile_jit(impl->built.target);
        return llvm::Error::success();
      }))
    return std::move(e);
  return std::unique_ptr<JitModel>(new JitModel(std::move(impl)));
}

llvm::Error JitModel::run(const float *input, float *output) {
  return guarded([&]() -> llvm::Error {
    auto reversed = [](const std::vector<int64_t> &shape) {
      std::vector<int> dims;
      for (size_t d = shape.size(); d-- > 0;)
        dims.push_back(static_cast<int>(shape[d]));
      return dims;
    };
    LoweredModel &m = impl->built.model;
    Halide::Buffer<float> in(const_cast<float *>(input),
                             reversed(m.inputShape));
    Halide::Buffer<float> out(output, reversed(m.outputShape));
    m.input.set(in);
    impl->built.pipeline.realize(out, impl->built.target);
    return llvm::Error::success();
  });
}
