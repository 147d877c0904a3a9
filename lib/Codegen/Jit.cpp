//===- Jit.cpp - Models compiled and loaded in-process --------------------===//
//
// cnn-run's engine: the model is compiled exactly as cnnc compiles it, to a
// shared library (its kernels through the compile cache), and loaded. One
// path to test and profile; a cached model loads in a second.
//
//===----------------------------------------------------------------------===//

#include "Build.h"
#include "KernelCache.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>

using namespace cnnc;
using namespace cnnc::codegen;

CompileOptions codegen::jitOptions(const CompileOptions &options) {
  CompileOptions shared = options;
  shared.emit = EmitKind::SharedLibrary;
  shared.functionName = "model";
  return shared;
}

llvm::Expected<std::unique_ptr<LoadedModel>>
codegen::loadBuilt(const Built &built, const CompileOptions &options) {
  auto loaded = std::make_unique<LoadedModel>();
  Scratch scratch;
  llvm::Expected<std::string> library = scratch.make("so");
  if (!library)
    return library.takeError();
  if (llvm::Error e = emitBuilt(built, options, *library))
    return std::move(e);
  // Loaded, the files can go with the scratch directory (the mapping
  // stays): the library and the header written beside it.
  loaded->library = dlopen(library->c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!loaded->library)
    return failure(llvm::Twine("cannot load the compiled model: ") + dlerror());
  loaded->run = reinterpret_cast<int (*)(const float *, float *)>(
      dlsym(loaded->library, "model_run"));
  loaded->runProfiled =
      reinterpret_cast<int (*)(const float *, float *, double *)>(
          dlsym(loaded->library, "model_run_profiled"));
  if (!loaded->run || !loaded->runProfiled)
    return failure("the compiled model lacks its entry points");
  return loaded;
}

struct JitModel::Impl {
  std::vector<int64_t> inputShape, outputShape;
  std::vector<StageInfo> stages;
  std::unique_ptr<LoadedModel> loaded;
};

JitModel::JitModel(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
JitModel::~JitModel() = default;

const std::vector<int64_t> &JitModel::inputShape() const {
  return impl->inputShape;
}
const std::vector<int64_t> &JitModel::outputShape() const {
  return impl->outputShape;
}
const std::vector<StageInfo> &JitModel::stages() const { return impl->stages; }

llvm::Expected<std::unique_ptr<JitModel>>
JitModel::create(mlir::func::FuncOp func, const CompileOptions &options) {
  auto impl = std::make_unique<Impl>();
  if (llvm::Error e = guarded([&]() -> llvm::Error {
        llvm::Expected<std::string> target = resolveTarget(options.target);
        if (!target)
          return target.takeError();
        if (Halide::Target(*target).has_gpu_feature())
          return failure("target '" + options.target +
                         "' needs a GPU runtime, which does not load beside "
                         "libHalide's LLVM (PoCL crashes): compile it with "
                         "cnnc --emit=shared-library and run it with "
                         "cnn-exec");
        CompileOptions shared = jitOptions(options);
        llvm::Expected<Built> built = build(func, shared);
        if (!built)
          return built.takeError();
        for (const Stage &s : built->model.stages)
          impl->stages.push_back({s.layer, s.ops, s.shape, s.macs});
        impl->inputShape = built->model.inputShape;
        impl->outputShape = built->model.outputShape;
        llvm::Expected<std::unique_ptr<LoadedModel>> loaded =
            loadBuilt(*built, shared);
        if (!loaded)
          return loaded.takeError();
        impl->loaded = std::move(*loaded);
        return llvm::Error::success();
      }))
    return std::move(e);
  return std::unique_ptr<JitModel>(new JitModel(std::move(impl)));
}

llvm::Error JitModel::run(const float *input, float *output) {
  if (int rc = impl->loaded->run(input, output))
    return failure("the model failed (Halide error " + llvm::Twine(rc) + ")");
  return llvm::Error::success();
}

llvm::Error JitModel::runProfiled(const float *input, float *output,
                                  std::vector<double> &seconds) {
  seconds.assign(impl->stages.size(), 0.0);
  if (int rc = impl->loaded->runProfiled(input, output, seconds.data()))
    return failure("the model failed (Halide error " + llvm::Twine(rc) + ")");
  return llvm::Error::success();
}
