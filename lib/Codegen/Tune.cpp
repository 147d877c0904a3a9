//===- Tune.cpp - Measuring candidate schedules per kernel ----------------===//
//
// The model is compiled once with the defaults and once per candidate
// applied to every stage it fits (Winograd F(4x4), F(2x2) or direct
// convolution, then each stage's candidate plans: other loops, tiles,
// blocks and strips), each loaded and run, each stage timed in place. Every distinct conv kernel keeps its fastest candidate, when
// it beats the defaults by more than the noise; the model is then compiled
// with the records and timed against the defaults. Stages are timed inside
// the whole model, so their inputs come from where they will come from:
// from cache after the stage before, or from memory.
//
//===----------------------------------------------------------------------===//

#include "Build.h"
#include "Tuning.h"
#include "cnnc/Support/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

using namespace cnnc;
using namespace cnnc::codegen;

namespace {

/// Runs per measurement, after two to warm up.
constexpr int kRuns = 15;
/// A candidate must beat the defaults by this much to be recorded as the
/// winner: runs of the same kernel differ by about 2% on the Xeon.
constexpr double kMargin = 0.03;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

/// Per stage, the median seconds over kRuns runs, and the whole model's.
struct Timing {
  std::vector<double> stageSeconds;
  double modelSeconds = 0;
};

llvm::Expected<Timing> measure(const Built &built, LoadedModel &loaded) {
  int64_t inputSize = 1, outputSize = 1;
  for (int64_t d : built.model.inputShape)
    inputSize *= d;
  for (int64_t d : built.model.outputShape)
    outputSize *= d;
  std::vector<float> input(inputSize), output(outputSize);
  Random random(12345);
  for (float &x : input)
    x = random.uniform(-0.5f, 0.5f);
  const size_t stages = built.model.stages.size();
  std::vector<std::vector<double>> perStage(stages);
  std::vector<double> whole, seconds(stages);
  for (int i = 0; i < 2 + 2 * kRuns; ++i) {
    auto start = std::chrono::steady_clock::now();
    int rc =
        i % 2 ? loaded.runProfiled(input.data(), output.data(), seconds.data())
              : loaded.run(input.data(), output.data());
    std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    if (rc)
      return failure("the model failed while tuning (Halide error " +
                     llvm::Twine(rc) + ")");
    if (i < 2)
      continue;
    if (i % 2) {
      for (size_t s = 0; s < stages; ++s)
        perStage[s].push_back(seconds[s]);
    } else {
      whole.push_back(elapsed.count());
    }
  }
  Timing t;
  for (auto &samples : perStage)
    t.stageSeconds.push_back(median(samples));
  t.modelSeconds = median(whole);
  return t;
}

/// `func` built with `options` (every stage following `candidate` if
/// given), compiled, loaded and timed; `built` keeps what was built.
llvm::Expected<Timing> buildAndTime(mlir::func::FuncOp func,
                                    const CompileOptions &options,
                                    const TuneCandidate *candidate,
                                    std::optional<Built> &built) {
  llvm::Expected<Built> b = build(func, options, candidate);
  if (!b)
    return b.takeError();
  built = std::move(*b);
  llvm::Expected<std::unique_ptr<LoadedModel>> loaded =
      loadBuilt(*built, options);
  if (!loaded)
    return loaded.takeError();
  return measure(*built, **loaded);
}

/// What a candidate measured for one distinct conv kernel.
struct KernelResult {
  std::string stage; // what it computes
  std::vector<double> seconds;
  /// Per candidate, the last conv's Winograd tile and the plan.
  std::vector<int> winograd;
  std::vector<StagePlan> plans;
};

} // namespace

llvm::Expected<TuneReport> cnnc::tuneModel(mlir::func::FuncOp func,
                                           const CompileOptions &options) {
  auto start = std::chrono::steady_clock::now();
  TuneReport report;
  if (llvm::Error e = guarded([&]() -> llvm::Error {
        llvm::Expected<std::string> target = resolveTarget(options.target);
        if (!target)
          return target.takeError();
        if (Halide::Target(*target).has_gpu_feature())
          return failure("--tune measures CPU schedules; '" + options.target +
                         "' is a GPU target");
        report.recordsPath = tuningRecordsPath(options);
        if (report.recordsPath.empty())
          return failure("--tune needs a file for its records: give "
                         "--tuning=FILE, or keep the compile cache");
        llvm::Expected<TuningRecords> records =
            TuningRecords::load(report.recordsPath);
        if (!records)
          return records.takeError();

        // The defaults are measured as they are, without older records.
        CompileOptions base = jitOptions(options);
        base.tuningFile = "none";
        std::vector<std::optional<TuneCandidate>> candidates = {
            std::nullopt, TuneCandidate{4, -1}, TuneCandidate{2, -1},
            TuneCandidate{0, -1}};
        for (size_t p = 0; p < kMaxCandidatePlans; ++p)
          candidates.push_back(TuneCandidate{-1, static_cast<int>(p)});
        std::map<std::string, KernelResult> kernels;
        std::vector<std::string> order;     // signatures in model order
        std::vector<TuningRecord> defaults; // the changed kernels' defaults
        std::string cpuName;
        for (size_t c = 0; c < candidates.size(); ++c) {
          if (options.progress)
            llvm::errs() << "cnnc: tuning: candidate " << c + 1 << " of "
                         << candidates.size() << "\n";
          std::optional<Built> built;
          llvm::Expected<Timing> timing = buildAndTime(
              func, base, candidates[c] ? &*candidates[c] : nullptr, built);
          if (!timing)
            return timing.takeError();
          if (c == 0)
            report.defaultMs = timing->modelSeconds * 1e3;
          cpuName = built->cpu.name;
          for (size_t s = 0; s < built->model.stages.size(); ++s) {
            const Stage &stage = built->model.stages[s];
            if (stage.convs.empty())
              continue;
            std::string signature = kernelSignature(stage);
            if (!kernels.count(signature))
              order.push_back(signature);
            KernelResult &k = kernels[signature];
            if (k.seconds.size() <= c) {
              k.seconds.resize(c + 1, 0.0);
              const ConvInfo &conv = stage.convs.back();
              k.winograd.push_back(conv.winogradEligible ? conv.winograd.m
                                                         : -1);
              k.plans.push_back(stage.cpuPlan);
              k.plans.back().tuned = false;
              k.stage = stage.layer + ": " + shapeOf(conv).describe();
            }
            k.seconds[c] += timing->stageSeconds[s];
          }
        }

        const std::string targetName = Halide::Target(*target).to_string();
        for (const std::string &signature : order) {
          KernelResult &k = kernels[signature];
          size_t best = 0;
          for (size_t c = 1; c < k.seconds.size(); ++c)
            if (k.seconds[c] < k.seconds[best])
              best = c;
          if (k.seconds[best] > k.seconds[0] * (1 - kMargin))
            best = 0;
          TuningRecord r;
          r.cpu = cpuName;
          r.target = targetName;
          r.kernel = signature;
          r.stage = k.stage;
          auto planValue = [&](size_t c) -> llvm::json::Value {
            llvm::Expected<llvm::json::Value> v =
                llvm::json::parse(planJson(k.plans[c]));
            return v ? std::move(*v) : llvm::json::Value(nullptr);
          };
          r.winograd = k.winograd[best];
          r.plan = planValue(best);
          r.ms = k.seconds[best] * 1e3;
          r.defaultMs = k.seconds[0] * 1e3;
          ++report.kernels;
          const bool changed =
              k.winograd[best] != k.winograd[0] ||
              planJson(k.plans[best]) != planJson(k.plans[0]);
          report.changed += changed;
          std::string line;
          llvm::raw_string_ostream os(line);
          os << k.stage << ": " << describeChoice(k.winograd[0], k.plans[0])
             << " " << llvm::format("%.3f", r.defaultMs) << " ms";
          if (changed)
            os << " -> " << describeChoice(r.winograd, k.plans[best]) << " "
               << llvm::format("%.3f", r.ms) << " ms";
          report.lines.push_back(line);
          if (changed) {
            TuningRecord fallback = r;
            fallback.winograd = k.winograd[0];
            fallback.plan = planValue(0);
            fallback.ms = r.defaultMs;
            defaults.push_back(std::move(fallback));
          }
          records->put(std::move(r));
        }
        if (llvm::Error e = records->save(report.recordsPath))
          return e;

        // The model as later compiles will build it.
        CompileOptions tuned = jitOptions(options);
        tuned.tuningFile = report.recordsPath;
        std::optional<Built> built;
        llvm::Expected<Timing> timing =
            buildAndTime(func, tuned, nullptr, built);
        if (!timing)
          return timing.takeError();
        report.tunedMs = timing->modelSeconds * 1e3;
        // Winners measured in other candidates' company do not always
        // compose (VGG-16: each a little faster alone, the model 5% slower):
        // then the defaults are kept, recorded as tuned.
        if (report.changed &&
            report.tunedMs > report.defaultMs * (1 + kMargin)) {
          for (TuningRecord &r : defaults)
            records->put(std::move(r));
          if (llvm::Error e = records->save(report.recordsPath))
            return e;
          report.keptDefaults = true;
          report.changed = 0;
        }
        return llvm::Error::success();
      }))
    return std::move(e);
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return report;
}
