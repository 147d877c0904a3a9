//===- Build.cpp - A model as one scheduled Halide pipeline ---------------===//
//
// A model becomes one Halide pipeline with fixed input and output shapes
// (a wrong buffer is a Halide error code, never an out-of-bounds access),
// scheduled by the schedule library or by Halide's autoscheduler.
//
//===----------------------------------------------------------------------===//

#include "Build.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdlib>

using namespace cnnc;

namespace cnnc::codegen {

llvm::Expected<Built> build(mlir::func::FuncOp func,
                            const CompileOptions &options) {
  llvm::Expected<std::string> targetString = resolveTarget(options.target);
  if (!targetString)
    return targetString.takeError();
  llvm::Expected<LoweredModel> lowered =
      lowerToHalide(func, options.schedule == "adams2019");
  if (!lowered)
    return lowered.takeError();
  Built built;
  built.model = std::move(*lowered);
  built.target = Halide::Target(*targetString);
  built.name = options.functionName.empty() ? func.getSymName().str()
                                            : options.functionName;
  LoweredModel &m = built.model;

  // Fixed shapes: the entry rejects any other buffer.
  const std::vector<int64_t> &in = m.inputShape;
  for (int d = 0; d < 4; ++d)
    m.input.dim(d).set_min(0).set_extent(static_cast<int>(in[3 - d]));
  Halide::OutputImageParam out = m.output.output_buffer();
  const std::vector<int64_t> &os = m.outputShape;
  for (size_t d = 0; d < os.size(); ++d)
    out.dim(d).set_min(0).set_extent(static_cast<int>(os[os.size() - 1 - d]));

  const bool gpu = built.target.has_gpu_feature();
  if (gpu && options.schedule != "cnnc")
    return failure("--schedule=" + options.schedule +
                   " supports CPU targets only; GPU targets (" +
                   built.target.to_string() + ") use the cnnc schedules");
  if (options.schedule == "adams2019") {
    // Greedy search (beam size 1) unless the user asks for more: the full
    // beam search takes minutes per pass on a whole network.
    setenv("HL_BEAM_SIZE", "1", /*overwrite=*/0);
    static bool loaded = [] {
      Halide::load_plugin(CNNC_ADAMS2019_PLUGIN);
      return true;
    }();
    (void)loaded;
    for (int d = 0; d < 4; ++d)
      m.input.dim(d).set_estimate(0, static_cast<int>(in[3 - d]));
    std::vector<std::pair<int, int>> estimates;
    for (size_t d = 0; d < os.size(); ++d)
      estimates.push_back({0, static_cast<int>(os[os.size() - 1 - d])});
    Halide::Region region;
    for (auto [min, extent] : estimates)
      region.push_back(Halide::Range(min, extent));
    m.output.set_estimates(region);
    built.pipeline = Halide::Pipeline(m.output);
    built.pipeline.auto_schedule("Adams2019", built.target,
                                 Halide::MachineParams(2, 32 << 20, 40));
    return built;
  }
  if (options.schedule != "cnnc")
    return failure("unknown schedule '" + options.schedule +
                   "' (use cnnc or adams2019)");
  // The NCHW output: vectorized (or spread over threads) along its
  // innermost dimension.
  std::vector<Halide::Var> outArgs = m.output.args();
  m.output.compute_root();
  if (gpu) {
    scheduleForGpu(m.stages);
    Halide::Var bx("bx"), tx("tx"), by("by"), ty("ty");
    if (outArgs.size() >= 2)
      m.output.gpu_tile(outArgs[0], outArgs[1], bx, by, tx, ty, 16, 16,
                        Halide::TailStrategy::GuardWithIf);
    else
      m.output.gpu_tile(outArgs[0], bx, tx, 64,
                        Halide::TailStrategy::GuardWithIf);
  } else {
    scheduleForCpu(m.stages, built.target);
    m.output.vectorize(outArgs[0], built.target.natural_vector_size<float>(),
                       Halide::TailStrategy::GuardWithIf);
  }
  built.pipeline = Halide::Pipeline(m.output);
  return built;
}

} // namespace cnnc::codegen
