//===- LoadModel.cpp - Parsing a model file and binding its weights -------===//

#include "cnnc/Import/LoadModel.h"
#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Import/OnnxImport.h"
#include "cnnc/Support/Memory.h"
#include "cnnc/Weights/BindWeights.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

using namespace mlir;

/// Empty if the weights `module` wants fit in memory, else why not; checked
/// before any is bound (random weights are made, others converted).
static std::string checkWeightsFit(ModuleOp module) {
  uint64_t total = 0, largest = 0;
  std::string largestName;
  module.walk([&](cnnc::cnn::WeightOp weight) {
    uint64_t bytes = cnnc::f32Bytes(
        llvm::cast<RankedTensorType>(weight.getType()).getShape());
    total = cnnc::saturatingAdd(total, bytes);
    if (bytes > largest) {
      largest = bytes;
      largestName = weight.getName().str();
    }
  });
  return cnnc::checkFitsInMemory(
      total, "the model's weights (the largest is '" + largestName + "')");
}

/// Maps and validates `path` into `weights`, or says why not in `error`.
static bool openWeights(llvm::StringRef path,
                        std::unique_ptr<cnnc::SafeTensorsFile> &weights,
                        std::string &error) {
  auto opened = cnnc::SafeTensorsFile::open(path);
  if (!opened) {
    error = llvm::toString(opened.takeError());
    return false;
  }
  weights = std::move(*opened);
  return true;
}

OwningOpRef<ModuleOp>
cnnc::loadModel(MLIRContext &context, llvm::SourceMgr &sourceMgr,
                llvm::StringRef path, llvm::StringRef weightsFile,
                int64_t randomSeed, bool verbose,
                std::unique_ptr<SafeTensorsFile> &weights, std::string &error) {
  context.loadDialect<cnn::CNNDialect, func::FuncDialect>();
  if (isOnnxFile(path)) {
    if (randomSeed >= 0) {
      error = path.str() + " carries its weights (its initializers): drop "
                           "--random-weights";
      return nullptr;
    }
    auto imported = importOnnx(context, path);
    if (!imported) {
      error = llvm::toString(imported.takeError());
      return nullptr;
    }
    if (weightsFile.empty())
      return std::move(*imported);
    // A checkpoint overrides initializers by name.
    if (!openWeights(weightsFile, weights, error))
      return nullptr;
    if (failed(overrideWeights(**imported, *weights, verbose)))
      return nullptr; // reported on the module or the weights
    return std::move(*imported);
  }
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file)
    return nullptr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return nullptr; // reported with file:line:col

  if (weightsFile.empty() && randomSeed < 0) {
    // Bound already (cnn-import's output, say), or an error.
    cnn::WeightOp unbound;
    module->walk([&](cnn::WeightOp w) {
      unbound = w;
      return WalkResult::interrupt();
    });
    if (!unbound)
      return module;
    error = "give exactly one of --weights=FILE and --random-weights=SEED: "
            "the model's weights are not bound (such as '" +
            unbound.getName().str() + "')";
    return nullptr;
  }
  error = checkWeightsFit(*module);
  if (!error.empty())
    return nullptr;
  if (weightsFile.empty()) {
    bindRandomWeights(*module, static_cast<uint64_t>(randomSeed));
    return module;
  }
  if (!openWeights(weightsFile, weights, error))
    return nullptr;
  if (failed(bindWeights(*module, *weights, verbose)))
    return nullptr; // reported on the weight ops
  return module;
}

func::FuncOp cnnc::findModelFunction(ModuleOp module, llvm::StringRef name) {
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isExternal() && (name.empty() || f.getSymName() == name))
      return f;
  return nullptr;
}
