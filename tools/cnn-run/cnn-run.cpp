//===- cnn-run.cpp - Run a cnn model on an input --------------------------===//
//
//   cnn-run MODEL.mlir (--weights=W | --random-weights=S)
//           (--input=in.npy | --random-input=S) [--output=out.npy] [--top=K]
//           [--engine=reference] [--bench=N] [--profile[=json]] [--target=T]
//           [--cache-dir=D | --no-cache] [-jN] [--quiet]
//
//===----------------------------------------------------------------------===//

#include "CompileFlags.h"
#include "ModelFlags.h"
#include "Profile.h"
#include "QuantizeFlags.h"
#include "cnnc/Codegen/Codegen.h"
#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Import/LoadModel.h"
#include "cnnc/Reference/Interpreter.h"
#include "cnnc/Support/Memory.h"
#include "cnnc/Support/Random.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/Npy.h"
#include "cnnc/Weights/SafeTensors.h"
#include "peak.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <numeric>
#include <thread>

using namespace llvm;
namespace ref = cnnc::reference;

static cl::OptionCategory dataCategory("Input and output");
static cl::OptionCategory engineCategory("Engine");

static cl::opt<std::string> inputFile("input",
                                      cl::desc("Input .npy (f32, NCHW)"),
                                      cl::value_desc("file"),
                                      cl::cat(dataCategory));
static cl::opt<int64_t>
    randomInput("random-input",
                cl::desc("Use a deterministic random input from SEED"),
                cl::value_desc("seed"), cl::init(-1), cl::cat(dataCategory));
static cl::opt<std::string> outputFile("output",
                                       cl::desc("Write the output as .npy"),
                                       cl::value_desc("file"),
                                       cl::cat(dataCategory));
static cl::opt<std::string>
    saveInput("save-input",
              cl::desc("Write the input used as .npy (with --random-input)"),
              cl::value_desc("file"), cl::cat(dataCategory));
static cl::opt<unsigned> topK("top", cl::desc("Print the K best classes"),
                              cl::init(5), cl::cat(dataCategory));
enum class Engine { Halide, Reference };
static cl::opt<Engine> engine(
    "engine", cl::desc("How to run the model"), cl::init(Engine::Halide),
    cl::values(clEnumValN(Engine::Halide, "halide",
                          "compiled as cnnc compiles it, loaded in-process "
                          "(the default)"),
               clEnumValN(Engine::Reference, "reference",
                          "the reference interpreter (plain C++ loops)")),
    cl::cat(engineCategory));
static cl::opt<unsigned>
    benchRuns("bench",
              cl::desc("Time N runs after a warm-up and print the latency"),
              cl::value_desc("N"), cl::init(0), cl::cat(engineCategory));
enum class Profile { None, Text, Json };
static cl::opt<Profile> profile(
    "profile",
    cl::desc("Time each stage (median over --bench runs, default 20) and "
             "print a row per stage"),
    cl::ValueOptional, cl::init(Profile::None),
    cl::values(clEnumValN(Profile::Text, "", "a table (the default)"),
               clEnumValN(Profile::Text, "text", "a table"),
               clEnumValN(Profile::Json, "json", "JSON, for tools")),
    cl::cat(engineCategory));
static cl::opt<double>
    peakGflops("peak",
               cl::desc("The machine's fp32 peak, for the profile's "
                        "share of peak (default: measured)"),
               cl::value_desc("GFLOP/s"), cl::init(0), cl::cat(engineCategory));
static cl::opt<bool>
    verbose("verbose",
            cl::desc("List unused tensors of the weights file; print the "
                     "compiled model's stages, kernels and memory"),
            cl::cat(cnnc::modelFlagsCategory()));
static int fail(const Twine &message) {
  WithColor::error(errs(), "cnn-run") << message << "\n";
  return 1;
}

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (auto [i, d] : enumerate(shape))
    text += (i ? ", " : "") + std::to_string(d);
  return text + "]";
}

/// Prints the K largest entries of each row of a [N, classes] output.
static void printTop(const ref::Tensor &output, unsigned k) {
  if (output.shape().size() != 2 || k == 0)
    return;
  int64_t rows = output.dim(0), classes = output.dim(1);
  k = std::min<int64_t>(k, classes);
  for (int64_t row = 0; row < rows; ++row) {
    const float *logits = output.data() + row * classes;
    std::vector<int64_t> order(classes);
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int64_t a, int64_t b) {
                        return logits[a] > logits[b] ||
                               (logits[a] == logits[b] && a < b);
                      });
    outs() << "top-" << k << " (batch " << row << "):\n";
    for (unsigned i = 0; i < k; ++i)
      outs() << format("  %u. class %4lld  score %.6g\n", i + 1,
                       static_cast<long long>(order[i]), logits[order[i]]);
  }
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cnnc::removeScratchOnTermination();
  // libLLVM registers a `-threads` option of its own; rename it so that
  // ours, the flag users expect, can take the name.
  auto registered = cl::getRegisteredOptions();
  if (auto it = registered.find("threads"); it != registered.end())
    it->second->setArgStr("llvm-threads");
  static cl::opt<unsigned> threads("threads",
                                   cl::desc("Threads (0: one per core)"),
                                   cl::init(0), cl::cat(engineCategory));
  cl::HideUnrelatedOptions({&cnnc::modelFlagsCategory(), &dataCategory,
                            &engineCategory, &cnnc::compileFlagsCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "cnn-run: runs a cnn model compiled in-process as cnnc compiles it, "
      "or interpreted\n\n"
      "Examples:\n"
      "  cnn-run models/resnet50.mlir --weights=resnet50.safetensors "
      "--input=image.npy --top=5\n"
      "  cnn-run unet.onnx --input-shape=1x3x512x512 --random-input=1 "
      "--bench=50 --profile\n");
  if (profile != Profile::None && engine == Engine::Reference)
    return fail("--profile times compiled stages: use it without "
                "--engine=reference");
  if (inputFile.empty() == (randomInput < 0))
    return fail("give exactly one of --input=FILE and --random-input=SEED");
  Expected<unsigned> level =
      cnnc::optLevelFromFlags(engine == Engine::Halide ? 2 : 0);
  if (!level)
    return cnnc::reportError("cnn-run", level.takeError());

  mlir::MLIRContext context;
  SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  cnnc::ModelSource source = cnnc::modelSourceFromFlags(verbose);
  Expected<cnnc::LoadedModel> model =
      cnnc::loadModel(context, sourceMgr, source);
  if (!model)
    return cnnc::reportError("cnn-run", model.takeError());
  mlir::OwningOpRef<mlir::ModuleOp> &module = model->module;
  mlir::func::FuncOp func = model->func;
  if (func.getNumArguments() != 1)
    return fail("@" + func.getSymName() + " takes " +
                Twine(func.getNumArguments()) + " inputs; cnn-run feeds one");

  if (Error error = cnnc::optimizeFromFlags(*module, func.getSymName(), *level))
    return cnnc::reportError("cnn-run", std::move(error));

  // Input.
  auto argType =
      llvm::cast<mlir::RankedTensorType>(func.getArgument(0).getType());
  std::vector<int64_t> inputShape(argType.getShape().begin(),
                                  argType.getShape().end());
  ref::Tensor input;
  if (randomInput >= 0) {
    std::string tooLarge = cnnc::checkFitsInMemory(cnnc::f32Bytes(inputShape),
                                                   "the input's values " +
                                                       shapeString(inputShape));
    if (!tooLarge.empty())
      return fail(tooLarge);
    input = ref::Tensor(inputShape);
    cnnc::Random random(static_cast<uint64_t>(randomInput), "input");
    for (int64_t i = 0; i < input.size(); ++i)
      input.data()[i] = random.uniform(-1.0f, 1.0f);
  } else {
    Expected<cnnc::NpyArray> array = cnnc::readNpy(inputFile);
    if (!array)
      return fail(toString(array.takeError()));
    if (array->shape != inputShape)
      return fail("input " + inputFile + " has shape " +
                  shapeString(array->shape) + ", but @" + func.getSymName() +
                  " takes " + shapeString(inputShape));
    input = ref::Tensor(array->shape, std::move(array->data));
  }

  if (!saveInput.empty())
    if (Error error = cnnc::writeNpy(saveInput, input.shape(), input.values()))
      return fail("cannot write " + saveInput + ": " +
                  toString(std::move(error)));

  std::vector<ref::Tensor> outputs;
  std::vector<double> times;
  auto timed = [&](auto runOnce) -> Error {
    for (unsigned i = 0; i < 1 + benchRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (Error error = runOnce())
        return error;
      std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      if (i > 0) // the first run warms up
        times.push_back(took.count());
    }
    return Error::success();
  };
  if (engine == Engine::Reference) {
    ref::Options options;
    options.threads = threads;
    Error error = timed([&]() -> Error {
      Expected<std::vector<ref::Tensor>> result =
          ref::run(func, input, options);
      if (!result)
        return result.takeError();
      outputs = std::move(*result);
      return Error::success();
    });
    if (error)
      return fail(toString(std::move(error)));
  } else {
    if (threads > 0)
      setenv("HL_NUM_THREADS", std::to_string(threads).c_str(), 1);
    Expected<cnnc::CompileOptions> flags = cnnc::compileOptionsFromFlags();
    if (!flags)
      return fail(toString(flags.takeError()));
    cnnc::CompileOptions options = std::move(*flags);
    options.verbose = verbose;
    Expected<std::unique_ptr<cnnc::JitModel>> model =
        cnnc::JitModel::create(func, options);
    if (!model)
      return fail(toString(model.takeError()));
    ref::Tensor result((*model)->outputShape());
    if (profile != Profile::None && benchRuns == 0)
      benchRuns = 20;
    Error error = timed(
        [&]() -> Error { return (*model)->run(input.data(), result.data()); });
    if (error)
      return fail(toString(std::move(error)));
    if (profile != Profile::None) {
      // The latency the rows are compared with comes from the same runs.
      std::vector<std::vector<double>> stageTimes;
      std::vector<double> wall;
      for (unsigned i = 0; i < benchRuns; ++i) {
        std::vector<double> seconds;
        auto start = std::chrono::steady_clock::now();
        if (Error e =
                (*model)->runProfiled(input.data(), result.data(), seconds))
          return fail(toString(std::move(e)));
        wall.push_back(std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count());
        stageTimes.push_back(std::move(seconds));
      }
      std::sort(wall.begin(), wall.end());
      double peak = peakGflops > 0 ? peakGflops
                                   : cnnc_peak_gflops(static_cast<int>(
                                         std::thread::hardware_concurrency()));
      cnnc::printProfile(outs(), (*model)->stages(), stageTimes,
                         wall[wall.size() / 2], peak, profile == Profile::Json);
    }
    outputs.push_back(std::move(result));
  }
  const ref::Tensor &output = outputs.front();

  if (!outputFile.empty())
    if (Error error =
            cnnc::writeNpy(outputFile, output.shape(), output.values()))
      return fail("cannot write " + outputFile + ": " +
                  toString(std::move(error)));
  outs() << "output " << shapeString(output.shape()) << " from @"
         << func.getSymName()
         << " (engine: " << (engine == Engine::Halide ? "halide" : "reference")
         << ", -O" << *level << ")\n";
  printTop(output, topK);
  if (benchRuns > 0) {
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    outs() << format("latency: median=%.3f ms min=%.3f ms runs=%u\n",
                     sorted[sorted.size() / 2], sorted.front(),
                     static_cast<unsigned>(benchRuns));
  }
  return 0;
}
