//===- LoadModel.cpp - A model file parsed, its weights bound -------------===//

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

char cnnc::ReportedError::ID = 0;

static llvm::Error loadError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static llvm::Error reported() {
  return llvm::make_error<cnnc::ReportedError>();
}

/// The model with its weights bound: an ONNX model's own initializers,
/// which a checkpoint may override by name; a .mlir model's from a file or
/// a seed.
static llvm::Expected<OwningOpRef<ModuleOp>>
parseAndBind(MLIRContext &context, llvm::SourceMgr &sourceMgr,
             const cnnc::ModelSource &source,
             std::unique_ptr<cnnc::SafeTensorsFile> &weights) {
  const std::string &path = source.path;
  auto openWeights = [&]() -> llvm::Error {
    auto opened = cnnc::SafeTensorsFile::open(source.weightsFile);
    if (!opened)
      return opened.takeError();
    weights = std::move(*opened);
    return llvm::Error::success();
  };
  if (cnnc::isOnnxFile(path)) {
    if (source.randomSeed >= 0)
      return loadError(path + " carries its weights (its initializers): drop "
                              "--random-weights");
    cnnc::OnnxImportOptions options;
    if (!source.inputShape.empty()) {
      auto shape = cnnc::parseInputShape(source.inputShape);
      if (!shape)
        return shape.takeError();
      options.inputShape = std::move(*shape);
    }
    auto imported = cnnc::importOnnx(context, path, options);
    if (!imported || source.weightsFile.empty())
      return imported;
    if (llvm::Error e = openWeights())
      return std::move(e);
    if (failed(cnnc::overrideWeights(**imported, *weights, source.verbose)))
      return reported(); // on the module or the weights
    return imported;
  }
  if (!source.inputShape.empty())
    return loadError("--input-shape pins an ONNX model's input; " + path +
                     " states its shape (cnn-zoo --input-size and --batch "
                     "write another)");
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file)
    return loadError(error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return reported(); // with file:line:col
  if (source.weightsFile.empty() && source.randomSeed < 0) {
    // Bound already (cnn-import's output, say), or an error.
    cnnc::cnn::WeightOp unbound;
    module->walk([&](cnnc::cnn::WeightOp w) {
      unbound = w;
      return WalkResult::interrupt();
    });
    if (!unbound)
      return module;
    return loadError("give exactly one of --weights=FILE and "
                     "--random-weights=SEED: the model's weights are not bound "
                     "(such as '" +
                     unbound.getName().str() + "')");
  }
  error = checkWeightsFit(*module);
  if (!error.empty())
    return loadError(error);
  if (source.weightsFile.empty()) {
    cnnc::bindRandomWeights(*module, static_cast<uint64_t>(source.randomSeed));
    return module;
  }
  if (llvm::Error e = openWeights())
    return std::move(e);
  if (failed(cnnc::bindWeights(*module, *weights, source.verbose)))
    return reported(); // on the weight ops
  return module;
}

llvm::Expected<cnnc::LoadedModel> cnnc::loadModel(MLIRContext &context,
                                                  llvm::SourceMgr &sourceMgr,
                                                  const ModelSource &source) {
  context.loadDialect<cnnc::cnn::CNNDialect, func::FuncDialect>();
  if (!source.weightsFile.empty() && source.randomSeed >= 0)
    return loadError("give exactly one of --weights=FILE and "
                     "--random-weights=SEED");
  LoadedModel loaded;
  llvm::Expected<OwningOpRef<ModuleOp>> module =
      parseAndBind(context, sourceMgr, source, loaded.weights);
  if (!module)
    return module.takeError();
  loaded.module = std::move(*module);
  loaded.func = findModelFunction(*loaded.module, source.function);
  if (!loaded.func)
    return loadError(source.function.empty()
                         ? "no function with a body in " + source.path
                         : "no function @" + source.function + " in " +
                               source.path);
  return loaded;
}

func::FuncOp cnnc::findModelFunction(ModuleOp module, llvm::StringRef name) {
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isExternal() && (name.empty() || f.getSymName() == name))
      return f;
  return nullptr;
}
