//===- ModelFlags.cpp - The flags every tool that loads a model shares ----===//

#include "ModelFlags.h"
#include "CompileFlags.h"

#include "llvm/Support/WithColor.h"

using namespace llvm;

cl::OptionCategory &cnnc::modelFlagsCategory() {
  static cl::OptionCategory category("Model and weights");
  return category;
}

static cl::opt<std::string> modelFile(cl::Positional,
                                      cl::desc("<model.mlir|model.onnx>"),
                                      cl::Required,
                                      cl::cat(cnnc::modelFlagsCategory()));
static cl::opt<std::string>
    weightsFile("weights",
                cl::desc("Safetensors weights file (for an ONNX model: "
                         "overrides its initializers by name)"),
                cl::value_desc("file"), cl::cat(cnnc::modelFlagsCategory()));
static cl::opt<int64_t> randomWeights(
    "random-weights", cl::desc("Bind deterministic random weights from SEED"),
    cl::value_desc("seed"), cl::init(-1), cl::cat(cnnc::modelFlagsCategory()));
static cl::opt<std::string> inputShape(
    "input-shape",
    cl::desc("For an ONNX model: pins the input's shape, dynamic batch, "
             "height and width included (1x3x512x512)"),
    cl::value_desc("NxCxHxW"), cl::cat(cnnc::modelFlagsCategory()));
static cl::opt<std::string>
    function("function",
             cl::desc("The model function (default: the first one)"),
             cl::value_desc("name"), cl::cat(cnnc::modelFlagsCategory()));
static cl::opt<unsigned>
    optLevel("O", cl::Prefix,
             cl::desc("-O0 runs no pass, -O1 folds BatchNorm and layer "
                      "scale, -O2 also fuses (the default, but for cnn-run's "
                      "reference engine)"),
             cl::init(~0u), cl::cat(cnnc::compileFlagsCategory()));

cnnc::ModelSource cnnc::modelSourceFromFlags(bool verbose) {
  ModelSource source;
  source.path = modelFile;
  source.weightsFile = weightsFile;
  source.randomSeed = randomWeights;
  source.inputShape = inputShape;
  source.function = function;
  source.verbose = verbose;
  return source;
}

Expected<unsigned> cnnc::optLevelFromFlags(unsigned byDefault) {
  if (optLevel == ~0u)
    return byDefault;
  if (optLevel > 2)
    return createStringError(inconvertibleErrorCode(),
                             "-O" + std::to_string(optLevel) +
                                 " is not a level (use -O0, -O1, -O2)");
  return static_cast<unsigned>(optLevel);
}

int cnnc::reportError(StringRef tool, Error error) {
  handleAllErrors(
      std::move(error), [](const ReportedError &) {},
      [&](const ErrorInfoBase &e) {
        WithColor::error(errs(), tool) << e.message() << "\n";
      });
  return 1;
}
